"""The kinds of contribution that can be reported and moderated. An app registers its models once (in `ready`):

    moderation.registry.register(Comment, municipality="process__municipality", author="author", label=...)

`municipality` is the lookup from the model to its municipality, so that officers moderate their own
municipality's contributions; `author` is the field naming who wrote it (told when a moderator hides it).
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Moderatable:
    model: type[models.Model]
    municipality: str | None
    author: str
    label: str


_registry: dict[type[models.Model], Moderatable] = {}


def register(model, *, municipality: str | None, author: str = "author", label: str = "") -> None:
    _registry[model] = Moderatable(model, municipality, author, label or model._meta.verbose_name)


def entry(model) -> Moderatable:
    return _registry[model]


def entries() -> list[Moderatable]:
    return list(_registry.values())
