"""The news pages: the index of one language (filters, archive by year), the article (counted, commented, printed)
and the comment pages of an article. The page models route here (`models.py`); each view is served from the page
cache to anonymous visitors, the view counter counting before the cache answers."""

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import to_locale
from django.views.decorators.cache import never_cache
from wagtail.images import get_image_model
from wagtail.views import serve as wagtail_serve

from civiclink.core.pagecache import cached_page, cached_response
from civiclink.participation.models import Comment
from civiclink.participation.views import comments as comment_views
from civiclink.portal import counter, queries
from civiclink.portal.models import ArticlePage, NewsIndexPage
from civiclink.portal.printing import footnoted

ARTICLES_PER_PAGE = 12
MORE_NEWS = 3
LANGUAGE_NAMES = dict(settings.LANGUAGES)
MAIN_IMAGE = "width-960"  # the renditions the templates ask for, prefetched with the image
SHARE_IMAGE = "fill-1200x630"


# --- The index ----------------------------------------------------------------------------------------------------


class NewsFilterForm(forms.Form):
    tag = forms.ChoiceField(label=_("Topic"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, data, *, tags, municipalities):
        super().__init__(data)
        self.fields["tag"].choices = [("", _("All topics")), *((tag.slug, tag.name) for tag in tags)]
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *((municipality.slug, municipality.display_name) for municipality in municipalities),
        ]


def news_index(request, index: NewsIndexPage, year: int | None = None):
    return cached_page(request, lambda: _index(request, index, year))


def _index(request, index: NewsIndexPage, year: int | None):
    language = index.locale.language_code
    everything = queries.live_articles(language).descendant_of(index)
    form = NewsFilterForm(
        request.GET, tags=queries.tags_of(everything), municipalities=queries.municipalities_of(everything)
    )
    articles = everything
    chosen = form.cleaned_data if form.is_valid() else {}
    if tag := chosen.get("tag"):
        articles = articles.filter(tags__slug=tag)
    if municipality := chosen.get("municipality"):
        articles = articles.filter(municipalities__slug=municipality)
    if year is not None:
        articles = articles.filter(published_on__year=year)
    page = Paginator(queries.for_listing(articles), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    archive = queries.years(everything)
    if year is not None and year not in dict(archive):
        raise Http404("No news from that year.")
    tag_name = dict(form.fields["tag"].choices).get(tag) if tag else ""
    context = {
        "page": index,
        "self": index,
        "articles": page,
        "form": form,
        "filtered": bool(tag or municipality),
        "tag": tag,
        "tag_name": tag_name,
        "year": year,
        "archive": archive,
        "fallback_languages": [] if language in queries.FALLBACK_LANGUAGES else _fallback_indexes(index),
        "feeds": _feeds(index, tag),
    }
    return render(request, "portal/news_index_page.html", context)


def _fallback_indexes(index: NewsIndexPage) -> list[tuple[str, str, str]]:
    """[(language code, name, address)] of the news in the languages every article exists in."""
    pages = index.get_translations().live().filter(locale__language_code__in=queries.FALLBACK_LANGUAGES)
    return [
        (page.locale.language_code, LANGUAGE_NAMES[page.locale.language_code], page.url)
        for page in pages.select_related("locale")
    ]


def _feeds(index: NewsIndexPage, tag: str) -> list[tuple[str, str, str]]:
    """[(MIME type, title, address)] of the feeds of this index, and of the tag when the list is filtered by one."""
    url = index.url
    feeds = [
        ("application/rss+xml", _("News (RSS)"), url + index.reverse_subpage("feed_rss")),
        ("application/atom+xml", _("News (Atom)"), url + index.reverse_subpage("feed_atom")),
    ]
    if tag:
        feeds += [
            ("application/rss+xml", _("This topic (RSS)"), url + index.reverse_subpage("tag_feed_rss", args=[tag])),
            ("application/atom+xml", _("This topic (Atom)"), url + index.reverse_subpage("tag_feed_atom", args=[tag])),
        ]
    return feeds


def elsewhere(request, index: NewsIndexPage, slug: str):
    """An article asked for in a language it does not exist in (the language switcher leads here): to its
    translation, or to the original with a note naming the language that was asked for."""
    language = index.locale.language_code
    article = queries.translation_in(slug, language)
    if article is None:
        raise Http404("No such article.")
    url = article.get_url(request)
    return redirect(url if article.locale_id == index.locale_id else f"{url}?from={language}")


# --- The article --------------------------------------------------------------------------------------------------


def article(request, page: ArticlePage):
    if counter.count_view(request, page.pk):
        page.view_count += 1
    return cached_page(request, lambda: _article(request, page), note={"article": page.pk})


def cache_first(request, rest: str = ""):
    """The news before Wagtail's routing, which costs several queries per request: anonymous readers get the cached
    page (an article's reader counted); on a miss Wagtail serves, and caches, the page. Whether the reader has been
    counted today comes with the page, in the same round trip to the cache."""
    seen = counter.seen_key(request) if rest else None  # articles live below the index, never at it
    if hit := cached_response(request, beside=seen):
        response, note, seen_today = hit
        if "article" in note and not seen_today:
            counter.count_view(request, note["article"], seen)
        return response
    return wagtail_serve(request, f"news/{rest}")


def _image(page: ArticlePage, *specs):
    """The main image with its renditions (two queries), or None."""
    if not page.main_image_id:
        return None
    return get_image_model().objects.prefetch_renditions(*specs).filter(pk=page.main_image_id).first()


def _translations(request, page: ArticlePage) -> list[dict]:
    """The languages the article exists in (its own marked `current`), in the order of the interface's languages."""
    versions = {
        version.locale.language_code: version
        for version in page.get_translations(inclusive=True).live().select_related("locale")
    }
    return [
        {"code": code, "name": name, "url": versions[code].get_url(request), "current": versions[code].pk == page.pk}
        for code, name in settings.LANGUAGES
        if code in versions
    ]


def _related(page: ArticlePage) -> list[tuple[str, list]]:
    """[(heading, objects with get_absolute_url)] of what the article is about that the public may open."""
    return [
        (heading, items)
        for heading, items in (
            (_("Municipalities"), list(page.municipalities.order_by("name"))),
            (_("Participation processes"), list(page.processes.filter(published=True).order_by("title"))),
            (_("Good-governance campaigns"), list(page.campaigns.select_related("municipality", "cycle"))),
            (_("Organisations"), list(page.organisations.filter(verified=True).order_by("legal_name"))),
        )
        if items
    ]


def _article(request, page: ArticlePage):
    translations = _translations(request, page)
    language = next(version["code"] for version in translations if version["current"])
    asked = request.GET.get("from", "")
    missing = asked if asked in LANGUAGE_NAMES and asked not in {t["code"] for t in translations} else ""
    image = _image(page, MAIN_IMAGE, SHARE_IMAGE)
    more = queries.live_articles(language).exclude(pk=page.pk).defer_streamfields()
    context = {
        "page": page,
        "self": page,
        "image": image,
        "translations": translations,
        "missing_language": LANGUAGE_NAMES.get(missing, ""),
        "page_language": LANGUAGE_NAMES[language],
        "tags": list(page.tags.all()),
        "related": _related(page),
        "more_news": list(more[:MORE_NEWS]),
        "index_url": page.url.rstrip("/").rsplit("/", 1)[0] + "/",  # the parent: articles live under the index
        "language": language,
        "og_locale": to_locale(language),
        **comment_views.section(request, comment_frame(request, page), page),
    }
    return render(request, "portal/article_page.html", context)


def article_print(request, page: ArticlePage):
    """The article for paper: no navigation nor comments, links written out as numbered notes."""
    body, notes = footnoted(str(page.body), request.build_absolute_uri(page.get_url(request)))
    context = {
        "page": page,
        "body": body,
        "notes": notes,
        "image": _image(page, MAIN_IMAGE),
        "address": page.get_full_url(request),
    }
    return cached_page(request, lambda: render(request, "portal/article_print.html", context))


# --- Comments on an article ---------------------------------------------------------------------------------------


def comment_frame(request, page: ArticlePage) -> comment_views.Frame:
    """Comments on an article live under its own address: comments/new/, comments/<pk>/reply/ ..."""
    base = page.get_url(request)
    return comment_views.Frame(
        template="portal/comment_form.html",
        post_url=f"{base}comments/new/",
        address=lambda action, pk: f"{base}comments/{pk}/{action}/",
        context={"page": page},
    )


def _comment_or_404(page: ArticlePage, pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("author"),
        pk=pk,
        content_type=ContentType.objects.get_for_model(ArticlePage),
        object_id=page.pk,
    )


@never_cache  # the form carries a CSRF token
def comment_new(request, page: ArticlePage):
    return comment_views.compose(request, comment_frame(request, page), page)


@never_cache
def comment_reply(request, page: ArticlePage, pk: int):
    parent = _comment_or_404(page, pk)
    return comment_views.compose(request, comment_frame(request, page), page, parent=parent)


@never_cache
def comment_edit(request, page: ArticlePage, pk: int):
    return comment_views.change(request, comment_frame(request, page), page, _comment_or_404(page, pk))


def comment_delete(request, page: ArticlePage, pk: int):
    return comment_views.remove(request, page, _comment_or_404(page, pk))
