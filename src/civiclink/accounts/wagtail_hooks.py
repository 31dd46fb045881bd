from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from civiclink.accounts.models import PlatformRole


class PlatformRoleViewSet(SnippetViewSet):
    """Granting the "staff" role here opens the back office to the user (see `accounts.roles`)."""

    model = PlatformRole
    icon = "user"
    menu_label = _("Platform roles")
    menu_name = "platform-roles"
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["user", "role", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    search_backend_name = None


register_snippet(PlatformRoleViewSet)
