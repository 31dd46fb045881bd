"""The contact app in the back office: the inbox and the topics under one "Contact" menu, and a dashboard panel
with the new messages of the topics the person answers for."""

from django import forms
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from civiclink.contact import inbox
from civiclink.contact.admin_views import InboxView, MessageView
from civiclink.contact.models import Topic
from civiclink.places.wagtail_hooks import TRANSLATION_PANEL


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("contact.view_inbox")


class InboxViewSet(ViewSet):
    name = "contact_inbox"
    url_prefix = "contact"
    icon = "mail"
    menu_label = _("Inbox")
    menu_name = "contact-inbox"
    menu_item_class = InboxMenuItem

    def get_urlpatterns(self):
        return [
            path("", InboxView.as_view(), name="index"),
            path("results/", InboxView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/", MessageView.as_view(), name="message"),
        ]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "municipality", "active", "order"]
    list_filter = ["active"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["order", "pk"]
    panels = [
        FieldPanel("name"),
        FieldPanel("responsible", widget=forms.CheckboxSelectMultiple),
        FieldPanel("notify_addresses"),
        FieldPanel("municipality"),
        FieldRowPanel([FieldPanel("active"), FieldPanel("order")]),
        TRANSLATION_PANEL,
    ]


class ContactGroup(ViewSetGroup):
    menu_label = _("Contact")
    menu_name = "contact"
    menu_icon = "mail"
    menu_order = 220
    items = (InboxViewSet, TopicViewSet)


register_snippet(ContactGroup)


@hooks.register("before_delete_snippet")
def keep_topics_with_messages(request, instances):
    """Messages keep their topic (a protected key): such a topic is retired by taking it off the form instead."""
    in_use = [str(topic) for topic in instances if isinstance(topic, Topic) and topic.messages.exists()]
    if in_use:
        messages.error(
            request,
            _("These topics have messages and cannot be deleted: %(topics)s. Take them off the form instead.")
            % {"topics": ", ".join(in_use)},
        )
        return redirect(Topic.snippet_viewset.get_url_name("list"))
    return None


class NewMessagesPanel(Component):
    name = "contact_new_messages"
    template_name = "contact/admin/new_messages_panel.html"
    order = 90

    def __init__(self, counts):
        self.counts = counts

    def get_context_data(self, parent_context=None):
        inbox_url = reverse("contact_inbox:index")
        return {
            "counts": [(topic, count, f"{inbox_url}?state=new&topic={topic.pk}") for topic, count in self.counts],
            "total": sum(count for _topic, count in self.counts),
            "inbox_url": inbox_url,
        }


@hooks.register("construct_homepage_panels")
def new_messages_panel(request, panels):
    if request.user.has_perm("contact.view_inbox"):
        panels.append(NewMessagesPanel(inbox.new_counts(request.user)))
