from django import template
from django.core.cache import cache
from django.utils.translation import get_language

from civiclink.core.pagecache import PAGE_SECONDS, from_cache, page_version
from civiclink.pages.models import SiteFooter

register = template.Library()


@register.simple_tag
def site_footer() -> dict[str, dict[str, str]]:
    """`{% site_footer as footer %}`: each footer text in the active language, with the language it is written in
    (`footer.disclaimer.text`, `footer.disclaimer.language`), so that a fallback can carry its own `lang`."""
    if (version := page_version()) is None:
        return _footer()
    key = f"civiclink:footer:{version}:{get_language()}"  # saving the footer moves the page version
    if (found := from_cache(lambda: cache.get(key))) is not None:
        return found
    footer = _footer()
    from_cache(lambda: cache.set(key, footer, PAGE_SECONDS))
    return footer


def _footer() -> dict[str, dict[str, str]]:
    return {field: {"text": text, "language": language} for field, (text, language) in SiteFooter.texts().items()}
