"""The newsletter in the back office: issues (compose, preview, test, send, follow the sending), subscribers and
their consent records, read-only and exportable."""

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from civiclink.newsletter import admin_views
from civiclink.newsletter.forms import IssueForm
from civiclink.newsletter.models import Consent, Issue, Subscriber


class ObjectPermissionPolicy(ModelPermissionPolicy):
    """Asks the rules (rules.py) about each object too: only a draft issue may be changed or deleted."""

    def user_has_permission_for_instance(self, user, action, instance):
        return user.has_perm(self._get_permission_name(action), instance)


register_permission_policy(Issue, ObjectPermissionPolicy(Issue))


class IssueViewSet(SnippetViewSet):
    model = Issue
    icon = "mail"
    menu_label = _("Issues")
    menu_order = 100
    list_display = ["subject", "language", "status", "queued_at", "sent_at"]
    list_filter = ["language", "status"]
    search_fields = ["subject"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_template_name = "newsletter/admin/issue_inspect.html"
    index_view_class = admin_views.IssueIndexView
    edit_view_class = admin_views.IssueEditView
    delete_view_class = admin_views.IssueDeleteView
    inspect_view_class = admin_views.IssueInspectView
    inspect_view_fields = ["subject", "language", "status", "queued_at", "queued_by", "sent_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("subject"),
            FieldPanel("language"),
            FieldPanel("intro"),
            InlinePanel(
                "issue_articles",
                heading=_("Articles"),
                label=_("article"),
                help_text=_("Published articles in the language of the issue, in the order they should appear."),
            ),
            FieldPanel("closing"),
            MultiFieldPanel(
                [FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple), FieldPanel("themes")],
                heading=_("Who receives it"),
                help_text=_(
                    "Choose nothing to send it to every confirmed subscriber in its language. Otherwise it goes to "
                    "those who chose one of these municipalities or themes, and to those who chose no topic."
                ),
            ),
        ],
        base_form_class=IssueForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("email/<int:pk>/", admin_views.EmailView.as_view(), name="email"),
            path("test/<int:pk>/", admin_views.TestView.as_view(), name="test"),
            path("send/<int:pk>/", admin_views.SendView.as_view(), name="send"),
            path("progress/<int:pk>/", admin_views.ProgressView.as_view(), name="progress"),
            path("resend/<int:pk>/", admin_views.ResendView.as_view(), name="resend"),
        ]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Subscribers")
    menu_order = 110
    list_display = ["email", "language", "status", "confirmed_at", "bounce_count"]
    list_filter = ["status", "language", "source"]
    list_export = ["email", "language", "status", "source", "created_at", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_template_name = "newsletter/admin/subscriber_inspect.html"
    inspect_view_class = admin_views.SubscriberInspectView
    inspect_view_fields = [
        "email",
        "language",
        "status",
        "source",
        "municipalities",
        "themes",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "bounce_count",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("consents/<int:pk>/", admin_views.ConsentCsvView.as_view(), name="consents_csv"),
        ]


class ConsentViewSet(SnippetViewSet):
    model = Consent
    icon = "doc-full"
    menu_label = _("Consent records")
    menu_order = 120
    list_display = ["subscriber", "action", "at", "version", "language", "source"]
    list_filter = ["action", "source", "version", "language"]
    list_export = ["subscriber", "action", "at", "version", "language", "source", "text", "choices"]
    search_fields = ["subscriber__email"]
    search_backend_name = None
    inspect_view_enabled = True


class NewsletterViewSetGroup(SnippetViewSetGroup):
    items = (IssueViewSet, SubscriberViewSet, ConsentViewSet)
    menu_icon = "mail"
    menu_label = _("Newsletter")
    menu_name = "newsletter"
    menu_order = 300


register_snippet(NewsletterViewSetGroup)
