"""Whole-page cache for anonymous visitors of the busiest public lists.

A page is stored under (version, language, htmx or not, full path). The version is one key in the shared cache:
saving or deleting anything such a page shows replaces it once the transaction has committed (apps name their models
with `expire_when_changed`), and a deploy that changes code, templates, catalogues or static files starts from a new
version of its own. Each process remembers the version for a second (a cached page then costs one round trip to the
cache, not two): the process that made a change sees it at once, the others within a second. Pages are cached only
in a cache that every process shares (Redis): with the per-process default an edit made in one web worker would not
reach the others. An unreachable cache serves the page uncached.
"""

import functools
import hashlib
import logging
import time
import uuid
from pathlib import Path

import django
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
PAGE_SECONDS = 600  # bounds the memory taken by pages nobody asks for
VERSION_MEMO_SECONDS = 1.0
_memo = {"version": None, "until": 0.0}  # this process's copy of the version


def _code_fingerprint() -> str:
    """A digest of the code, templates, catalogues and static files that render the pages."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(django.get_version().encode())
    for pattern in ("**/*.py", "**/*.html", "**/*.po", "static/**/*"):
        for path in sorted(package.glob(pattern)):
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


VERSION_KEY = f"civiclink:page-version:{_code_fingerprint()}"


def _shared_cache() -> bool:
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def from_cache(read, default=None):
    """`read()`, or `default` when the cache does not answer: an unreachable cache must not take the pages down."""
    try:
        return read()
    except Exception:
        logger.warning("The cache did not answer; serving pages without it.", exc_info=True)
        return default


def page_version() -> str | None:
    """The version cached pages are keyed on, or None: do not cache."""
    if not _shared_cache():
        return None
    now = time.monotonic()
    if _memo["until"] > now:
        return _memo["version"]
    version = from_cache(lambda: cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None))
    if version is not None:
        _memo.update(version=version, until=now + VERSION_MEMO_SECONDS)
    return version


def expire_pages() -> None:
    """Signals do it for saves and deletes; call it after changes that send none (QuerySet.update, bulk_create)."""
    _memo["until"] = 0.0
    from_cache(lambda: cache.delete(VERSION_KEY))


def _data_changed(sender, using=None, action="post_", **kwargs) -> None:
    """On commit, not at once: a request in between would cache the old rows under the new version."""
    if action.startswith("post_"):
        transaction.on_commit(expire_pages, using=using, robust=True)


def expire_when_changed(*models) -> None:
    """Expire cached pages whenever one of `models` (or a many-to-many `through` model) is saved or deleted."""
    for model in models:
        uid = f"pagecache-{model._meta.label}"
        if model._meta.auto_created:
            m2m_changed.connect(_data_changed, sender=model, dispatch_uid=uid)
        else:
            post_save.connect(_data_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_data_changed, sender=model, dispatch_uid=uid)


def _cacheable(request) -> bool:
    return request.method == "GET" and not request.user.is_authenticated and not len(get_messages(request))


def page_key(request, *vary) -> str | None:
    """The cache key of the page `request` asks for, or None when it is not to be served from the cache."""
    version = page_version() if _cacheable(request) else None
    if version is None:
        return None
    htmx = "htmx" if request.headers.get("HX-Request") else "page"
    extra = ":".join(str(part) for part in vary)
    return f"civiclink:page:{version}:{extra}:{get_language()}:{htmx}:{request.get_full_path()}"


def cached_response(request, *vary, beside: str | None = None) -> tuple[HttpResponse, dict, object] | None:
    """(the cached page, the note stored with it (see `cached_page`), the value of the key `beside` or None), or
    None when the page is not cached. One round trip to the cache; lets a view answer before it does its own work
    (e.g. before Wagtail routes the address to a page)."""
    if (key := page_key(request, *vary)) is None:
        return None
    found = from_cache(lambda: cache.get_many([key, beside] if beside else [key]), {})
    if (cached := found.get(key)) is None:
        return None
    content, content_type, note = cached
    return HttpResponse(content, content_type=content_type), note, found.get(beside)


def cached_page(request, render, *vary, note: dict | None = None) -> HttpResponse:
    """`render()`'s page, served from the cache to anonymous visitors. `vary` adds to the key what else the page
    depends on (e.g. a version that changes when its data does); `note` is kept with the page for
    `cached_response` (what an article's view counter needs, say). Check permissions before calling it."""
    if (key := page_key(request, *vary)) is None:
        return render()
    if (cached := from_cache(lambda: cache.get(key))) is not None:
        content, content_type, _note = cached
        return HttpResponse(content, content_type=content_type)
    response = render()
    # A page that sets a cookie (a CSRF token, say) belongs to one visitor and is not shared.
    if response.status_code == 200 and not response.streaming and not response.cookies:
        from_cache(lambda: cache.set(key, (response.content, response["Content-Type"], note or {}), PAGE_SECONDS))
    return response


def anonymous_page_cache(view):
    """Serve the view's page from the cache to anonymous visitors; everyone else gets it rendered."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return cached_page(request, lambda: view(request, *args, **kwargs))

    return wrapped
