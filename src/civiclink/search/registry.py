"""What the site search finds. Each app describes its searchable kinds once, in its own `search.py` (found by
`SearchConfig.ready`), with `register`:

    register("organisation", model=Organisation, label=_("organisation"), label_plural=_("organisations"),
             documents=documents, visible=visible, order=40)

- `documents(obj)` is what the index holds of one object: a `Document` per language, or one with the language ""
  that every language shows. An empty list means the public may not see it: its entries are removed.
- `visible(user, ids)` answers at query time which of the ids found the visitor may see. The index is only a
  guess: a moderator's hide is a bulk UPDATE that sends no signal, so nothing is ever shown on its word alone.
  Results are shared between visitors (`caching.py`): the answer may depend on whether the visitor is signed in,
  not on who they are.
- `queryset()` loads the objects for indexing (with what `documents` reads); `dependents(ids)` names the objects of
  other kinds whose documents depend on these (a process's proposals are public only while it is published).

Saving or deleting an object queues its reindexing (`tasks.index_objects`) for when the transaction commits.
Wagtail saves a page when it publishes or unpublishes it, so pages need no other signal for that; moving a page or
changing its slug rewrites its descendants' addresses by UPDATE, so those signals reindex the whole subtree.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.functional import Promise


@dataclass(frozen=True)
class Document:
    """One object in one language as the search finds and shows it."""

    language: str  # a site language, or "" for every language
    title: str
    body: str
    url: str
    municipality_id: int | None = None
    date: datetime.date | None = None


@dataclass(frozen=True)
class Kind:
    key: str
    model: type[models.Model]
    label: str | Promise
    label_plural: str | Promise
    documents: Callable[[Any], list[Document]]
    visible: Callable[[Any, set[int]], set[int]]
    queryset: Callable[[], models.QuerySet]
    dependents: Callable[[list[int]], dict[str, Iterable[int]]] | None
    order: int


_kinds: dict[str, Kind] = {}


def register(
    key: str,
    *,
    model: type[models.Model],
    label: str | Promise,
    label_plural: str | Promise,
    documents: Callable[[Any], list[Document]],
    visible: Callable[[Any, set[int]], set[int]],
    queryset: Callable[[], models.QuerySet] | None = None,
    dependents: Callable[[list[int]], dict[str, Iterable[int]]] | None = None,
    order: int = 100,
) -> Kind:
    kind = Kind(
        key=key,
        model=model,
        label=label,
        label_plural=label_plural,
        documents=documents,
        visible=visible,
        queryset=queryset or model._default_manager.all,
        dependents=dependents,
        order=order,
    )
    _kinds[key] = kind
    post_save.connect(_saved, sender=model, dispatch_uid=f"search-saved-{key}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-deleted-{key}")
    return kind


def visible_in(public: Callable[[], models.QuerySet]) -> Callable[[Any, set[int]], set[int]]:
    """A kind's `visible` when every visitor sees the same: the ids asked about that `public()` holds."""
    return lambda user, ids: set(public().filter(pk__in=ids).values_list("pk", flat=True))


def kinds() -> list[Kind]:
    """Every registered kind, in the order the results page shows them."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def get(key: str) -> Kind | None:
    return _kinds.get(key)


def kinds_of(model: type[models.Model]) -> list[Kind]:
    return [kind for kind in _kinds.values() if kind.model is model]


def schedule(key: str, ids: Iterable[int]) -> None:
    """Reindex these objects by a task once the current transaction commits (at once outside a transaction). A
    failure to queue is logged, never raised: a search index must not make a save fail."""
    ids = sorted(set(ids))
    if not ids:
        return

    def enqueue():
        from civiclink.search.tasks import index_objects

        index_objects.enqueue(key, ids)

    transaction.on_commit(enqueue, robust=True)


def in_every_language(make: Callable[[str], Document | None]) -> list[Document]:
    """`make(language)` for every site language, with that language active (for labels, scripts and addresses)."""
    documents = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if document := make(language):
                documents.append(document)
    return documents


def text(*parts) -> str:
    """The non-empty parts as one text, for a document's body."""
    return "\n".join(str(part) for part in parts if part)


def _is_page(model) -> bool:
    from wagtail.models import Page

    return issubclass(model, Page)


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata: the rebuild command indexes fixtures
        return
    if update_fields and _is_page(sender):  # Wagtail's bookkeeping of drafts and revisions: the live page is as it was
        return
    for kind in kinds_of(sender):
        schedule(kind.key, [instance.pk])


def _deleted(sender, instance, **kwargs):
    for kind in kinds_of(sender):
        schedule(kind.key, [instance.pk])


def _page_moved(sender, instance, **kwargs):
    """A move or a new slug changes the addresses of the page and of everything below it."""
    for kind in _kinds.values():
        if _is_page(kind.model):
            subtree = kind.model._default_manager.descendant_of(instance, inclusive=True)
            schedule(kind.key, subtree.values_list("pk", flat=True))


def connect_page_signals() -> None:
    from wagtail.signals import page_slug_changed, post_page_move

    post_page_move.connect(_page_moved, dispatch_uid="search-page-moved")
    page_slug_changed.connect(_page_moved, dispatch_uid="search-page-slug-changed")
