from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class AdminContentSecurityPolicyMiddleware:
    """Give the Wagtail admin the policy it needs; the public site keeps the strict one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_config = settings.ADMIN_CSP
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 outside the language-prefixed site (the API, the back office, documents) stays
    a 404. Django would redirect it to /bs/<path>/, which Wagtail's catch-all page pattern accepts, so an API client
    asking for an unknown slug got a redirect to an HTML page instead of a 404."""

    UNPREFIXED = ("/api/", "/admin/", "/documents/", "/static/", "/media/", "/healthz")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.UNPREFIXED):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
