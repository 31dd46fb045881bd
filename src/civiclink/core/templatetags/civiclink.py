from django import template
from django.conf import settings

from civiclink.core.i18n import date_in_sentence

register = template.Library()
register.filter("date_in_sentence", date_in_sentence)


@register.filter
def localised(obj, field: str) -> str:
    """`{{ organisation|localised:"description" }}`: the field in the visitor's language, with fallback."""
    return obj.localised(field)


@register.filter
def localised_lang(obj, field: str) -> str:
    """`lang="{{ organisation|localised_lang:"description" }}"`: marks text shown in another language (WCAG 3.1.2)."""
    return obj.localised_language(field)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every interface language, for the switcher and the head's alternates (once a request).
    The project's addresses are the same in every language but for their prefix (no translated URL patterns), so
    the prefix is swapped; addresses without one (the back office, say) stay as they are."""
    request = context["request"]
    if not hasattr(request, "_language_links"):
        current = context.get("LANGUAGE_CODE")
        path = request.get_full_path()
        prefix = f"/{current}/"
        request._language_links = [
            {
                "code": code,
                "name": name,
                "url": f"/{code}/{path.removeprefix(prefix)}" if path.startswith(prefix) else path,
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    return request._language_links


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links that keep the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
