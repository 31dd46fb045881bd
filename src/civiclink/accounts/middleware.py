from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from civiclink.accounts.rules import is_staff_member


class StaffTwoFactorMiddleware:
    """Send staff who have not set up TOTP to the set-up page before they may use the back office."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and (request.user.is_staff or is_staff_member(request.user))
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(request.user):
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
