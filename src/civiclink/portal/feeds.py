"""RSS 2.0 and Atom 1.0 feeds of a news index (one language), whole or for one tag.

The news index routes `feed/rss/`, `feed/atom/`, `tag/<slug>/feed/rss/` and `tag/<slug>/feed/atom/` here. Both
formats come from one `NewsFeed`; only Django's feed generator differs. A feed costs the same few queries whatever
the number of articles.
"""

import datetime
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from taggit.models import Tag

from civiclink.portal.models import ArticlePage, ArticleTag, NewsIndexPage
from civiclink.portal.queries import live_articles

FEED_LENGTH = 20


@dataclass
class FeedSource:
    index: NewsIndexPage
    tag: Tag | None


class NewsFeed(Feed):
    """The latest articles of one news index, optionally of one tag, in the index's language."""

    def __init__(self, feed_type):
        super().__init__()
        self.feed_type = feed_type

    def get_object(self, request, index, tag=None):
        # A feed object serves one request (see `rss` and `atom`): the items' links need the request.
        self.request = request
        self.language = index.locale.language_code
        return FeedSource(index, get_object_or_404(Tag, slug=tag) if tag else None)

    def title(self, source):
        if source.tag:
            return _("News tagged “%(tag)s” · %(site)s") % {"tag": source.tag.name, "site": settings.WAGTAIL_SITE_NAME}
        return _("News · %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def description(self, source):
        return source.index.intro or self.title(source)

    subtitle = description  # Atom's name for it

    def link(self, source):
        url = source.index.get_url(self.request)
        return f"{url}?{urlencode({'tag': source.tag.slug})}" if source.tag else url

    def author_name(self):
        """Atom asks an author of every entry; the site stands in for articles without one."""
        return settings.WAGTAIL_SITE_NAME

    def items(self, source):
        articles = (
            live_articles(self.language)
            .child_of(source.index)
            .select_related("author_organisation", "main_image")
            .prefetch_related(Prefetch("tagged_items", ArticleTag.objects.select_related("tag").order_by("tag__name")))
        )
        if source.tag:
            articles = articles.filter(tagged_items__tag=source.tag)
        return articles[:FEED_LENGTH]

    def item_title(self, article: ArticlePage):
        return article.title

    def item_description(self, article: ArticlePage):
        return article.summary

    def item_link(self, article: ArticlePage):
        return article.get_url(self.request)

    def item_author_name(self, article: ArticlePage):
        return article.author_display or None

    def item_pubdate(self, article: ArticlePage):
        return datetime.datetime.combine(article.published_on, datetime.time())

    def item_updateddate(self, article: ArticlePage):
        """Atom asks when each entry last changed; an article imported without a revision has only its date."""
        return article.last_published_at or self.item_pubdate(article)

    def item_categories(self, article: ArticlePage):
        return [tagged.tag.name for tagged in article.tagged_items.all()]

    def item_enclosures(self, article: ArticlePage):
        image = article.main_image
        if image is None or not image.file_size:
            return []
        mime_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
        url = add_domain(get_current_site(self.request).domain, image.file.url, self.request.is_secure())
        return [Enclosure(url, str(image.file_size), mime_type)]


def rss(request, index: NewsIndexPage, tag: str | None = None):
    return NewsFeed(Rss201rev2Feed)(request, index, tag)


def atom(request, index: NewsIndexPage, tag: str | None = None):
    return NewsFeed(Atom1Feed)(request, index, tag)
