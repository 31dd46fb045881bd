"""The footer's funding acknowledgement and disclaimer: staff write them per language in the site settings, every
page shows the visitor's language (Serbian Latin written from the Cyrillic), and the Bosnian text where none exists,
marked with its language. Reading it costs one query per page, as before it had translations."""

import pytest
from django.urls import reverse
from django.utils import translation

from civiclink.core.i18n import to_latin
from civiclink.pages.models import FooterTranslation, SiteFooter

pytestmark = pytest.mark.django_db

BOSNIAN = (
    "Platforma je razvijena uz finansijsku podršku Evropske unije.",
    "Sadržaj ne odražava stavove Evropske unije.",
)
ENGLISH = ("Developed with the financial support of the European Union.", "Not the views of the European Union.")
SERBIAN = ("Платформа је развијена уз подршку Европске уније.", "Садржај не одражава ставове Европске уније.")


@pytest.fixture
def footer():
    footer = SiteFooter.objects.create(funding_acknowledgement=BOSNIAN[0], disclaimer=BOSNIAN[1])
    FooterTranslation.objects.create(
        footer=footer, language="en", funding_acknowledgement=ENGLISH[0], disclaimer=ENGLISH[1]
    )
    FooterTranslation.objects.create(
        footer=footer, language="sr", funding_acknowledgement=SERBIAN[0], disclaimer=SERBIAN[1]
    )
    return footer


def test_each_language_has_its_text_or_falls_back_to_bosnian(footer):
    assert SiteFooter.texts("bs") == {"funding_acknowledgement": (BOSNIAN[0], "bs"), "disclaimer": (BOSNIAN[1], "bs")}
    assert SiteFooter.texts("en") == {"funding_acknowledgement": (ENGLISH[0], "en"), "disclaimer": (ENGLISH[1], "en")}
    assert SiteFooter.texts("sr")["disclaimer"] == (SERBIAN[1], "sr")
    assert SiteFooter.texts("hr")["funding_acknowledgement"] == (BOSNIAN[0], "bs")
    with translation.override("en"):
        assert SiteFooter.texts()["disclaimer"] == (ENGLISH[1], "en")  # the active language by default


def test_serbian_latin_is_written_from_the_cyrillic_unless_staff_wrote_it(footer):
    latin = SiteFooter.texts("sr-latn")
    assert latin["funding_acknowledgement"] == ("Platforma je razvijena uz podršku Evropske unije.", "sr-latn")
    assert latin["disclaimer"] == (to_latin(SERBIAN[1]), "sr-latn")

    FooterTranslation.objects.create(footer=footer, language="sr-latn", funding_acknowledgement="Vlastiti tekst.")
    latin = SiteFooter.texts("sr-latn")
    assert latin["funding_acknowledgement"] == ("Vlastiti tekst.", "sr-latn")
    assert latin["disclaimer"] == (to_latin(SERBIAN[1]), "sr-latn")  # left empty: from the Cyrillic


def test_an_empty_translated_field_falls_back_on_its_own(footer):
    footer.translations.filter(language="en").update(disclaimer="")
    assert SiteFooter.texts("en") == {"funding_acknowledgement": (ENGLISH[0], "en"), "disclaimer": (BOSNIAN[1], "bs")}


def test_without_a_footer_pages_have_none(client):
    assert SiteFooter.texts("en") == {"funding_acknowledgement": ("", "bs"), "disclaimer": ("", "bs")}
    page = client.get("/en/municipalities/").content.decode()
    assert 'class="site-footer"' in page


def test_every_page_shows_the_footer_in_its_language(client, footer):
    english = client.get("/en/municipalities/").content.decode()
    assert f"<p>{ENGLISH[0]}</p>" in english
    assert f'<p class="small">{ENGLISH[1]}</p>' in english
    assert BOSNIAN[0] not in english

    latin = client.get("/sr-latn/organisations/").content.decode()
    assert to_latin(SERBIAN[0]) in latin
    assert SERBIAN[0] not in latin


def test_a_fallback_is_marked_with_its_language(client, footer):
    """WCAG 3.1.2: a screen reader reads the Bosnian text on a Croatian page with Bosnian pronunciation."""
    croatian = client.get("/hr/municipalities/").content.decode()
    assert f'<p lang="bs">{BOSNIAN[0]}</p>' in croatian
    assert f'<p class="small" lang="bs">{BOSNIAN[1]}</p>' in croatian
    bosnian = client.get("/bs/municipalities/").content.decode()
    assert f"<p>{BOSNIAN[0]}</p>" in bosnian


def test_error_pages_carry_the_footer(client, footer):
    response = client.get("/en/municipalities/no-such-place/")
    assert response.status_code == 404
    assert ENGLISH[1] in response.content.decode()


def test_line_breaks_are_kept_and_markup_is_escaped(client, footer):
    footer.translations.filter(language="en").update(disclaimer="First line.\nSecond <b>line</b>.")
    page = client.get("/en/municipalities/").content.decode()
    assert "First line.<br>Second &lt;b&gt;line&lt;/b&gt;." in page


def test_the_footer_costs_one_query_per_page(client, footer, django_assert_num_queries):
    """The municipality list and the footer in the visitor's language (with its fallbacks) in one query."""
    client.get("/sr-latn/municipalities/")  # warm-up: per-process caches
    with django_assert_num_queries(2):
        page = client.get("/sr-latn/municipalities/").content.decode()
    assert to_latin(SERBIAN[1]) in page


def test_staff_edit_the_footer_per_language_in_the_settings(client, role_user, footer):
    staff = role_user("staff")
    assert staff.has_perm("pages.change_sitefooter"), "the staff role's group lacks the pages app (STAFF_APPS)"
    client.force_login(staff)
    address = reverse("wagtailsettings:edit", args=["pages", "sitefooter", footer.pk])
    form = client.get(address)
    assert form.status_code == 200
    assert ENGLISH[0] in form.content.decode()
    english, serbian = footer.translations.order_by("language")
    response = client.post(
        address,
        {
            "funding_acknowledgement": "Uz podršku Evropske unije.",
            "disclaimer": BOSNIAN[1],
            "translations-TOTAL_FORMS": "3",
            "translations-INITIAL_FORMS": "2",
            "translations-MIN_NUM_FORMS": "0",
            "translations-MAX_NUM_FORMS": "1000",
            "translations-0-id": english.pk,
            "translations-0-language": "en",
            "translations-0-funding_acknowledgement": "With the support of the European Union.",
            "translations-0-disclaimer": ENGLISH[1],
            "translations-1-id": serbian.pk,
            "translations-1-language": "sr",
            "translations-1-funding_acknowledgement": SERBIAN[0],
            "translations-1-disclaimer": SERBIAN[1],
            "translations-1-DELETE": "on",
            "translations-2-id": "",
            "translations-2-language": "sq",
            "translations-2-funding_acknowledgement": "Me mbështetjen e Bashkimit Evropian.",
            "translations-2-disclaimer": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert SiteFooter.texts("bs")["funding_acknowledgement"] == ("Uz podršku Evropske unije.", "bs")
    assert SiteFooter.texts("en")["funding_acknowledgement"] == ("With the support of the European Union.", "en")
    assert SiteFooter.texts("sr")["funding_acknowledgement"] == ("Uz podršku Evropske unije.", "bs")  # deleted
    assert SiteFooter.texts("sq") == {
        "funding_acknowledgement": ("Me mbështetjen e Bashkimit Evropian.", "sq"),
        "disclaimer": (BOSNIAN[1], "bs"),
    }
    page = client.get("/sq/municipalities/").content.decode()
    assert "Me mbështetjen e Bashkimit Evropian." in page


def test_one_translation_per_language(client, role_user, footer):
    client.force_login(role_user("staff"))
    address = reverse("wagtailsettings:edit", args=["pages", "sitefooter", footer.pk])
    english = footer.translations.get(language="en")
    data = {
        "funding_acknowledgement": BOSNIAN[0],
        "disclaimer": BOSNIAN[1],
        "translations-TOTAL_FORMS": "2",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": english.pk,
        "translations-0-language": "en",
        "translations-0-funding_acknowledgement": ENGLISH[0],
        "translations-0-disclaimer": ENGLISH[1],
        "translations-1-id": "",
        "translations-1-language": "en",
        "translations-1-funding_acknowledgement": "A second English text.",
        "translations-1-disclaimer": "",
    }
    with translation.override("en"):
        response = client.post(address, data)
    assert response.status_code == 200  # the form again, with the error and what was typed
    assert "A second English text." in response.content.decode()
    assert footer.translations.filter(language="en").count() == 1
    assert SiteFooter.texts("en")["funding_acknowledgement"] == (ENGLISH[0], "en")


def test_the_demo_writes_the_footer_in_every_language_once():
    from civiclink.pages import demo

    demo.load()
    assert SiteFooter.texts("en")["funding_acknowledgement"][0].startswith("This platform was developed")
    for language in ("bs", "hr", "sr", "sr-latn", "mk", "sq", "en"):
        texts = SiteFooter.texts(language)
        assert texts["funding_acknowledgement"][1] == language
        assert texts["disclaimer"][1] == language
        assert "LINK 4 Cooperation" in texts["disclaimer"][0]

    SiteFooter.objects.update(funding_acknowledgement="Edited by staff.")
    demo.load()
    assert SiteFooter.texts("bs")["funding_acknowledgement"] == ("Edited by staff.", "bs")
