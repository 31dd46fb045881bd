"""Searching the index: the query's folded words, all of them required as prefixes, in the current language and in
the entries every language shows; ranked in the database (PostgreSQL's `ts_rank_cd` on the weighted vector,
SQLite's `bm25` with the title ten times the body), then checked against each kind's `visible` on the few rows shown,
and grouped by kind.

On PostgreSQL the work is bounded whatever the query: each kind ranks at most `CANDIDATES` entries, its newest
matches. A kind with more says "more than 200", and a second word narrows it. When PostgreSQL's statistics of the
vector column (`pg_stats.most_common_elems`) say that even the rarest word of the query is in a good share of the
entries, the matches are found by walking the kind's newest entries in the (kind, language, -date) index until there
are enough (a few thousand rows; at most the newest `WALK`, so that such a query may miss a kind's older matches);
otherwise through the GIN index, which then reads one short list. (Left to itself the planner reads the GIN index for a
common word too: a bitmap of a hundred thousand rows, tens of milliseconds, before the LIMIT can stop anything.)
SQLite ranks every match and shows the same limit.

Queries: one ranks the matches and picks the rows shown (window functions over each kind's candidates), one reads
those rows, one per kind shown asks its `visible`, and one the municipalities of the rows; on PostgreSQL, one a
minute reads the statistics. Rows the index holds but `visible` refuses (stale after an UPDATE that sent no signal)
are left out and queued for reindexing.
"""

import datetime
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.utils.safestring import SafeString

from civiclink.core.i18n import search_key
from civiclink.places.models import Municipality
from civiclink.search import highlight, registry
from civiclink.search.models import SearchEntry

MAX_QUERY = 200  # characters of a query that count
MAX_TERMS = 8
MIN_TERM = 2  # shorter words would match nearly everything
GROUP_SIZE = 5  # results per kind on the overview
PAGE_SIZE = 20  # results per page of one kind
CANDIDATES = 200  # matching entries per kind that are counted and ranked
FREQUENT = 0.05  # when the rarest word is in this share of the entries, walk the newest ones instead of the GIN index
WALK = 10_000  # newest entries of a kind walked at most
STATISTICS_SECONDS = 60

WORD = re.compile(r"[^\W_]+")

# The candidates (ids, at most CANDIDATES + 1 per kind, the newest) of a query whose rarest word is rare: the GIN
# index reads that word's short list once for every kind (OFFSET 0 keeps the planner from also reading the
# (kind, language) index for a bitmap of every entry in the language).
POSTGRESQL_INDEX = """
    SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY kind ORDER BY date DESC NULLS LAST, id DESC) AS n FROM (
            SELECT id, kind, language, date FROM search_searchentry
            WHERE search_vector @@ to_tsquery('simple', %s) OFFSET 0
        ) matches WHERE language IN (%s, '') AND kind IN ({kinds})
    ) numbered WHERE n <= %s"""
# Of one kind in one language, for a query whose every word is frequent: its newest WALK entries, walked in the
# (kind, language, -date) index until enough match. Bitmap and sequential scans are off for it, in its transaction:
# the planner would otherwise read the GIN index, or read the whole kind and sort it. (Ordered by id, it would walk
# the primary key through every kind instead.)
POSTGRESQL_WALK = """(
    SELECT id FROM (
        SELECT id, search_vector FROM search_searchentry WHERE kind = %s AND language = %s
        ORDER BY date DESC LIMIT %s
    ) newest WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s)"""
# JIT compilation (for a plan whose estimated cost is high, as a walk's is) would take longer than the query.
NO_JIT = "SELECT set_config('jit', 'off', true)"
WALK_PLAN = NO_JIT + ", set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)"
# Ranked after the candidates are chosen, so that only they are ranked.
POSTGRESQL_HITS = """
    SELECT e.id, e.kind, e.date, ts_rank_cd(e.search_vector, to_tsquery('simple', %s)) AS rank
    FROM search_searchentry e WHERE e.id IN ({candidates})"""
SQLITE_HITS = """
    SELECT e.id, e.kind, e.date, -bm25(search_searchentry_fts, 10.0, 1.0) AS rank
    FROM search_searchentry_fts JOIN search_searchentry e ON e.id = search_searchentry_fts.rowid
    WHERE search_searchentry_fts MATCH %s AND e.language IN (%s, '') AND e.kind IN ({kinds})"""
RANKED = """
    WITH hits AS ({hits}),
    ranked AS (
        SELECT id, kind,
            row_number() OVER (PARTITION BY kind ORDER BY rank DESC, date DESC NULLS LAST, id DESC) AS position,
            count(*) OVER (PARTITION BY kind) AS total
        FROM hits
    )
    SELECT id, kind, position, total FROM ranked WHERE position BETWEEN %s AND %s"""
SHOWN_FIELDS = ("kind", "object_id", "language", "title", "body", "url", "municipality_id", "date")


def terms(query: str) -> list[str]:
    """The words of a query that count, folded: two characters or more, each once, at most MAX_TERMS."""
    found = []
    for word in WORD.findall(search_key(query[:MAX_QUERY])):
        if len(word) >= MIN_TERM and word not in found:
            found.append(word)
    return found[:MAX_TERMS]


@dataclass
class Hit:
    kind: registry.Kind
    title: SafeString  # highlighted
    snippet: SafeString  # highlighted
    url: str
    date: datetime.date | None
    municipality: Municipality | None


@dataclass
class Group:
    kind: registry.Kind
    total: int  # at most CANDIDATES
    more: bool = False  # more than CANDIDATES match
    hits: list[Hit] = field(default_factory=list)


@dataclass
class Results:
    terms: list[str]
    groups: list[Group]
    page: object = None  # the page of one kind's results (a Django Page), when one kind was asked for

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def more(self) -> bool:
        return any(group.more for group in self.groups)


def search(user, query: str, language: str, *, kind: str = "", page: int = 1) -> Results:
    """What `user` finds for `query` in `language`: the top results of every kind, or one page of one kind's."""
    words = terms(query)
    kinds = registry.kinds()
    if not words or not kinds:
        return Results(words, [])
    selected = registry.get(kind) if kind else None
    if selected is None:
        return Results(words, _groups(user, _ranked(words, language, kinds, 1, GROUP_SIZE), words, language))
    pages = -(-CANDIDATES // PAGE_SIZE)
    page = min(page, pages)
    rows = _ranked(words, language, [selected], (page - 1) * PAGE_SIZE + 1, page * PAGE_SIZE)
    if not rows and page > 1:  # past the last page: show the first
        page, rows = 1, _ranked(words, language, [selected], 1, PAGE_SIZE)
    groups = _groups(user, rows, words, language)
    group = groups[0] if groups else Group(selected, 0)
    paginator = Paginator(_Counted(group.total, group.hits, (page - 1) * PAGE_SIZE), PAGE_SIZE)
    return Results(words, [group], paginator.page(page) if group.total else None)


def _ranked(words: list[str], language: str, kinds: list[registry.Kind], first: int, last: int) -> list:
    """The entries at positions `first` to `last` of each kind's ranking, with their `position` and `total` (up to
    CANDIDATES + 1: one more says that there are more)."""
    if connection.vendor == "postgresql":
        matched = " & ".join(f"{word}:*" for word in words)  # the words are letters and digits only
        params = [matched]
        walk = _share(words) >= FREQUENT
        plan = WALK_PLAN if walk else NO_JIT
        if walk:
            walks = []
            for kind in kinds:
                for entry_language in (language, ""):
                    walks.append(POSTGRESQL_WALK)
                    params += [kind.key, entry_language, WALK, matched, CANDIDATES + 1]
            candidates = " UNION ALL ".join(walks)
        else:
            candidates = POSTGRESQL_INDEX.format(kinds=", ".join(["%s"] * len(kinds)))
            params += [matched, language, *(kind.key for kind in kinds), CANDIDATES + 1]
        hits = POSTGRESQL_HITS.format(candidates=candidates)
    else:
        plan = ""
        hits = SQLITE_HITS.format(kinds=", ".join(["%s"] * len(kinds)))
        params = [" ".join(f'"{word}"*' for word in words), language, *(kind.key for kind in kinds)]
    # The planner settings hold for the transaction (PostgreSQL only: SQLite's would take the write lock).
    with transaction.atomic() if plan else nullcontext(), connection.cursor() as cursor:
        if plan:
            cursor.execute(plan)
        cursor.execute(RANKED.format(hits=hits), [*params, first, min(last, CANDIDATES)])
        ranked = cursor.fetchall()
    entries = SearchEntry.objects.only(*SHOWN_FIELDS).in_bulk([pk for pk, *_rest in ranked])
    rows = []
    for pk, _kind, position, total in sorted(ranked, key=lambda row: (row[1], row[2])):
        if entry := entries.get(pk):  # unless reindexed in between
            entry.position, entry.total = position, total
            rows.append(entry)
    return rows


_statistics = {"read": 0.0, "shares": {}}


def _share(words: list[str]) -> float:
    """The estimated share of the entries that contain the rarest of the words (as a prefix), from the frequent
    lexemes in PostgreSQL's statistics; a word not among them counts as rare. The GIN index costs what the rarest
    word's list of entries costs: when even that list is long, walking the newest entries finds matches sooner."""
    if time.monotonic() - _statistics["read"] > STATISTICS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'search_searchentry' AND attname = 'search_vector'"
            )
            row = cursor.fetchone()
        _statistics["shares"] = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        _statistics["read"] = time.monotonic()
    shares = _statistics["shares"]
    return min(min(1.0, sum(value for lexeme, value in shares.items() if lexeme.startswith(word))) for word in words)


def _groups(user, rows: list, words: list[str], language: str) -> list[Group]:
    """The rows the visitor may see, highlighted, grouped in the kinds' order. Refused rows are stale: they are
    left out, taken off the totals and queued for reindexing."""
    by_kind: dict[str, list] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    municipalities = Municipality.objects.in_bulk({row.municipality_id for row in rows} - {None})
    groups = []
    for kind in registry.kinds():
        kind_rows = by_kind.get(kind.key)
        if not kind_rows:
            continue
        allowed = kind.visible(user, {row.object_id for row in kind_rows})
        stale = {row.object_id for row in kind_rows} - allowed
        registry.schedule(kind.key, stale)
        total = kind_rows[0].total
        group = Group(kind, min(total, CANDIDATES) - len(stale), more=total > CANDIDATES)
        for row in kind_rows:
            if row.object_id in allowed:
                group.hits.append(
                    Hit(
                        kind=kind,
                        title=highlight.mark(row.title, words),
                        snippet=highlight.snippet(row.body, words),
                        url=row.url if row.language else _in_language(row.url, language),
                        date=row.date,
                        municipality=municipalities.get(row.municipality_id),
                    )
                )
        if group.total > 0:
            groups.append(group)
    return groups


def _in_language(url: str, language: str) -> str:
    """The address of an entry for every language in `language`: such entries are stored with the default
    language's prefix (the project's URL patterns are not translated, only prefixed)."""
    prefix = f"/{settings.LANGUAGE_CODE}/"
    return f"/{language}/{url.removeprefix(prefix)}" if url.startswith(prefix) else url


class _Counted:
    """One page of results standing for all `total` of them, so that Django's Paginator can number the pages."""

    def __init__(self, total: int, hits: list[Hit], offset: int):
        self.total, self.hits, self.offset = total, hits, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[Hit]:
        return self.hits if window.start == self.offset else []
