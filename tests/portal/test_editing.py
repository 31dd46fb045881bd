"""Staff edit the news in the back office and translate an article with the "Translate" action of Wagtail's simple
translation: the copy keeps tags, relations and the main image, and becomes the article in the other language."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from civiclink.portal.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, make_user):
    staff = make_user("editor@example.org", superuser=True)
    client.force_login(staff)
    return staff


def test_staff_edit_an_article_and_close_its_comments(client, editor, make_article, world):
    article = make_article("en", title="Draft title", tags=["eloge"], municipalities=[world.home])
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    form = client.get(edit_url).content.decode()
    for field in ("summary", "main_image_alt", "author_organisation", "municipalities", "comments_open", "tags"):
        assert f'name="{field}"' in form, field
    response = client.get(reverse("wagtailadmin_pages:add", args=["portal", "articlepage", article.get_parent().pk]))
    assert response.status_code == 200


def test_the_main_image_needs_its_alternative_text_in_the_editor(client, editor, make_article):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Photo", file=get_test_image_file())
    article = make_article("en", title="With a photo")
    data = {
        "title": "With a photo",
        "slug": article.slug,
        "summary": "Summary.",
        "published_on": "2024-05-01",
        "main_image": image.pk,
        "main_image_alt": "",
        "body-count": "0",
        "tags": "",
        "comments_open": "on",
        "action-publish": "Publish",
    }
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 200  # the form again, with the error
    assert "Describe the main image for people who cannot see it." in response.content.decode()
    data["main_image_alt"] = "Volunteers painting a bench"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).main_image_alt == "Volunteers painting a bench"


def test_translate_an_article_with_simple_translation(client, editor, make_article, world):
    article = make_article("bs", title="Klupe u Mostaru", tags=["klupe"], municipalities=[world.home])
    article.organisations.set([world.own])
    article.save_revision().publish()
    url = reverse("simple_translation:submit_page_translation", args=[article.pk])
    assert client.get(url).status_code == 200
    croatian = Locale.objects.get(language_code="hr")
    response = client.post(url, {"locales": [croatian.pk]})
    assert response.status_code == 302
    copy = ArticlePage.objects.get(translation_key=article.translation_key, locale=croatian)
    assert copy.get_parent().specific.locale == croatian
    assert [tag.name for tag in copy.tags.all()] == ["klupe"]
    assert list(copy.municipalities.all()) == [world.home] and list(copy.organisations.all()) == [world.own]
