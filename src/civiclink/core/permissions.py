from django.contrib.auth.decorators import login_required
from rules.contrib.views import permission_required as rules_permission_required


def permission_required(perm: str, fn=None):
    """Anonymous visitors are sent to log in; a signed-in user without the permission gets the 403 page."""

    def decorator(view):
        return login_required(rules_permission_required(perm, fn=fn, raise_exception=True)(view))

    return decorator
