"""The news benchmark's data: the demo's articles topped up to `--articles` live Bosnian articles, with tags and
municipalities, so that the news index, its filters and its archive work on a realistic volume.

Run with the benchmark's environment (DATABASE_URL and friends), after `civiclink demo --no-serve`:
``python bench/portal_data.py --articles 5000``. Prints one JSON line: the index's path, an article's path, a tag
for the filtered listing, and row counts. Seeded; safe to run again (it only adds what is missing).

Building 5,000 pages with `add_child` and a revision each takes minutes (a dozen queries per page). Here the tree
rows are written in bulk instead: treebeard's materialised paths are computed for the new children of the index
(`Page._get_path`, the next free step numbers), the `Page` rows are bulk-inserted, then the `ArticlePage` rows of the
same primary keys (Django's bulk_create refuses multi-table models, so the child table gets its rows through the
same INSERT that bulk_create itself issues per table), then tags and municipalities, and the index's `numchild`.
The pages are live without revisions, as pages published by an import are; the tree is checked at the end.
"""

import argparse
import datetime
import json
import os
import random
import time
import uuid

TAGS = [
    "eloge", "lap", "benches", "grants", "training", "conference", "youth", "environment", "budget", "transparency",
    "participation", "network", "women", "culture", "roma", "disability", "education", "health", "tourism", "sport",
]  # fmt: skip
TOPICS = [
    ("Općina {m} predstavila nacrt budžeta za građane", "Građani mogu do kraja mjeseca dati prijedloge."),
    ("Nove pametne klupe u općini {m}", "Klupe pune telefone, mjere zrak i pitaju prolaznike za mišljenje."),
    ("Obuka za lokalne akcione planove u općini {m}", "Službenici i udruženja zajedno pišu mjere za narednu godinu."),
    ("Otvoren poziv za male grantove: {m}", "Udruženja iz općine {m} mogu prijaviti projekte do petnaestog."),
    ("Javna rasprava o prostornom planu, {m}", "Rasprava se održava u mjesnim zajednicama i na platformi."),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="live Bosnian articles wanted (default 5,000)")
    parser.add_argument("--language", default="bs")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag
    from wagtail.models import Page

    from civiclink.core.pagecache import expire_pages
    from civiclink.places.models import Municipality
    from civiclink.portal.models import ArticlePage, ArticleTag, NewsIndexPage
    from civiclink.portal.queries import live_articles

    started = time.perf_counter()
    index = NewsIndexPage.objects.get(locale__language_code=args.language)
    missing = args.articles - live_articles(args.language).count()
    if missing > 0:
        rng = random.Random(5000)
        municipalities = list(Municipality.objects.order_by("pk"))
        tags = [Tag.objects.get_or_create(slug=slug, defaults={"name": slug})[0] for slug in TAGS]
        content_type = ContentType.objects.get_for_model(ArticlePage)
        now = timezone.now()
        with transaction.atomic():
            index = NewsIndexPage.objects.select_for_update().get(pk=index.pk)
            last = index.get_last_child()
            first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
            pages, articles, places = [], [], []
            for number in range(missing):
                municipality = rng.choice(municipalities)
                title, summary = rng.choice(TOPICS)
                day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(7 * 365))
                slug = f"vijest-{first_step + number}"
                published = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
                pages.append(
                    Page(
                        path=Page._get_path(index.path, index.depth + 1, first_step + number),
                        depth=index.depth + 1,
                        numchild=0,
                        title=title.format(m=municipality.name),
                        draft_title=title.format(m=municipality.name),
                        slug=slug,
                        url_path=f"{index.url_path}{slug}/",
                        content_type=content_type,
                        locale_id=index.locale_id,
                        translation_key=uuid.uuid4(),
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        latest_revision_created_at=now,
                    )
                )
                articles.append(
                    ArticlePage(
                        summary=summary.format(m=municipality.name),
                        body=[("paragraph", f"<p>{summary.format(m=municipality.name)}</p>" * 4)],
                        author_name=rng.choice(["Amra Hodžić", "Dario Perić", "Jelena Marković", ""]),
                        published_on=day,
                    )
                )
                places.append(municipality)
            Page.objects.bulk_create(pages, batch_size=1000)
            for page, article in zip(pages, articles, strict=True):
                article.page_ptr_id = article.pk = page.pk
            fields = ArticlePage._meta.local_concrete_fields
            for start in range(0, len(articles), 1000):
                ArticlePage._base_manager._insert(articles[start : start + 1000], fields=fields)
            ArticleTag.objects.bulk_create(
                [
                    ArticleTag(content_object_id=article.pk, tag=tag)
                    for article in articles
                    for tag in rng.sample(tags, rng.randint(1, 3))
                ],
                batch_size=5000,
            )
            through = ArticlePage.municipalities.through
            through.objects.bulk_create(
                [
                    through(articlepage_id=article.pk, municipality_id=place.pk)
                    for article, place in zip(articles, places, strict=True)
                ],
                batch_size=5000,
            )
            Page.objects.filter(pk=index.pk).update(numchild=index.numchild + missing)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("wagtailcore_page", "portal_articlepage", "portal_articletag", through._meta.db_table):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        expire_pages()
    problems = Page.find_problems()
    if any(problems):
        raise SystemExit(f"the page tree is inconsistent: {problems}")
    generated = time.perf_counter() - started

    newest = live_articles(args.language).first()
    busiest = (
        ArticleTag.objects.filter(content_object__locale=index.locale)
        .values("tag__slug")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "tag__slug")
        .first()["tag__slug"]
    )
    print(
        json.dumps(
            {
                "index": index.url,
                "article": newest.url,
                "tag": busiest,
                "tagged": live_articles(args.language).filter(tagged_items__tag__slug=busiest).count(),
                "articles": live_articles(args.language).count(),
                "all_articles": ArticlePage.objects.live().count(),
                "generated_s": round(generated, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
