"""Demo data: filled in by the app."""


def load() -> str:
    return ""
