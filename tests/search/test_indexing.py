"""The index follows saves, publishing, unpublishing, moves and deletions through tasks queued on commit, and the
rebuild command writes it afresh."""

import pytest
from django.core.management import CommandError, call_command

from civiclink.search import index
from civiclink.search.models import SearchEntry

from .conftest import find

pytestmark = pytest.mark.django_db


def entries(kind: str, obj) -> list[tuple[str, str]]:
    rows = SearchEntry.objects.filter(kind=kind, object_id=obj.pk).order_by("language")
    return list(rows.values_list("language", "title"))


def test_saving_queues_indexing_on_commit_only(make_municipality, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tuzla = make_municipality("Tuzla")
    assert callbacks and not SearchEntry.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [language for language, _title in entries("municipality", tuzla)] == sorted(
        ["bs", "en", "hr", "mk", "sq", "sr", "sr-latn"]
    )
    assert dict(entries("municipality", tuzla))["sr"] == "Тузла"

    tuzla.name = "Grad Tuzla"
    with django_capture_on_commit_callbacks(execute=True):
        tuzla.save()
    assert dict(entries("municipality", tuzla))["bs"] == "Grad Tuzla"
    with django_capture_on_commit_callbacks(execute=True):
        tuzla.delete()
    assert not SearchEntry.objects.exists()


def test_publishing_unpublishing_and_deleting_an_article(make_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Klupe postavljene u Mostaru", live=False)
    assert entries("article", article) == []  # a draft

    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert entries("article", article) == [("bs", "Klupe postavljene u Mostaru")]
    assert SearchEntry.objects.get(object_id=article.pk).url == "/bs/news/article-1/"

    article.title = "Pametne klupe postavljene u Mostaru"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision()  # a draft of the change: the live page is unchanged
    assert entries("article", article) == [("bs", "Klupe postavljene u Mostaru")]
    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()
    assert entries("article", article) == [("bs", "Pametne klupe postavljene u Mostaru")]

    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert entries("article", article) == []
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
        article.delete()
    assert entries("article", article) == []


def test_moving_or_renaming_a_page_updates_the_addresses_below_it(
    site_pages, make_article, django_capture_on_commit_callbacks
):
    article = make_article("Završna konferencija", slug="zavrsna-konferencija")
    index.rebuild()
    news = site_pages.news["bs"]
    news.slug = "vijesti"
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    assert SearchEntry.objects.get(object_id=article.pk).url == "/bs/vijesti/zavrsna-konferencija/"


def test_the_article_text_captions_author_and_tags_are_found(make_article, world):
    article = make_article(
        "Poziv za grantove",
        summary="Prijave do kraja mjeseca.",
        author_organisation=world.own,
        body=[
            ("paragraph", "<p>Organizacije civilnog <b>društva</b> mogu se prijaviti.</p>"),
            ("quote", {"text": "Transparentnost je ključ.", "attribution": "Amra"}),
        ],
        main_image_caption="Potpisivanje ugovora",
    )
    article.tags.add("grantovi")
    article.municipalities.add(world.away)
    article.save()
    index.rebuild()
    for query in ("drustva", "transparentnost", "potpisivanje", "CGI", "grantovi", "trebinje"):
        assert find(query, language="bs")["article"] == ["Poziv za grantove"], query


def test_rebuild_command(world, make_municipality, capsys):
    SearchEntry.objects.all().delete()
    call_command("search", "rebuild")
    output = capsys.readouterr().out
    assert "municipality: 14 entries" in output  # Mostar and Trebinje in seven languages
    assert "organisation: 14 entries" in output  # the two verified ones
    assert find("trebinje") == {"municipality": ["Trebinje"], "organisation": ["Una zajedno"]}

    SearchEntry.objects.filter(kind="organisation").delete()
    call_command("search", "rebuild", "--kind", "organisation")
    assert "organisation: 14 entries" in capsys.readouterr().out
    assert SearchEntry.objects.filter(kind="municipality").count() == 14
    with pytest.raises(CommandError, match="Unknown kind: grant"):
        call_command("search", "rebuild", "--kind", "grant")


def test_sectors_of_an_organisation_are_searchable_after_a_change(world, django_capture_on_commit_callbacks):
    from civiclink.places.models import Sector

    index.rebuild()
    assert "organisation" not in find("youth")
    with django_capture_on_commit_callbacks(execute=True):
        world.own.sectors.add(Sector.objects.get(slug="youth"))
    assert find("youth") == {"organisation": ["Centar za građanske inicijative"]}
