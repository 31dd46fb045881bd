from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civiclink.core.i18n import localise


class TranslatableContent(models.Model):
    """Text fields written once in `language`, with optional translations; Serbian is transliterated, not retyped.

    `translations` maps a language code to the translated fields, e.g. ``{"en": {"name": "...", "description": ""}}``.
    """

    translatable_fields: tuple[str, ...] = ()

    language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def localised(self, field: str, language: str | None = None) -> str:
        per_language = {
            code: values[field]
            for code, values in self.translations.items()
            if isinstance(values, dict) and values.get(field)
        }
        return localise(getattr(self, field), self.language, per_language, language)
