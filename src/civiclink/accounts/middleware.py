from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from civiclink.accounts.rules import is_staff_member


class BackOfficeAccessMiddleware:
    """The back office's door: staff who have not set up TOTP are sent to the set-up page first, and signed-in
    users without back-office rights get the 403 page. (Wagtail would send them to the login page, which sends
    signed-in users back to where they came from: an endless redirect.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            if not request.user.has_perm("wagtailadmin.access_admin"):
                from civiclink.core.views import permission_denied

                return permission_denied(request)
            if settings.STAFF_MFA_REQUIRED and (request.user.is_staff or is_staff_member(request.user)):
                from allauth.mfa.utils import is_mfa_enabled

                if not is_mfa_enabled(request.user):
                    return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
