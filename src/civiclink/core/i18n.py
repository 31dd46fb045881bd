"""Language support: Serbian script transliteration, per-language content with fallback, catalogue compilation."""

import re
from pathlib import Path

from django.utils.translation import get_language

CYRILLIC_TO_LATIN = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž", "З": "Z", "И": "I",
    "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N", "Њ": "Nj", "О": "O", "П": "P", "Р": "R",
    "С": "S", "Т": "T", "Ћ": "Ć", "У": "U", "Ф": "F", "Х": "H", "Ц": "C", "Ч": "Č", "Џ": "Dž", "Ш": "Š",
}  # fmt: skip
CYRILLIC_TO_LATIN |= {cyr.lower(): lat.lower() for cyr, lat in CYRILLIC_TO_LATIN.items()}
LATIN_TO_CYRILLIC = {lat: cyr for cyr, lat in CYRILLIC_TO_LATIN.items()}
LATIN_TO_CYRILLIC |= {"LJ": "Љ", "NJ": "Њ", "DŽ": "Џ"}
_LATIN_DIGRAPHS = sorted((k for k in LATIN_TO_CYRILLIC if len(k) == 2), key=len, reverse=True)

_CAPITAL_DIGRAPHS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}  # in a word in capitals: "ЉУБЉАНА" is "LJUBLJANA"
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")

# Languages whose text can be produced from another language's text without a translator.
SCRIPT_SOURCES = {"sr-latn": "sr", "sr": "sr-latn"}


def to_latin(text: str) -> str:
    """Serbian Cyrillic to Latin (Gaj's alphabet); other characters pass through."""
    return "".join(
        _CAPITAL_DIGRAPHS[char]
        if char in _CAPITAL_DIGRAPHS and _in_capitals(text, i)
        else CYRILLIC_TO_LATIN.get(char, char)
        for i, char in enumerate(text)
    )


def _in_capitals(text: str, i: int) -> bool:
    """Whether the letter at `i` stands in a word in capitals: "ЉУБЉАНА" is "LJUBLJANA", "Љубљана" is "Ljubljana"."""
    after = text[i + 1 : i + 2]
    if after.isalpha():
        return after.isupper()
    before = text[i - 1 : i] if i else ""
    return before.isalpha() and before.isupper()


def to_cyrillic(text: str) -> str:
    """Serbian Latin to Cyrillic. Digraphs lj, nj, dž become one letter; placeholders and markup are kept."""
    result, i = [], 0
    while i < len(text):
        if text[i] in "%{<&":  # keep format placeholders, template variables, HTML tags and entities intact
            stop = _protected_end(text, i)
            if stop > i:
                result.append(text[i:stop])
                i = stop
                continue
        pair = text[i : i + 2]
        if pair in _LATIN_DIGRAPHS:
            result.append(LATIN_TO_CYRILLIC[pair])
            i += 2
            continue
        result.append(LATIN_TO_CYRILLIC.get(text[i], text[i]))
        i += 1
    return "".join(result)


def _protected_end(text: str, start: int) -> int:
    """End of a placeholder (%s, %(name)s, {name}), HTML tag or entity starting at `start`; 0 when there is none."""
    if text[start] == "&":
        entity = _HTML_ENTITY.match(text, start)
        return entity.end() if entity else 0
    if text[start] == "{":
        return text.find("}", start) + 1
    if text[start] == "<":
        next_char = text[start + 1 : start + 2]
        return text.find(">", start) + 1 if next_char.isalpha() or next_char == "/" else 0
    j = start + 1
    if j < len(text) and text[j] == "(":
        close = text.find(")", j)
        if close < 0:
            return 0
        j = close + 1
    while j < len(text) and text[j] in "0123456789.-+#":
        j += 1
    return j + 1 if j < len(text) and text[j].isalpha() else 0


def transliterate(text: str | list[str], to_language: str) -> str | list[str]:
    """Into the other Serbian script; a list (e.g. the names of levels) entry by entry."""
    if isinstance(text, list):
        return [transliterate(entry, to_language) for entry in text]
    return to_latin(text) if to_language == "sr-latn" else to_cyrillic(text)


def localise(original: str, original_language: str, translations: dict[str, str], language: str | None = None) -> str:
    """The text in `language` (default: the active one), falling back to the other Serbian script, then the original."""
    return localise_with_language(original, original_language, translations, language)[0]


def localise_with_language(
    original: str, original_language: str, translations: dict[str, str], language: str | None = None
) -> tuple[str, str]:
    """`localise`, and the language the returned text is in (for the `lang` attribute of a fallback)."""
    language = (language or get_language() or "").lower()
    if text := translations.get(language):
        return text, language
    source = SCRIPT_SOURCES.get(language)
    if source:
        if text := translations.get(source):
            return transliterate(text, language), language
        if original_language == source:
            return transliterate(original, language), language
    return original, original_language


# Our own catalogues, and translations of third-party messages for languages those packages do not ship.
CATALOGUE_DIRS = [Path(__file__).resolve().parent.parent / name for name in ("locale", "locale_vendor")]


def compile_catalogs(locale_dirs: list[Path] = CATALOGUE_DIRS) -> list[Path]:
    """Compile every `.po` file whose `.mo` is missing or older, in pure Python (no GNU gettext needed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in (path for locale_dir in locale_dirs for path in locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=None)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        compiled.append(mo_path)
    return compiled


# Macedonian's own letters, romanised as Macedonia does ("Ѓорче" is "Gjorče"); the others are Serbian's.
_MACEDONIAN_TO_LATIN = str.maketrans({"ѓ": "gj", "ќ": "kj", "ѕ": "dz"})


def search_key(text: str) -> str:
    """Lower-case Latin text without diacritics, so that "zepce", "Žepče" and "Жепче" all match (and "Ѓорче Петров"
    and "Gjorce Petrov")."""
    import unicodedata

    latin = to_latin(text).lower().translate(_MACEDONIAN_TO_LATIN).replace("đ", "dj")
    return "".join(c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c))


def date_in_sentence(value, format_name: str = "DATE_FORMAT") -> str:
    """A date for the middle or end of a translated sentence: Bosnian, Croatian and Serbian formats end in a full
    stop ("31. januar 2027."), which the sentence's own full stop would double."""
    from django.utils.formats import date_format

    return date_format(value, format_name).rstrip(".")
