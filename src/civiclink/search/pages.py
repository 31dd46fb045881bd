"""What the providers of Wagtail pages share: a page is public when it is live and no view restriction covers it."""

from wagtail.models import Page


def is_public(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def visible(model: type[Page]):
    """The `visible` of a page kind: the live pages outside private sections (the same for every visitor)."""

    def visible_pages(user, ids: set[int]) -> set[int]:
        return set(model.objects.filter(pk__in=ids).live().public().values_list("pk", flat=True))

    return visible_pages
