"""Addresses outside the language prefix: the sitemap (an index of sections) and robots.txt."""

from django.urls import path

from civiclink.portal import sitemaps

urlpatterns = [
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
]
