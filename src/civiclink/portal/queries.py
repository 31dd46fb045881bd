"""Read-side helpers of the news: what the index, the article page and other apps (newsletter, feeds, search) ask."""

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractYear
from taggit.models import Tag
from wagtail.images import get_image_model

from civiclink.places.models import Municipality
from civiclink.portal.models import ArticlePage, ArticleTag

THUMBNAIL = "fill-480x270"  # as in portal/_article_cards.html
# The programme publishes every article in Bosnian and English; the other languages may lag behind.
FALLBACK_LANGUAGES = ("bs", "en")


def live_articles(language_code: str) -> QuerySet[ArticlePage]:
    """The published articles of one language, newest first."""
    return (
        ArticlePage.objects.live().public().filter(locale__language_code=language_code).order_by("-published_on", "-pk")
    )


def for_listing(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What a list of articles shows (tags, main image and its thumbnail, the organisation that signs), in a fixed
    number of queries."""
    images = get_image_model().objects.prefetch_renditions(THUMBNAIL)
    return (
        articles.defer_streamfields()
        .select_related("author_organisation")
        .prefetch_related("tags", Prefetch("main_image", queryset=images))
    )


def years(articles: QuerySet[ArticlePage]) -> list[tuple[int, int]]:
    """[(year, number of articles)] newest first: the archive's years."""
    rows = (
        articles.order_by()
        .annotate(year=ExtractYear("published_on"))
        .values_list("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    return list(rows)


def tags_of(articles: QuerySet[ArticlePage]) -> QuerySet[Tag]:
    """The tags the articles use, by name."""
    used = ArticleTag.objects.filter(content_object__in=articles.order_by().values("pk")).values("tag_id")
    return Tag.objects.filter(pk__in=used).order_by("name")


def municipalities_of(articles: QuerySet[ArticlePage]) -> QuerySet[Municipality]:
    """The municipalities the articles are about, by name."""
    through = ArticlePage.municipalities.through
    used = through.objects.filter(articlepage__in=articles.order_by().values("pk")).values("municipality_id")
    return Municipality.objects.filter(pk__in=used).order_by("name")


def translation_in(slug: str, language_code: str) -> ArticlePage | None:
    """An article someone asked for under `language_code` that lives elsewhere: its translation into that language
    if it has one (under another slug), else the original in the first fallback language that has it."""
    found = ArticlePage.objects.live().public().filter(slug=slug).values_list("translation_key", flat=True).first()
    if found is None:
        return None
    versions = {
        page.locale.language_code: page
        for page in ArticlePage.objects.live().public().filter(translation_key=found).select_related("locale")
    }
    for code in (language_code, *FALLBACK_LANGUAGES, *versions):
        if code in versions:
            return versions[code]
    return None
