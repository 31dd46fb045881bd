"""Highlights on the original text: words whose folded form starts with a query term are marked, whatever their
script or diacritics ("zepce" marks "Žepče" and "Жепче"); everything else is escaped."""

import functools
import re
import unicodedata
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from civiclink.core.i18n import search_key

WORD = re.compile(r"[^\W_]+")
SNIPPET = 200  # characters of the body shown around the first match
SCAN = 20_000  # characters of the body searched for a match (the index keeps no more)


@functools.lru_cache(maxsize=20_000)
def _fold(word: str) -> str:
    return search_key(word)


def _matches(word: str, terms: tuple[str, ...]) -> bool:
    return _fold(word).startswith(terms)


def mark(text: str, terms: Iterable[str]) -> SafeString:
    """`text`, escaped, with each matching word in <mark>."""
    terms = tuple(terms)
    text = unicodedata.normalize("NFC", text)
    parts, start = [], 0
    for word in WORD.finditer(text):
        if _matches(word.group(), terms):
            parts += [escape(text[start : word.start()]), "<mark>", escape(word.group()), "</mark>"]
            start = word.end()
    parts.append(escape(text[start:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of the text is escaped)


def snippet(text: str, terms: Iterable[str], width: int = SNIPPET) -> SafeString:
    """About `width` characters of `text` around its first match (its beginning without one), cut at word
    boundaries, with an ellipsis where it was cut, marked like `mark`."""
    terms = tuple(terms)
    text = " ".join(unicodedata.normalize("NFC", text[:SCAN]).split())
    first = next((word.start() for word in WORD.finditer(text) if _matches(word.group(), terms)), 0)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        start = text.find(" ", start, first) + 1 if " " in text[start:first] else start
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > first else end
    excerpt = text[start:end]
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    return mark_safe(escape(lead) + mark(excerpt, terms) + escape(tail))  # noqa: S308 (escaped above)
