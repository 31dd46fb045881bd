"""The news index (a Wagtail page at /<lang>/news/) and its articles, answered from the page cache first; every
other address goes on to Wagtail."""

from django.urls import path, re_path

from civiclink.portal import views

urlpatterns = [
    path("", views.cache_first),
    re_path(r"^(?P<rest>.+)$", views.cache_first),
]
