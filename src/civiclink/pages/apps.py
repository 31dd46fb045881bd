from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "civiclink.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from civiclink.core.pagecache import expire_when_changed
        from civiclink.pages.models import FooterTranslation, SiteFooter

        expire_when_changed(SiteFooter, FooterTranslation)  # every page carries the footer
