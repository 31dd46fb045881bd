"""The results of a search, rendered once and shared: the index holds only what the public may see, so a query in a
language shows everyone the same results. They are kept in the shared cache under the page version (which edits and
moderation move, see core/pagecache.py), the index version (which every write to the index moves), the language and
the query string. Anonymous visitors get the whole page from core/pagecache.py, under the index version too. Without
a shared cache (development, tests) every search is rendered."""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from civiclink.core.pagecache import PAGE_SECONDS, from_cache, page_version

INDEX_VERSION_KEY = "civiclink:search:index-version"


def index_changed() -> None:
    """Called by every write to the index: on commit, so that no search caches the old rows under the new version."""
    transaction.on_commit(lambda: from_cache(lambda: cache.delete(INDEX_VERSION_KEY)), robust=True)


def index_version() -> str | None:
    """The current version of the index, or None without a shared cache (nothing is cached then)."""
    if page_version() is None:
        return None
    return from_cache(lambda: cache.get_or_set(INDEX_VERSION_KEY, lambda: uuid.uuid4().hex, None))


def shared(request, render) -> SafeString:
    """`render()`'s HTML, from the shared cache when another visitor already asked the same."""
    version, index = page_version(), index_version()
    if not (version and index):
        return render()
    signed_in = request.user.is_authenticated  # a kind may show more to signed-in visitors, never per person
    query = sorted(request.GET.lists())
    digest = hashlib.sha256(repr((version, index, get_language(), signed_in, query)).encode()).hexdigest()
    key = f"civiclink:search:results:{digest}"
    if (html := from_cache(lambda: cache.get(key))) is not None:
        return mark_safe(html)  # noqa: S308 (rendered by our template)
    html = render()
    from_cache(lambda: cache.set(key, str(html), PAGE_SECONDS))
    return html
