"""The site's own error pages, in the visitor's language."""

import re

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["en", "bs", "sr"])
@pytest.mark.parametrize("path", ["no-such-page/", "organisations/no-such-organisation/", "municipalities/atlantis/"])
def test_not_found_in_the_visitors_language(client, language, path):
    response = client.get(f"/{language}/{path}")

    assert response.status_code == 404
    assert f'<html lang="{language}"' in response.content.decode()
    expected = gettext_in(language, "Page not found")
    if language != "en":
        assert expected != "Page not found", f"'Page not found' is not translated to {language}"
    assert title(response).startswith(expected)
    assert f'href="/{language}/"' in response.content.decode()  # the way home stays in the language


@pytest.mark.parametrize("language", ["en", "bs"])
def test_forbidden_in_the_visitors_language(client, world, role_user, language):
    client.force_login(role_user("org_member"))  # a member, not an administrator

    response = client.get(f"/{language}/organisations/{world.own.slug}/edit/")

    assert response.status_code == 403
    expected = gettext_in(language, "Access denied")
    if language != "en":
        assert expected != "Access denied"
    assert title(response).startswith(expected)
    assert gettext_in(language, "You may not open this page") in response.content.decode()


def test_forbidden_offers_anonymous_visitors_to_log_in(client, world):
    url = world.statement.get_absolute_url().replace("/bs/", "/en/", 1)
    response = client.post(url, {"organisation": world.own.pk})  # co-signing needs an organisation's administrator
    assert response.status_code == 403
    assert f'href="/en/accounts/login/?next={url}"' in response.content.decode()


def test_an_unverified_organisation_is_not_found_by_the_public(client, world):
    response = client.get(f"/en/organisations/{world.own_pending.slug}/")
    assert response.status_code == 404
    assert world.own_pending.legal_name not in response.content.decode()
