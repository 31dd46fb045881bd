"""Telling followers what happened: `event(target, kind)` is called by the code that changed something."""


def event(target, kind: str, *, actor=None, text: str = "") -> None:
    """Queue a notification of `kind` (a `Notification.Event`) about `target` for its followers and those of its
    process, except `actor`."""
