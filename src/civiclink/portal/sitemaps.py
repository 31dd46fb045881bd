"""The sitemap (an index of sections at /sitemap.xml) and robots.txt.

Every address is listed with its translations as `xhtml:link rel="alternate" hreflang` links. Wagtail pages are
translated page by page (a translation is another page with the same `translation_key`), so their alternates are
the live translations that exist; the other public pages are the same object shown in every language. Only what an
anonymous visitor may see is listed. Each section is paginated by Django (`?p=2`) well below the protocol's 50,000
addresses per file, and costs a fixed number of queries per file. Crawlers get the files from the page cache: a
sitemap some minutes old does no harm, and building a file of thousands of addresses takes a second.
"""

from collections import defaultdict
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from wagtail.models import Page, Site

from civiclink.core.pagecache import cached_page
from civiclink.governance.models import Campaign
from civiclink.participation.models import Process
from civiclink.places.models import Coalition, JointStatement, Municipality, Organisation

URLS_PER_FILE = 2_000  # each with up to seven alternates: a file is built in well under a second


class Section(Sitemap):
    limit = URLS_PER_FILE

    @cached_property
    def paginator(self):
        """Built once: Django's builds a new one, evaluating the items again, each time it is asked for."""
        return Paginator(self._items(), self.limit)


class PageSitemap(Section):
    """Live, public Wagtail pages of every language (home, free pages, news), each with its translations."""

    def items(self):
        return self._pages.order_by("path").only("url_path", "translation_key", "last_published_at")

    @cached_property
    def _pages(self):
        """Live pages in no private section under the site's home page in any language."""
        in_site = Q(pk__in=[])
        for root in Site.get_site_root_paths():
            in_site |= Q(url_path__startswith=root.root_path)
        return Page.objects.live().public().filter(in_site)

    def location(self, page):
        return page.get_url_parts()[2]  # the path; the sitemap adds the site's address

    def lastmod(self, page):
        return page.last_published_at

    def get_latest_lastmod(self):
        return self._pages.aggregate(latest=Max("last_published_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's entries, each with the live translations of its page as alternates (one query for them all)."""
        urls = super().get_urls(page, site, protocol)
        address = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        translations = defaultdict(list)
        for translation in (
            self._pages.filter(translation_key__in={url["item"].translation_key for url in urls})
            .select_related("locale")
            .only("url_path", "translation_key", "locale__language_code")
            .order_by("locale__language_code")
        ):
            translations[translation.translation_key].append(
                {"location": f"{address}{self.location(translation)}", "lang_code": translation.locale.language_code}
            )
        for url in urls:
            url["alternates"] = translations[url["item"].translation_key]
        return urls


class TranslatedSitemap(Section):
    """Pages that exist in every interface language: one address per language, the others as its alternates."""

    i18n = True
    alternates = True


class ListSitemap(TranslatedSitemap):
    """The public lists and forms."""

    def items(self):
        return [
            "places:municipalities",
            "places:organisations",
            "places:network",
            "participation:index",
            "governance:index",
            "newsletter:subscribe",
            "newsletter:archive",
            "contact:form",
        ]

    def location(self, name):
        return reverse(name)


class MunicipalitySitemap(TranslatedSitemap):
    def items(self):
        return Municipality.objects.order_by("slug").only("slug")


class OrganisationSitemap(TranslatedSitemap):
    """Verified organisations: one waiting for verification is not public, not even its existence."""

    def items(self):
        return Organisation.objects.filter(verified=True).order_by("slug").only("slug")


class NetworkSitemap(TranslatedSitemap):
    """The CSO network's coalitions and their joint statements."""

    def items(self):
        coalitions = Coalition.objects.order_by("slug").only("slug")
        statements = JointStatement.objects.select_related("coalition").order_by("coalition__slug", "slug")
        return [*coalitions, *statements.only("slug", "coalition__slug")]


class ProcessSitemap(TranslatedSitemap):
    """Published participation processes (drafts are visible to their officers only)."""

    def items(self):
        return Process.objects.filter(published=True).order_by("slug").only("slug")


class CampaignResultsSitemap(TranslatedSitemap):
    """ELoGE results that the municipality consented to publish."""

    def items(self):
        return Campaign.objects.filter(results_public=True).order_by("pk").only("pk")

    def location(self, campaign):
        return reverse("governance:results", args=[campaign.pk])


SECTIONS = {
    "pages": PageSitemap,
    "lists": ListSitemap,
    "municipalities": MunicipalitySitemap,
    "organisations": OrganisationSitemap,
    "network": NetworkSitemap,
    "processes": ProcessSitemap,
    "campaign-results": CampaignResultsSitemap,
}


@x_robots_tag
def index(request):
    """The sections that list something (a sitemap without addresses is not valid), each file of each."""

    def build():
        sections = {name: section() for name, section in SECTIONS.items()}
        listed = {name: section for name, section in sections.items() if section.paginator.count}
        return sitemap_views.index(request, listed, sitemap_url_name="sitemap_section").render()

    return cached_page(request, build)


@x_robots_tag
def section(request, section):
    return cached_page(request, lambda: sitemap_views.sitemap(request, SECTIONS, section=section).render())


# Addresses of private areas, per language where they sit under the language prefix.
PRIVATE_PREFIXES = ["/admin/", "/api/", "/kiosk/"]
PRIVATE_PER_LANGUAGE = ["accounts/", "account/", "moderation/", "search/"]


@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Crawlers may read every public page; the sitemap tells them where they are."""
    private = PRIVATE_PREFIXES + [
        f"/{code}/{prefix}" for code, _name in settings.LANGUAGES for prefix in PRIVATE_PER_LANGUAGE
    ]
    sitemap = f"{request.scheme}://{get_current_site(request).domain}{reverse('sitemap')}"
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in private), "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
