"""Wagtail pages: the home page and free pages (About, Privacy, Terms, Accessibility) edited by staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["pages.StandardPage"]
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


@register_setting(icon="site")
class SiteFooter(BaseGenericSetting):
    """The funding acknowledgement and disclaimer printed on every page."""

    funding_acknowledgement = models.TextField(_("funding acknowledgement"), blank=True)
    disclaimer = models.TextField(_("disclaimer"), blank=True)

    class Meta:
        verbose_name = _("site footer")
