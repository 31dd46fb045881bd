import functools

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def permission_required(perm: str):
    """Anonymous visitors are sent to log in; a signed-in user the rule refuses gets the 403 page.

    The rule itself is asked, not `user.has_perm`: Django grants superusers every permission, but some rules
    deliberately refuse them (a superuser may not delete their own account)."""

    def decorator(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if not rules.has_perm(perm, request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator
