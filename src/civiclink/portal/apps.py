"""Portal: the public face of the programme (news; the newsletter, contact and search live in their own apps)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "civiclink.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from civiclink.core.pagecache import expire_when_changed
        from civiclink.participation import comments
        from civiclink.portal import rules  # noqa: F401  (permissions)
        from civiclink.portal.comments import ARTICLE
        from civiclink.portal.models import ArticlePage, NewsIndexPage

        comments.register(ARTICLE)
        from wagtail.models import PageViewRestriction

        # A restriction must reach pages already cached (views.cache_first answers before Wagtail checks it).
        expire_when_changed(NewsIndexPage, ArticlePage, PageViewRestriction)
