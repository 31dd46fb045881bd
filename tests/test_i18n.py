"""Languages: Serbian in both scripts, per-language content with fallbacks, search across scripts and
diacritics, and the translation catalogues."""

import gettext
import os
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from civiclink.core.i18n import compile_catalogs, localise, search_key, to_cyrillic, to_latin, transliterate
from civiclink.places.models import Organisation, Sector

# --- Transliteration ------------------------------------------------------------------------------------------

SERBIAN = [
    ("Љубљана", "Ljubljana"),
    ("Његош", "Njegoš"),
    ("џеп и Џеп", "džep i Džep"),
    ("ђак, ћуфта, чаша, шума, жаба", "đak, ćufta, čaša, šuma, žaba"),
    ("Жепче", "Žepče"),
    ("ЉУБЉАНА", "LJUBLJANA"),
    ("ЏЕП", "DŽEP"),
    ("ЊЕГОШ", "NJEGOŠ"),
    ("Добро управљање у општини Требиње.", "Dobro upravljanje u opštini Trebinje."),
]


@pytest.mark.parametrize(("cyrillic", "latin"), SERBIAN)
def test_serbian_scripts_convert_both_ways(cyrillic, latin):
    assert to_latin(cyrillic) == latin
    assert to_cyrillic(latin) == cyrillic
    assert transliterate(cyrillic, "sr-latn") == latin
    assert transliterate(latin, "sr") == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Zdravo %(name)s, imate %d novih poruka", "Здраво %(name)s, имате %d нових порука"),
        ("Potpisalo je {count} od {total} članica", "Потписало је {count} од {total} чланица"),
        ('<a href="/nalog/">Moj nalog</a>', '<a href="/nalog/">Мој налог</a>'),
        ("<strong>Važno:</strong> %s", "<strong>Важно:</strong> %s"),
        ("%(ljudi)s ljudi i {njih}", "%(ljudi)s људи и {njih}"),
        ("100% sigurno, a < b", "100% сигурно, а < б"),
        ("Prava &amp; obaveze&nbsp;građana &#8212; i & ostalo", "Права &amp; обавезе&nbsp;грађана &#8212; и & остало"),
    ],
)
def test_placeholders_and_markup_survive_transliteration(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


def test_a_date_inside_a_sentence_does_not_double_the_full_stop():
    import datetime

    from django.utils.formats import date_format

    from civiclink.core.i18n import date_in_sentence

    day = datetime.date(2027, 1, 31)
    with translation.override("bs"):
        assert date_format(day).endswith("2027.")  # the Bosnian format ends in a full stop of its own
        assert date_in_sentence(day) == date_format(day)[:-1]
    with translation.override("en"):
        assert date_in_sentence(day) == date_format(day)


def test_lists_are_transliterated_entry_by_entry():
    levels = ["Не постоји", "Почетни ниво"]
    assert transliterate(levels, "sr-latn") == ["Ne postoji", "Početni nivo"]
    assert localise(["Not in place"], "en", {"sr": levels}, "sr-latn") == ["Ne postoji", "Početni nivo"]


def test_other_scripts_and_letters_pass_through():
    assert to_latin("Shqip: Të rinjtë; Македонски: ѓ ќ ѕ") == "Shqip: Të rinjtë; Makedonski: ѓ ќ ѕ"


# --- Content in the visitor's language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "original_language", "translations", "language", "expected"),
    [
        pytest.param("Izvorni", "bs", {"en": "English"}, "en", "English", id="translation in the language"),
        pytest.param("Izvorni", "bs", {"en": ""}, "en", "Izvorni", id="an empty translation is no translation"),
        pytest.param("Original", "en", {"sr": "Људска права"}, "sr-latn", "Ljudska prava", id="sr-latn from sr"),
        pytest.param("Original", "en", {"sr-latn": "Ljudska prava"}, "sr", "Људска права", id="sr from sr-latn"),
        pytest.param("Њива", "sr", {"en": "Field"}, "sr-latn", "Njiva", id="sr-latn from the original sr text"),
        pytest.param("Njiva", "sr-latn", {}, "sr", "Њива", id="sr from the original sr-latn text"),
        pytest.param("Original", "en", {"sr": "Њива", "sr-latn": "Polje"}, "sr-latn", "Polje", id="own beats derived"),
        pytest.param("Izvorni", "bs", {"en": "English"}, "hr", "Izvorni", id="fallback to the original"),
        pytest.param("Izvorni", "bs", {"sr": "Њива"}, "mk", "Izvorni", id="no script fallback for Macedonian"),
        pytest.param("Izvorni", "bs", {"sr-latn": "Polje"}, "SR-LATN", "Polje", id="language code in any case"),
    ],
)
def test_localise(original, original_language, translations, language, expected):
    assert localise(original, original_language, translations, language) == expected


def test_localise_defaults_to_the_active_language():
    with translation.override("sr"):
        assert localise("Original", "en", {"sr-latn": "Njiva"}) == "Њива"
    with translation.override("en"):
        assert localise("Original", "bs", {"en": "English"}) == "English"


def test_translatable_content_localised():
    organisation = Organisation(
        legal_name="Una zajedno",
        language="sr",
        description="Чувамо ријеку Уну.",
        translations={"en": {"description": "We protect the Una."}, "bs": {"description": ""}, "hr": "garbage"},
    )
    assert organisation.localised("description", "en") == "We protect the Una."
    assert organisation.localised("description", "sr-latn") == "Čuvamo rijeku Unu."
    assert organisation.localised("description", "bs") == "Чувамо ријеку Уну."  # empty translation: the original
    assert organisation.localised("description", "hr") == "Чувамо ријеку Уну."  # malformed entry is ignored
    with translation.override("en"):
        assert organisation.localised("description") == "We protect the Una."


@pytest.mark.django_db
def test_sector_names_from_the_data_migration_in_every_language():
    sector = Sector.objects.get(slug="human-rights")
    assert sector.localised("name", "en") == "Human rights"
    assert sector.localised("name", "bs") == "Ljudska prava"
    assert sector.localised("name", "sr") == "Људска права"
    assert sector.localised("name", "sr-latn") == "Ljudska prava"  # no sr-latn entry: transliterated from sr


@pytest.mark.django_db
def test_place_names_follow_the_script_of_the_language(client, world):
    cyrillic = client.get("/sr/municipalities/").content.decode()
    assert "Требиње" in cyrillic  # the official Cyrillic name
    assert "Мостар" in cyrillic  # transliterated
    latin = client.get("/sr-latn/municipalities/").content.decode()
    assert "Trebinje" in latin and "Требиње" not in latin


@pytest.mark.django_db
def test_the_language_links_keep_the_page_and_its_query(client, world):
    """The switcher and the head's alternates lead to the same page with the same filters in every language."""
    page = client.get("/sr-latn/organisations/?network=on&q=mostar").content.decode()
    for code, _name in settings.LANGUAGES:
        address = f"/{code}/organisations/?network=on&amp;q=mostar"
        assert f'<link rel="alternate" hreflang="{code}" href="{address}">' in page
        assert f'href="{address}" hreflang="{code}" lang="{code}"' in page


# --- Search across scripts and diacritics ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Žepče", "Жепче", "zepce", "ŽEPČE", "Zepce"])
def test_search_key_ignores_script_case_and_diacritics(text):
    assert search_key(text) == "zepce"


def test_search_key_spells_dj():
    assert search_key("Đurđevik") == search_key("Ђурђевик") == search_key("Djurdjevik") == "djurdjevik"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Zepce", "žepče", "Жепче", "mlade zepce"])
def test_directory_search_finds_across_scripts(client, world, make_organisation, query):
    make_organisation("Centar za mlade „Žepče”", world.home)
    make_organisation("Omladinski centar Maglaj", world.home)
    page = client.get("/en/organisations/", {"q": query}).content.decode()
    assert "Centar za mlade „Žepče”" in page
    assert "Omladinski centar Maglaj" not in page


# --- Catalogues -----------------------------------------------------------------------------------------------

PO_FILE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
"n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "Hello"
msgstr "Zdravo"

msgid "%(n)s organisation"
msgid_plural "%(n)s organisations"
msgstr[0] "%(n)s organizacija"
msgstr[1] "%(n)s organizacije"
msgstr[2] "%(n)s organizacija"

#, fuzzy
msgid "Goodbye"
msgstr "Zbogom?"

msgid "Untranslated"
msgstr ""
"""


def test_compile_catalogs(tmp_path):
    po_path = tmp_path / "bs" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PO_FILE, encoding="utf-8")
    mo_path = po_path.with_suffix(".mo")

    assert compile_catalogs([tmp_path]) == [mo_path]
    with mo_path.open("rb") as mo_file:
        catalogue = gettext.GNUTranslations(mo_file)
    assert catalogue.gettext("Hello") == "Zdravo"
    assert catalogue.ngettext("%(n)s organisation", "%(n)s organisations", 3) == "%(n)s organizacije"
    assert catalogue.ngettext("%(n)s organisation", "%(n)s organisations", 5) == "%(n)s organizacija"
    assert catalogue.gettext("Goodbye") == "Goodbye"  # a fuzzy translation is a guess: never shown
    assert catalogue.gettext("Untranslated") == "Untranslated"

    assert compile_catalogs([tmp_path]) == []  # up to date: nothing to do
    os.utime(po_path, (mo_path.stat().st_mtime + 10,) * 2)
    assert compile_catalogs([tmp_path]) == [mo_path]  # the .po changed: compiled again


def _catalogue_files() -> list[Path]:
    return sorted(path for locale in settings.LOCALE_PATHS for path in Path(locale).glob("*/LC_MESSAGES/*.po"))


def _read(path: Path):
    with path.open("rb") as po_file:
        return read_po(po_file)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


def test_there_are_catalogues():
    assert len(_catalogue_files()) >= 6


@pytest.mark.parametrize(
    "po_path", _catalogue_files(), ids=lambda path: str(path.relative_to(Path(settings.LOCALE_PATHS[0]).parent))
)
def test_catalogue_is_complete(po_path):
    catalogue = _read(po_path)
    messages = [message for message in catalogue if message.id]
    untranslated = [message.id for message in messages if not _translated(message)]
    fuzzy = [message.id for message in messages if message.fuzzy]
    problems = []
    if catalogue.fuzzy:
        problems.append("the header is marked fuzzy (remove the flag once the catalogue is reviewed)")
    for label, ids in (("untranslated", untranslated), ("fuzzy", fuzzy)):
        if ids:
            listed = "\n".join(f"    {msgid!r}" for msgid in ids[:20])
            problems.append(f"{len(ids)} of {len(messages)} messages {label}, the first {min(len(ids), 20)}:\n{listed}")
    assert not problems, f"{po_path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("locale_dir", [Path(p) for p in settings.LOCALE_PATHS if (Path(p) / "sr").is_dir()])
def test_serbian_latin_catalogue_is_the_transliteration_of_the_cyrillic_one(locale_dir):
    cyrillic = {(m.id, m.context): m.string for m in _read(locale_dir / "sr" / "LC_MESSAGES" / "django.po") if m.id}
    latin = {(m.id, m.context): m.string for m in _read(locale_dir / "sr_Latn" / "LC_MESSAGES" / "django.po") if m.id}

    def expected(string):
        return tuple(map(to_latin, string)) if isinstance(string, tuple | list) else to_latin(string)

    missing = sorted(str(key[0]) for key in cyrillic.keys() - latin.keys())
    extra = sorted(str(key[0]) for key in latin.keys() - cyrillic.keys())
    different = [str(key[0]) for key, string in cyrillic.items() if key in latin and latin[key] != expected(string)]
    assert not (missing or extra or different), (
        f"{locale_dir}/sr_Latn differs from the transliterated sr catalogue; run `civiclink transliterate_catalogs`.\n"
        f"  missing: {missing[:20]}\n  not in sr: {extra[:20]}\n  different: {different[:20]}"
    )


@pytest.mark.django_db
def test_text_shown_in_another_language_is_marked_with_its_language(client, world, make_organisation):
    """WCAG 3.1.2: a description written only in English, on a Bosnian page, carries lang="en"."""
    organisation = make_organisation(
        "Udruženje „Jezik”",
        world.home,
        language="en",
        description="Only written in English.",
        translations={"hr": {"description": "Samo na hrvatskom."}},
    )
    bosnian = client.get(f"/bs/organisations/{organisation.slug}/").content.decode()
    croatian = client.get(f"/hr/organisations/{organisation.slug}/").content.decode()
    assert '<p lang="en">Only written in English.</p>' in bosnian
    assert '<p lang="hr">Samo na hrvatskom.</p>' in croatian
