"""How many people read an article, counted once per reader and day without cookies and without keeping addresses.

A reader is known only as sha256(day salt, client address, user agent, article). The salt is random, kept in the
database for one day and deleted when the next day's is made, together with the old days' rows: after midnight
nobody, the operators included, can tell whose hashes they were. Search engines and staff previewing a page are not
readers. A repeat reader is known from the shared cache, which keeps a key per reader and address until midnight
(read with the cached page, in the same round trip), and costs no query; a new one (or one the cache has forgotten)
costs an INSERT, which does nothing for a reader already counted, and an UPDATE of the article's counter.
"""

import functools
import hashlib
import re
import secrets
from datetime import date, datetime, time, timedelta

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.utils import timezone

from civiclink.core.pagecache import from_cache
from civiclink.portal.models import ArticlePage, ArticleView, ViewSalt

NOT_READERS = re.compile(r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python-requests", re.IGNORECASE)

_salt: tuple[date, str] | None = None  # today's salt, kept by each process once it has read it


def salt_of(day: date) -> str:
    """The day's salt; the first request of a day makes it and deletes the previous days' salts and rows."""
    global _salt
    if _salt is not None and _salt[0] == day:
        return _salt[1]
    row, created = ViewSalt.objects.get_or_create(day=day, defaults={"salt": secrets.token_hex(32)})
    if created:
        prune(day)
    _salt = (day, row.salt)
    return row.salt


def prune(today: date) -> None:
    """Forget every day before `today`: its salt and its readers' hashes."""
    ViewSalt.objects.filter(day__lt=today).delete()
    ArticleView.objects.filter(day__lt=today).delete()


def is_reader(request) -> bool:
    """A person reading the published page: not a robot, not a preview, not a HEAD request."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    agent = request.headers.get("User-Agent", "")
    return bool(agent) and not NOT_READERS.search(agent)


def reader_digest(day: date, address: str, agent: str, article_id: int) -> str:
    material = "\x1f".join((salt_of(day), address, agent, str(article_id)))
    return hashlib.sha256(material.encode()).hexdigest()


@functools.cache
def _insert_sql() -> str:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: whether the row is new, in one statement (PostgreSQL, SQLite)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(ArticleView._meta.get_field(name).column) for name in ("day", "digest", "article"))
    table, returning = quote(ArticleView._meta.db_table), quote("id")
    # Names from the model, values as parameters.
    return f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING {returning}"  # noqa: S608


def seen_key(request) -> str | None:
    """The shared cache's key that says this reader has read the page at this URL today (None for a visitor who is
    not a reader): a hash salted like the digest. Made of the URL's path rather than the article, so that the news
    view can read it in the same round trip as the cached page, before it knows which article the page is."""
    if not is_reader(request):
        return None
    day = timezone.localdate()
    material = "\x1f".join((salt_of(day), get_adapter().get_client_ip(request), request.headers["User-Agent"]))
    return "civiclink:reader:" + hashlib.sha256(f"{material}\x1f{request.path}".encode()).hexdigest()


def count_view(request, article_id: int, seen: str | None = None) -> bool:
    """Count the visitor as a reader of the article today, once. True when this was their first visit today.
    `seen` is `seen_key(request)` when the caller has it already. The database has the last word (its unique
    digest); the cache only spares it the repeat readers. No transaction around the two statements: a crash between
    them loses one count."""
    if (seen := seen or seen_key(request)) is None:
        return False
    day = timezone.localdate()
    if not from_cache(lambda: cache.add(seen, 1, _seconds_left(day)), default=True):
        return False  # seen today
    digest = reader_digest(day, get_adapter().get_client_ip(request), request.headers["User-Agent"], article_id)
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), [day, digest, article_id])
        if cursor.fetchone() is None:
            return False
    ArticlePage.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)
    return True


def _seconds_left(day: date) -> int:
    """Seconds until the end of `day`, when its digests mean nothing any more."""
    midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return max(1, int((midnight - timezone.now()).total_seconds()))
