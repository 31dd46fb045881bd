"""Indexing in the background: queued by `registry.schedule` when something searchable is saved or deleted."""

from django.tasks import task

from civiclink.search import index


@task()
def index_objects(kind: str, ids: list[int]) -> int:
    """Bring the entries of these objects (and of what depends on them) up to date; how many entries they have."""
    return index.update(kind, ids)
