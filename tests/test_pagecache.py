"""The whole-page cache of the public lists, against a real Redis: anonymous visitors share a page until the data
it shows changes; signed-in visitors and pages that set cookies are never shared."""

import pytest
from django.core.cache import cache

from civiclink.core import pagecache
from civiclink.places.models import Organisation

pytestmark = pytest.mark.django_db


def served_from_cache(response) -> bool:
    """A rendered page has the template context; a cached one is plain bytes."""
    return getattr(response, "context", None) is None


def test_anonymous_visitors_share_a_page_until_the_data_changes(
    client, world, shared_cache, django_capture_on_commit_callbacks
):
    first = client.get("/en/organisations/")
    second = client.get("/en/organisations/")
    assert not served_from_cache(first) and served_from_cache(second)
    assert second.content == first.content
    assert second["Content-Security-Policy"]  # the middleware still runs around a cached page

    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.filter(pk=world.other.pk).update(legal_name="Renamed without signals")
        renamed = Organisation.objects.get(pk=world.other.pk)
        renamed.legal_name = "Udruženje „Novo ime”"
        renamed.save()

    after = client.get("/en/organisations/")
    assert not served_from_cache(after)
    assert "Udruženje „Novo ime”" in after.content.decode()


def test_languages_paths_and_htmx_are_cached_apart(client, world, shared_cache):
    client.get("/en/organisations/")
    bosnian = client.get("/bs/organisations/")
    filtered = client.get("/en/organisations/?network=on")
    partial = client.get("/en/organisations/", headers={"HX-Request": "true"})
    assert not any(served_from_cache(response) for response in (bosnian, filtered, partial))
    assert "<html" not in partial.content.decode()


def test_signed_in_visitors_get_their_own_page(client, world, shared_cache, role_user):
    admin = role_user("org_admin")
    client.get("/en/municipalities/")
    client.force_login(admin)
    page = client.get("/en/municipalities/")
    assert not served_from_cache(page)
    assert admin.display_name in page.content.decode()


def test_without_a_shared_cache_nothing_is_cached(client, world):
    client.get("/en/organisations/")
    assert not served_from_cache(client.get("/en/organisations/"))
    assert pagecache.page_version() is None


def test_an_unreachable_cache_serves_the_page_uncached(client, world, settings):
    settings.CACHES = {
        "default": {"BACKEND": "civiclink.core.cache.SharedClientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/en/organisations/")
    assert response.status_code == 200 and not served_from_cache(response)


def test_other_processes_see_a_change_within_a_second(client, world, shared_cache, monkeypatch):
    """Each process keeps the version for a second: a change made by another process (here: the version deleted
    behind this one's back) shows once that second is over; this process's own changes show at once."""
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    client.get("/en/organisations/")
    cache.delete(pagecache.VERSION_KEY)  # what expire_pages() does in another process
    assert served_from_cache(client.get("/en/organisations/"))
    clock[0] += pagecache.VERSION_MEMO_SECONDS
    assert not served_from_cache(client.get("/en/organisations/"))
    assert served_from_cache(client.get("/en/organisations/"))
    pagecache.expire_pages()
    assert not served_from_cache(client.get("/en/organisations/"))


def test_the_redis_cache_shares_one_client(shared_cache):
    """Django would build a client, and copy redis-py's table of response callbacks, for every call."""
    backend = cache._cache
    assert backend.get_client() is backend.get_client() is backend.get_client(write=True)
