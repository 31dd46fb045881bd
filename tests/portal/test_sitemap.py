"""The sitemap: an index of sections that validates against the sitemap protocol's schemas (tests/portal/schemas,
the official 0.9 `sitemap.xsd` and `siteindex.xsd`, with a declaration of XHTML's alternate link); every address
lists all its translations with hreflang and an absolute address; only what an anonymous visitor may see appears;
and each file costs the same queries whatever the number of addresses. robots.txt points crawlers to it."""

import datetime
from functools import cache
from pathlib import Path

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from wagtail.models import PageViewRestriction

from civiclink.portal import sitemaps

from .conftest import publish, translate

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent / "schemas"
NAMESPACES = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
DOMAIN = "http://127.0.0.1:8000"  # the sites framework's domain (from SITE_URL)
LANGUAGES = ["bs", "hr", "sr", "sr-latn", "mk", "sq", "en"]


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def fetch(client, address: str, schema_name: str) -> etree._Element:
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"] == "application/xml"
    document = etree.fromstring(response.content)
    validator = schema(schema_name)
    assert validator.validate(document), validator.error_log
    return document


def sections(client) -> list[str]:
    """The addresses the index lists, each file of each section."""
    index = fetch(client, "/sitemap.xml", "siteindex.xsd")
    return [loc.text for loc in index.xpath("/s:sitemapindex/s:sitemap/s:loc", namespaces=NAMESPACES)]


def addresses(client, section_address: str) -> dict[str, dict[str, str]]:
    """{address: {hreflang: alternate address}} of one sitemap file, checked against the schema and by XPath."""
    document = fetch(client, section_address.removeprefix(DOMAIN), "sitemap-alternates.xsd")
    listed = {}
    for url in document.xpath("/s:urlset/s:url", namespaces=NAMESPACES):
        (loc,) = url.xpath("s:loc/text()", namespaces=NAMESPACES)
        alternates = url.xpath("xhtml:link", namespaces=NAMESPACES)
        for link in alternates:
            assert link.get("rel") == "alternate"
            assert link.get("hreflang")
            assert link.get("href").startswith(f"{DOMAIN}/")
        languages = {link.get("hreflang"): link.get("href") for link in alternates}
        assert len(languages) == len(alternates), f"{loc} lists a language twice"
        assert loc in languages.values(), f"{loc} is not among its own alternates"
        assert loc not in listed
        listed[loc] = languages
    return listed


def everything(client) -> dict[str, dict[str, str]]:
    listed = {}
    for section in sections(client):
        listed |= addresses(client, section)
    return listed


def check_alternates_agree(listed: dict[str, dict[str, str]]) -> None:
    """Each alternate of an address is itself listed, with the same set of translations."""
    for loc, languages in listed.items():
        for href in languages.values():
            assert listed[href] == languages, (loc, href)


@pytest.fixture
def directory(world, make_process):
    """The world's directory, one published and one draft process, one ELoGE campaign with public results and one
    without."""
    from civiclink.governance.models import Campaign, Cycle, Platform
    from eloge_data import make_small_benchmark

    make_process(title="Budget 2026", slug="budget-2026")
    make_process(title="Secret plans", slug="secret-plans", published=False)
    platform = Platform.objects.create(
        name="LDA Mostar", accredited_from=datetime.date(2022, 1, 1), accredited_until=datetime.date(2030, 12, 31)
    )
    cycle = Cycle.for_platform(platform, benchmark=make_small_benchmark(), name="ELoGE 2024", year=2024)
    cycle.save()
    public = Campaign.objects.create(cycle=cycle, municipality=world.home, results_public=True)
    private = Campaign.objects.create(cycle=cycle, municipality=world.away)
    return public, private


@pytest.fixture
def make_process(world):
    from civiclink.participation.models import Process

    def make(**fields):
        fields.setdefault("published", True)
        return Process.objects.create(municipality=world.home, **fields)

    return make


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {DOMAIN}/sitemap.xml" in lines
    for private in ("/admin/", "/api/", "/kiosk/", "/bs/accounts/", "/sr-latn/account/", "/en/moderation/"):
        assert f"Disallow: {private}" in lines
    assert not any(line in ("Disallow: /", "Disallow: /bs/", "Disallow: /en/news/") for line in lines)


def test_the_index_lists_the_sections_with_addresses(client, news):
    listed = sections(client)
    assert f"{DOMAIN}/sitemap-pages.xml" in listed
    assert f"{DOMAIN}/sitemap-lists.xml" in listed
    assert f"{DOMAIN}/sitemap-campaign-results.xml" not in listed  # none is public: an empty file is not valid
    assert all(address.startswith(f"{DOMAIN}/sitemap-") for address in listed)


def test_wagtail_pages_list_their_translations(client, news, make_article):
    launch = make_article("bs", title="Pokretanje", slug="pokretanje")
    translate(launch, "en", title="Launch", slug="launch")
    translate(launch, "hr", title="Pokretanje", slug="pokretanje")
    only_bosnian = make_article("bs", title="Samo bosanski", slug="samo-bosanski")

    pages = addresses(client, f"{DOMAIN}/sitemap-pages.xml")
    assert pages[f"{DOMAIN}/bs/news/pokretanje/"] == {
        "bs": f"{DOMAIN}/bs/news/pokretanje/",
        "en": f"{DOMAIN}/en/news/launch/",
        "hr": f"{DOMAIN}/hr/news/pokretanje/",
    }
    assert pages[f"{DOMAIN}/bs/news/samo-bosanski/"] == {"bs": f"{DOMAIN}{only_bosnian.url}"}
    assert pages[f"{DOMAIN}/en/"] == {"bs": f"{DOMAIN}/bs/", "en": f"{DOMAIN}/en/", "hr": f"{DOMAIN}/hr/"}
    assert set(pages[f"{DOMAIN}/hr/news/"]) == {"bs", "en", "hr"}
    check_alternates_agree(pages)
    for address in pages:
        assert client.get(address.removeprefix(DOMAIN)).status_code == 200, address


def test_drafts_private_pages_and_unpublished_translations_stay_out(client, news, make_article):
    make_article("bs", title="Nacrt", slug="nacrt", live=False)
    private = make_article("bs", title="Interno", slug="interno")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    public = make_article("bs", title="Javno", slug="javno")
    draft_translation = translate(public, "en", title="Public", slug="public")
    draft_translation.unpublish()
    unpublished = make_article("bs", title="Povučeno", slug="povuceno")
    publish(unpublished).unpublish()

    pages = addresses(client, f"{DOMAIN}/sitemap-pages.xml")
    assert all("/nacrt/" not in address and "/interno/" not in address for address in pages)
    assert f"{DOMAIN}/bs/news/povuceno/" not in pages
    assert pages[f"{DOMAIN}/bs/news/javno/"] == {"bs": f"{DOMAIN}/bs/news/javno/"}
    assert f"{DOMAIN}/en/news/public/" not in pages


def test_directory_pages_are_listed_in_every_language(client, news, world, directory):
    public_campaign, private_campaign = directory
    listed = everything(client)
    check_alternates_agree(listed)

    expected = [
        "/municipalities/",
        "/organisations/",
        "/network/",
        "/participation/",
        "/governance/",
        "/municipalities/mostar/",
        "/municipalities/trebinje/",
        f"/organisations/{world.own.slug}/",
        f"/organisations/{world.other.slug}/",
        "/network/open-municipalities/",
        "/network/open-municipalities/readable-budgets/",
        "/participation/budget-2026/",
        f"/governance/campaigns/{public_campaign.pk}/results/",
    ]
    for path in expected:
        for language in LANGUAGES:
            address = f"{DOMAIN}/{language}{path}"
            assert address in listed, address
            assert listed[address] == {code: f"{DOMAIN}/{code}{path}" for code in LANGUAGES}

    paths = {address.removeprefix(DOMAIN) for address in listed}
    for hidden in (
        f"/bs/organisations/{world.own_pending.slug}/",  # waiting for verification
        "/bs/participation/secret-plans/",  # a draft
        f"/bs/governance/campaigns/{private_campaign.pk}/results/",  # results not published
    ):
        assert hidden not in paths
    for language in ("bs", "en"):
        for path in expected:
            address = f"/{language}{path}"
            assert client.get(address).status_code == 200, address


def test_a_large_section_is_split_into_files(client, news, world, make_municipality, monkeypatch):
    monkeypatch.setattr(sitemaps.MunicipalitySitemap, "limit", 10)
    for number in range(3):
        make_municipality(f"Općina {number}")  # five municipalities in seven languages: 35 addresses
    files = [address for address in sections(client) if "municipalities" in address]
    assert files == [f"{DOMAIN}/sitemap-municipalities.xml"] + [
        f"{DOMAIN}/sitemap-municipalities.xml?p={page}" for page in (2, 3, 4)
    ]
    listed = {}
    for address in files:
        listed |= addresses(client, address)
    assert len(listed) == 35
    check_alternates_agree(listed)
    assert client.get("/sitemap-municipalities.xml?p=5").status_code == 404


def count_queries(client, address: str) -> int:
    client.get(address)  # warm-up: per-process caches (site root paths, the sites framework's domain)
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


def test_a_files_queries_do_not_grow_with_its_addresses(client, news, world, make_article, make_organisation):
    section_addresses = ["/sitemap.xml", *(f"/sitemap-{name}.xml" for name in ("pages", "organisations", "network"))]
    for number in range(2):
        translate(make_article("bs", title=f"Vijest {number}"), "en")
    few = [count_queries(client, address) for address in section_addresses]
    for number in range(2, 12):
        translate(make_article("bs", title=f"Vijest {number}"), "en")
        make_organisation(f"Udruženje {number}", world.home)
    assert [count_queries(client, address) for address in section_addresses] == few
    assert few[1] <= 5, few  # restrictions, count, the page of pages, their translations


def test_crawlers_get_the_files_from_the_page_cache(client, news, settings, require_service, django_assert_num_queries):
    require_service("Redis", "127.0.0.1", 6379)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/12"}
    }
    django_cache.clear()
    try:
        for address in ("/sitemap.xml", "/sitemap-pages.xml"):
            built = client.get(address)
            with django_assert_num_queries(0):
                cached = client.get(address)
            assert cached.content == built.content
            assert cached["Content-Type"] == "application/xml"
            assert cached["X-Robots-Tag"] == built["X-Robots-Tag"] == "noindex, noodp, noarchive"
    finally:
        django_cache.clear()
