"""An article: its parts, the languages it exists in and the note when the visitor's language is missing, the
metadata shared links show, the print view, and the translation staff make with Wagtail's "Translate"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from civiclink.portal.models import ArticlePage

from .conftest import translate

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def image():
    return Image.objects.create(title="Launch", file=get_test_image_file(size=(1400, 900)))


@pytest.fixture
def article(make_article, world, image):
    from django.core.files.base import ContentFile

    document = Document.objects.create(title="Programme", file=ContentFile(b"%PDF-1.4 " + b"x" * 2048, name="plan.pdf"))
    process = make_process_for(world)
    found = make_article(
        "en",
        title="The ELoGE launch",
        summary="Twelve municipalities start the European Label of Governance Excellence.",
        published_on=datetime.date(2024, 3, 12),
        tags=["eloge", "good governance"],
        municipalities=[world.home, world.away],
        main_image=image,
        main_image_alt="Mayors on a stage",
        main_image_caption="The launch in Mostar.",
        author_organisation=world.own,
        body=[
            (
                "paragraph",
                RichText('<p>Read <a href="https://example.org/eloge">the label</a> and <a href="/en/">us</a>.</p>'),
            ),
            ("image", {"image": image, "alt_text": "The hall, full", "caption": "Two hundred guests."}),
            ("document", {"document": document, "title": "The programme"}),
            ("quote", {"text": "Good governance starts locally.", "attribution": "A mayor"}),
        ],
    )
    found.processes.set([process])
    found.organisations.set([world.own, world.own_pending])
    found.save_revision().publish()
    return ArticlePage.objects.get(pk=found.pk)


def make_process_for(world):
    from civiclink.participation.models import Process

    return Process.objects.create(municipality=world.home, title="Green Mostar", slug="green-mostar", published=True)


def test_every_part_of_the_article(client, article, world):
    page = html(client.get(article.url))
    assert '<h1 id="article-title" tabindex="-1">The ELoGE launch</h1>' in page
    assert "Twelve municipalities start" in page and '<time datetime="2024-03-12">' in page
    assert f'by <a href="{world.own.get_absolute_url()}">' in page
    assert 'alt="Mayors on a stage"' in page and "<figcaption>The launch in Mostar.</figcaption>" in page
    assert 'alt="The hall, full"' in page and "<figcaption>Two hundred guests.</figcaption>" in page
    assert '>The programme</a> <span class="meta">(PDF, 2.0' in page
    assert "Good governance starts locally." in page and "A mayor" in page
    assert 'href="/en/news/?tag=eloge">eloge</a>' in page and 'href="/en/news/?tag=good-governance"' in page
    assert world.home.get_absolute_url() in page and world.away.get_absolute_url() in page
    assert "/participation/green-mostar/" in page
    assert world.own.get_absolute_url() in page and world.own_pending.get_absolute_url() not in page  # unverified
    assert "Read 0 times" in page or "Read 1 time" in page
    assert f'href="{article.url}print/"' in page


def test_the_languages_it_exists_in_and_the_note_when_one_is_missing(client, article):
    bosnian = translate(article, "bs", title="Pokretanje ELoGE", summary="Dvanaest općina.")
    page = html(client.get(article.url))
    assert f'<a href="{bosnian.url}" hreflang="bs" lang="bs">Bosanski</a>' in page
    assert '<span lang="en" aria-current="true">English</span>' in page
    assert "not available in" not in page
    # The language switcher leads to /hr/news/<slug>/: there is no Croatian one, so Bosnian (every article exists
    # in Bosnian and English), with a note.
    response = client.get(f"/hr/news/{article.slug}/")
    assert response.status_code == 302 and response["Location"] == f"{bosnian.url}?from=hr"
    noted = html(client.get(response["Location"]))
    with translation.override("bs"):  # the page's interface language
        note = gettext("This article is not available in %(wanted)s; you are reading it in %(current)s.")
    assert note % {"wanted": "Hrvatski", "current": "Bosanski"} in noted
    # A translation under another slug is found too.
    bosnian.slug = "pokretanje-eloge"
    bosnian.save_revision().publish()
    assert client.get(f"/bs/news/{article.slug}/")["Location"] == "/bs/news/pokretanje-eloge/"
    assert client.get("/hr/news/no-such-article/").status_code == 404


def test_open_graph_and_twitter_card(client, article):
    page = html(client.get(article.url))
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="The ELoGE launch">' in page
    assert f'<meta property="og:url" content="http://testserver{article.url}">' in page
    assert f'<link rel="canonical" href="http://testserver{article.url}">' in page
    assert '<meta property="og:locale" content="en">' in page
    assert '<meta property="article:published_time" content="2024-03-12">' in page
    assert '<meta property="article:tag" content="eloge">' in page
    assert '<meta property="og:image" content="http://testserver/media/images/' in page and ".fill-1200x630" in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_without_an_image_the_card_is_a_summary(client, make_article):
    page = html(client.get(make_article("en", title="Plain").url))
    assert '<meta name="twitter:card" content="summary">' in page and "og:image" not in page


def test_the_print_view_writes_links_out(client, article, settings):
    from civiclink.pages.models import SiteFooter

    SiteFooter.objects.update_or_create(pk=1, defaults={"funding_acknowledgement": "Funded by the programme."})
    page = html(client.get(f"{article.url}print/"))
    assert 'class="main-nav"' not in page and 'id="comments"' not in page
    assert 'the label</a><sup class="footnote-ref">[1]</sup>' in page
    assert "<li>[1] https://example.org/eloge</li>" in page and "<li>[2] http://testserver/en/</li>" in page
    assert "<li>[3] http://testserver/documents/" in page
    assert "Funded by the programme." in page


def test_staff_must_describe_the_main_image(article):
    article.main_image_alt = " "
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "main_image_alt" in error.value.message_dict


def test_a_translation_keeps_tags_and_relations(article, world):
    from wagtail.models import Locale

    copy = article.copy_for_translation(Locale.objects.get(language_code="bs")).specific
    assert sorted(tag.name for tag in copy.tags.all()) == ["eloge", "good governance"]
    assert set(copy.municipalities.all()) == {world.home, world.away}
    assert [process.slug for process in copy.processes.all()] == ["green-mostar"]
    assert copy.main_image_id == article.main_image_id and copy.translation_key == article.translation_key
    assert copy.live is False  # a draft until staff publish the translation


def test_the_article_costs_a_fixed_number_of_queries(client, article, make_article, django_assert_num_queries):
    """Wagtail's routing (9), the counter (none for a reader the cache has seen today), then the article's parts:
    translations, image, tags, the four kinds of related items, more news, comments, the author, the body's image
    and document, the footer."""
    for _number in range(5):
        make_article("en")
    client.get(article.url, HTTP_USER_AGENT="Mozilla/5.0")  # renditions are made, today's salt is drawn
    with django_assert_num_queries(QUERIES):
        html(client.get(article.url, HTTP_USER_AGENT="Mozilla/5.0"))


QUERIES = 25
