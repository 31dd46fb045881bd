"""A link from the back office to the fleet of smart benches, shown to those who may see it."""

import rules
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class FleetMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.has_perm("benches.view_fleet", request.user)


@hooks.register("register_admin_menu_item")
def fleet_menu_item():
    return FleetMenuItem(
        _("Smart benches"), reverse_lazy("benches:fleet"), name="smart-benches", icon_name="site", order=910
    )
