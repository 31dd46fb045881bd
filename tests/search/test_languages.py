"""One search across languages and scripts: folding makes "zepce", "Žepče" and "Жепче" one word on SQLite and
PostgreSQL alike; each language sees its own entries and those shown in every language."""

import pytest

from civiclink.search import index

from .conftest import find

pytestmark = pytest.mark.django_db


@pytest.fixture
def zepce(make_municipality):
    municipality = make_municipality("Žepče", name_cyrillic="Жепче", region="Zenica-Doboj Canton")
    index.rebuild()
    return municipality


@pytest.mark.parametrize("query", ["zepce", "Zepce", "ŽEPČE", "žepče", "Жепче", "жепче", "zep"])
def test_any_spelling_or_script_finds_the_municipality(zepce, query):
    assert find(query) == {"municipality": ["Žepče"]}


def test_serbian_sees_the_municipality_in_cyrillic_whatever_the_query_script(zepce):
    assert find("zepce", language="sr") == {"municipality": ["Жепче"]}
    assert find("Жепче", language="sr-latn") == {"municipality": ["Žepče"]}


def test_a_latin_query_finds_cyrillic_text_and_the_reverse(make_process):
    make_process("Буџет по мјери грађана", language="sr", slug="budzet")
    make_process("Đački parlament", slug="parlament")
    index.rebuild()
    assert find("budzet gradjana")["process"] == ["Буџет по мјери грађана"]
    assert find("буџет")["process"] == ["Буџет по мјери грађана"]
    assert find("ђачки")["process"] == ["Đački parlament"]
    assert find("dja")["process"] == ["Đački parlament"]


def test_macedonian_letters_match_their_romanisation(make_process):
    """ѓ, ќ and ѕ, which Serbian has not, fold as Macedonia romanises them: gj, kj, dz."""
    make_process("Ѓорче Петров: ќебапи и ѕвезди", language="mk", slug="gjorce")
    index.rebuild()
    for query in ("Ѓорче", "gjorce", "Gjorče petrov", "kjebapi", "dzvezdi", "ѕвезди"):
        assert find(query)["process"] == ["Ѓорче Петров: ќебапи и ѕвезди"], query


def test_every_word_must_match_as_a_prefix(make_process):
    make_process("Uređenje parka u Mahali")
    make_process("Uređenje obale Neretve")
    index.rebuild()
    assert find("uredj park")["process"] == ["Uređenje parka u Mahali"]
    assert sorted(find("uređenje")["process"]) == ["Uređenje obale Neretve", "Uređenje parka u Mahali"]
    assert find("uređenje trga") == {}


def test_a_process_is_found_in_its_translation_and_falls_back_to_its_original(make_process):
    make_process(
        "Zeleni Mostar",
        summary="Drveće za svaku ulicu.",
        translations={"en": {"title": "Green Mostar", "summary": "Trees for every street."}},
    )
    index.rebuild()
    assert find("trees", language="en")["process"] == ["Green Mostar"]
    assert find("trees", language="bs") == {}
    assert find("drvece", language="bs")["process"] == ["Zeleni Mostar"]
    assert find("drvece", language="hr")["process"] == ["Zeleni Mostar"]  # no Croatian translation: the original


def test_articles_are_found_in_their_own_language_only(make_article):
    make_article("Počela je obuka za lokalne akcione planove", "bs", summary="Obuka u Mostaru.")
    make_article("Local action plan training has started", "en", summary="Training in Mostar.")
    index.rebuild()
    assert find("mostar", language="bs")["article"] == ["Počela je obuka za lokalne akcione planove"]
    assert find("mostar", language="en")["article"] == ["Local action plan training has started"]
    assert "article" not in find("mostar", language="hr")


def test_proposals_are_shown_in_every_language_at_that_language_address(make_process):
    from civiclink.participation.models import Proposal
    from civiclink.search.query import search

    process = make_process("Budžet 2027")
    proposal = Proposal.objects.create(process=process, title="Klupe uz Neretvu", body="Više klupa na šetalištu.")
    index.rebuild()
    for language in ("bs", "en", "sr"):
        group = next(group for group in search(None, "klupe", language).groups if group.kind.key == "proposal")
        assert group.hits[0].url == f"/{language}/participation/budzet-2027/proposals/{proposal.pk}/"


def test_queries_without_a_word_of_two_letters_find_nothing(zepce):
    from civiclink.search.query import search, terms

    assert terms("a ž !!") == []
    assert search(None, "a ž", "en").groups == []
    assert terms("Žepče, ŽEPČE i Zenica") == ["zepce", "zenica"]
