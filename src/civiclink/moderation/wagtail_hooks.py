"""A link from the back office to the moderation queue, shown to those who may see the queue. Menu items are built
once, in the language of the first request: their names are given, not made from the translated label."""

import rules
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.has_perm("moderation.view_queue", request.user)


@hooks.register("register_admin_menu_item")
def moderation_queue_menu_item():
    return QueueMenuItem(
        _("Moderation queue"), reverse_lazy("moderation:queue"), name="moderation-queue", icon_name="warning", order=900
    )
