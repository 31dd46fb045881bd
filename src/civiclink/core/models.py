from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civiclink.core.i18n import localise_with_language


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
        return self.localised_with_language(field, language)[0]

    def localised_language(self, field: str, language: str | None = None) -> str:
        """The language of what `localised` shows: the original's where no translation exists."""
        return self.localised_with_language(field, language)[1]

    def localised_with_language(self, field: str, language: str | None = None) -> tuple[str, str]:
        per_language = {
            code: values[field]
            for code, values in self.translations.items()
            if isinstance(values, dict) and values.get(field)
        }
        return localise_with_language(getattr(self, field), self.language, per_language, language)
