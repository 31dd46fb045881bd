"""Wagtail pages: the home page and free pages (About, Privacy, Terms, Accessibility) edited by staff."""

from django.conf import settings
from django.db import models
from django.db.models import FilteredRelation, Q
from django.utils.text import format_lazy
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from civiclink.core.i18n import SCRIPT_SOURCES, localise_with_language


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["pages.StandardPage", "portal.NewsIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from civiclink.places.models import Municipality, Organisation

        context = super().get_context(request, *args, **kwargs)
        context["municipality_count"] = Municipality.objects.count()
        context["organisation_count"] = Organisation.objects.filter(verified=True).count()
        context["menu_pages"] = self.get_children().live().in_menu()
        return context


class StandardPage(Page):
    """A free page of text: About, Privacy, Terms, the accessibility statement."""

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


FOOTER_FIELDS = ("funding_acknowledgement", "disclaimer")
# The setting's own fields hold the site's default language; translations are for the others.
FOOTER_LANGUAGE = settings.LANGUAGE_CODE
TRANSLATION_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != FOOTER_LANGUAGE]


@register_setting(icon="site")
class SiteFooter(ClusterableModel, BaseGenericSetting):
    """The funding acknowledgement and disclaimer printed on every page, in the default language with translations
    for the others (the donor's wording is fixed per language, so staff write each one)."""

    funding_acknowledgement = models.TextField(_("funding acknowledgement"), blank=True)
    disclaimer = models.TextField(_("disclaimer"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("funding_acknowledgement"), FieldPanel("disclaimer")],
            heading=format_lazy(
                _("In {language}, the default language"),
                language=get_language_info(FOOTER_LANGUAGE)["name_translated"],
            ),
            help_text=_("Shown in every language that has no translation below."),
        ),
        InlinePanel(
            "translations",
            heading=_("Translations"),
            label=_("translation"),
            help_text=_("Serbian in Latin script may be left out: it is written from the Cyrillic text."),
        ),
    ]

    class Meta:
        verbose_name = _("site footer")

    @classmethod
    def texts(cls, language: str | None = None) -> dict[str, tuple[str, str]]:
        """Each footer field in `language` (default: the active one) as (text, language of the text), falling back
        to the other Serbian script, then the default language. One query, the same on every page."""
        language = (language or get_language() or FOOTER_LANGUAGE).lower()
        wanted = {language, SCRIPT_SOURCES.get(language, language)}
        translation = FilteredRelation("translations", condition=Q(translations__language__in=wanted))
        columns = [*FOOTER_FIELDS, "translation__language", *(f"translation__{field}" for field in FOOTER_FIELDS)]
        rows = list(cls.objects.order_by("pk").annotate(translation=translation).values(*columns)[: len(wanted)])
        if not rows:
            return {field: ("", FOOTER_LANGUAGE) for field in FOOTER_FIELDS}
        found = {row["translation__language"]: row for row in rows if row["translation__language"]}
        return {
            field: localise_with_language(
                rows[0][field],
                FOOTER_LANGUAGE,
                {code: row[f"translation__{field}"] for code, row in found.items()},
                language,
            )
            for field in FOOTER_FIELDS
        }


class FooterTranslation(models.Model):
    """The site footer in one more language."""

    footer = ParentalKey(SiteFooter, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=TRANSLATION_LANGUAGES)
    funding_acknowledgement = models.TextField(_("funding acknowledgement"), blank=True)
    disclaimer = models.TextField(_("disclaimer"), blank=True)

    panels = [FieldPanel("language"), FieldPanel("funding_acknowledgement"), FieldPanel("disclaimer")]

    class Meta:
        verbose_name = _("footer translation")
        verbose_name_plural = _("footer translations")
        constraints = [
            models.UniqueConstraint(fields=["footer", "language"], name="footer_translation_once_per_language"),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in TRANSLATION_LANGUAGES]),
                name="footer_translation_language_valid",
            ),
        ]

    def __str__(self):
        return self.get_language_display()
