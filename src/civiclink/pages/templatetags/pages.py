from django import template

from civiclink.pages.models import SiteFooter

register = template.Library()


@register.simple_tag
def site_footer() -> dict[str, dict[str, str]]:
    """`{% site_footer as footer %}`: each footer text in the active language, with the language it is written in
    (`footer.disclaimer.text`, `footer.disclaimer.language`), so that a fallback can carry its own `lang`."""
    return {field: {"text": text, "language": language} for field, (text, language) in SiteFooter.texts().items()}
