from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from civiclink.api.urls import api
from civiclink.core.health import healthz
from civiclink.core.views import floor

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("kiosk/", include("civiclink.benches.kiosk_urls")),
    path("", include("civiclink.portal.root_urls")),  # sitemap.xml, robots.txt
]
if settings.CIVICLINK_BENCH_FLOOR:
    urlpatterns.append(path("bench/floor", floor, name="bench_floor"))
urlpatterns += i18n_patterns(
    # First: the busiest public pages, served from the page cache before any other pattern or Wagtail's routing.
    path("news/", include("civiclink.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("civiclink.accounts.urls")),
    path("", include("civiclink.places.urls")),
    path("governance/", include("civiclink.governance.urls")),
    path("participation/", include("civiclink.participation.urls")),
    path("moderation/", include("civiclink.moderation.urls")),
    path("benches/", include("civiclink.benches.urls")),
    path("newsletter/", include("civiclink.newsletter.urls")),
    path("contact/", include("civiclink.contact.urls")),
    path("search/", include("civiclink.search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler403 = "civiclink.core.views.permission_denied"
handler404 = "civiclink.core.views.page_not_found"
handler500 = "civiclink.core.views.server_error"
