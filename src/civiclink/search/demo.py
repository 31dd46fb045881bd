"""Demo data: the index of everything the other apps' demos made (this runs last)."""

from civiclink.search import index


def load() -> str:
    counts = index.rebuild()
    return "Search index: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()) + " entries"
