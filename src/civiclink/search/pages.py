"""What the providers of Wagtail pages share: a page is public when it is live and no view restriction covers it."""

from wagtail.models import Page

from civiclink.search.registry import visible_in


def is_public(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def visible(model: type[Page]):
    """The `visible` of a page kind: the live pages outside private sections (the same for every visitor; the
    restrictions are read at each call)."""
    return visible_in(lambda: model.objects.live().public())
