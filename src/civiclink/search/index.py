"""Writing the search index: the entries of some objects (`update`, run by the indexing task) or of whole kinds
(`rebuild`, the `civiclink search rebuild` command). Both replace an object's entries inside one transaction, so
that a search never sees an object half indexed."""

from itertools import batched

from django.db import transaction

from civiclink.core.i18n import search_key
from civiclink.search import caching, registry
from civiclink.search.models import SearchEntry

TITLE_MAX = SearchEntry._meta.get_field("title").max_length
BODY_MAX = 20_000  # characters of text kept per entry: enough to find an article and show a snippet of it
CHUNK = 500


def entries(kind: registry.Kind, obj) -> list[SearchEntry]:
    """The index rows of one object: one per document its kind makes of it."""
    rows = []
    for document in kind.documents(obj):
        title, body = document.title[:TITLE_MAX], document.body[:BODY_MAX]
        rows.append(
            SearchEntry(
                kind=kind.key,
                object_id=obj.pk,
                language=document.language,
                title=title,
                body=body,
                url=document.url,
                municipality_id=document.municipality_id,
                date=document.date,
                folded_title=search_key(title),
                folded_body=search_key(body),
            )
        )
    return rows


def update(key: str, ids: list[int]) -> int:
    """Replace the entries of these objects of kind `key` (deleted or no longer public ones lose theirs), then those of
    the objects of other kinds that depend on them. Returns the number of entries written."""
    kind = registry.get(key)
    if kind is None:  # queued before the kind was unregistered
        return 0
    written = 0
    for chunk in batched(sorted(set(ids)), CHUNK):
        rows = [row for obj in kind.queryset().filter(pk__in=chunk) for row in entries(kind, obj)]
        with transaction.atomic():
            SearchEntry.objects.filter(kind=key, object_id__in=chunk).delete()
            SearchEntry.objects.bulk_create(rows, batch_size=CHUNK)
            caching.index_changed()
        written += len(rows)
        if kind.dependents:
            for other, other_ids in kind.dependents(list(chunk)).items():
                written += update(other, list(other_ids))
    return written


def rebuild(keys: list[str] | None = None) -> dict[str, int]:
    """Index every object of these kinds (all by default) afresh, one transaction per kind; {kind: entries}."""
    counts = {}
    for kind in registry.kinds():
        if keys and kind.key not in keys:
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(kind=kind.key).delete()
            caching.index_changed()
            counts[kind.key] = 0
            for objects in batched(kind.queryset().order_by("pk").iterator(chunk_size=CHUNK), CHUNK):
                rows = [row for obj in objects for row in entries(kind, obj)]
                SearchEntry.objects.bulk_create(rows, batch_size=CHUNK)
                counts[kind.key] += len(rows)
    return counts
