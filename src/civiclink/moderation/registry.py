"""The kinds of contribution that can be reported and moderated. An app registers its models once (in `ready`):

    moderation.registry.register(Comment, municipality="process__municipality", author="author", label=...)

`municipality` is the lookup from the model to its municipality, so that officers moderate their own
municipality's contributions; `author` is the field naming who wrote it (told when a moderator hides it).

Code that counts what people see (a proposal's `comment_count`) subscribes with `on_visibility_change`: moderation
changes visibility with UPDATEs, which send no signals.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Moderatable:
    model: type[models.Model]
    municipality: str | None
    author: str
    label: str

    @property
    def key(self) -> str:
        """ "app_label.model", as in the moderation pages' addresses."""
        return self.model._meta.label_lower


_registry: dict[type[models.Model], Moderatable] = {}
_hooks: dict[type[models.Model], list[Callable[[int, int], None]]] = {}


def register(model, *, municipality: str | None, author: str = "author", label: str = "") -> None:
    _registry[model] = Moderatable(model, municipality, author, label or model._meta.verbose_name)


def entry(model) -> Moderatable:
    return _registry[model]


def entries() -> list[Moderatable]:
    return list(_registry.values())


def by_key(key: str) -> Moderatable | None:
    """The registered kind named "app_label.model" (from an address), or None."""
    return next((moderatable for moderatable in _registry.values() if moderatable.key == key.lower()), None)


def on_visibility_change(model, hook: Callable[[int, int], None]) -> None:
    """Call `hook(pk, delta)` inside the transaction that shows (+1) or hides (-1) a contribution of `model`."""
    hooks = _hooks.setdefault(model, [])
    if hook not in hooks:
        hooks.append(hook)


def visibility_changed(model, pk: int, delta: int) -> None:
    for hook in _hooks.get(model, ()):
        hook(pk, delta)
