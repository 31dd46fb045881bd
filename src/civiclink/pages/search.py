"""Free pages (About, Privacy, ...) in the site search: each language's page is that language's entry."""

from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import get_text_for_indexing

from civiclink.pages.models import StandardPage
from civiclink.search import pages
from civiclink.search.registry import Document, register, text


def page_documents(page: StandardPage) -> list[Document]:
    url = page.get_url()
    if url is None or not pages.is_public(page):
        return []
    return [
        Document(
            page.locale.language_code,
            title=page.title,
            body=text(page.search_description, page.intro, get_text_for_indexing(page.body)),
            url=url,
            date=page.last_published_at.date() if page.last_published_at else None,
        )
    ]


register(
    "page",
    model=StandardPage,
    label=_("Page"),
    label_plural=_("Pages"),
    documents=page_documents,
    visible=pages.visible(StandardPage),
    queryset=lambda: StandardPage.objects.select_related("locale"),
    order=20,
)
