"""News in the site search: each locale's article is that language's entry, with its summary, text, captions,
author, tags and the municipalities it is about."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civiclink.portal.models import ArticlePage
from civiclink.search import pages
from civiclink.search.registry import Document, register, text


def article_documents(article: ArticlePage) -> list[Document]:
    url = article.get_url()
    if url is None or not pages.is_public(article):
        return []
    language = article.locale.language_code
    municipalities = list(article.municipalities.all())
    with translation.override(language):  # the municipalities' names in the article's script
        body = text(
            article.summary,
            *article.body.stream_block.get_searchable_content(article.body),
            article.main_image_caption,
            article.author_display,
            article.author_organisation.short_name if article.author_organisation else "",
            *(tag.name for tag in article.tags.all()),
            *(municipality.display_name for municipality in municipalities),
        )
    return [
        Document(
            language,
            title=article.title,
            body=body,
            url=url,
            municipality_id=municipalities[0].pk if municipalities else None,
            date=article.published_on,
        )
    ]


register(
    "article",
    model=ArticlePage,
    label=_("News article"),
    label_plural=_("News"),
    documents=article_documents,
    visible=pages.visible(ArticlePage),
    queryset=lambda: ArticlePage.objects.select_related("locale", "author_organisation").prefetch_related(
        "tags", "municipalities"
    ),
    order=10,
)
