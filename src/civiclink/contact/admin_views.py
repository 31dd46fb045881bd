"""The staff inbox in the back office: the list of messages (filters by state and topic, search), one message
with its history, and the reply, note, close and reopen actions. Every view checks `contact.rules`; the list only
ever holds the messages of the topics the person answers for."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.base import BaseListingView

from civiclink.contact import inbox
from civiclink.contact.forms import NoteForm, ReplyForm
from civiclink.contact.models import Message, State
from civiclink.core.errors import UserError


def _message_url(message: Message) -> str:
    return reverse("contact_inbox:message", args=[message.pk])


def _topics(request):
    return inbox.visible_topics(request.user)


class InboxFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=State.choices, empty_label=gettext_lazy("All"), widget=forms.RadioSelect
    )
    topic = django_filters.ModelChoiceFilter(label=gettext_lazy("Topic"), queryset=_topics)

    class Meta:
        model = Message
        fields = ["state", "topic"]


class InboxView(BaseListingView):
    page_title = gettext_lazy("Contact inbox")
    header_icon = "mail"
    index_url_name = "contact_inbox:index"
    index_results_url_name = "contact_inbox:index_results"
    filterset_class = InboxFilterSet
    is_searchable = True
    search_fields = ["reference", "subject", "body", "name", "email"]
    search_backend_name = None  # the database's own matching: messages are not in the site search
    default_ordering = "-created_at"
    paginate_by = 50
    verbose_name_plural = gettext_lazy("messages")
    columns = [
        TitleColumn("subject", label=gettext_lazy("Subject"), get_url=_message_url),
        Column("reference", label=gettext_lazy("Reference"), classname="w-whitespace-nowrap"),
        Column("name", label=gettext_lazy("From")),
        Column("topic", label=gettext_lazy("Topic")),
        StatusTagColumn(
            "get_state_display", label=gettext_lazy("State"), primary=lambda message: message.state == State.NEW
        ),
        DateColumn("created_at", label=gettext_lazy("Received"), sort_key="created_at"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("contact.view_inbox"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return inbox.visible_messages(self.request.user).select_related("topic")


class MessageView(WagtailAdminTemplateMixin, View):
    template_name = "contact/admin/message.html"
    header_icon = "mail"

    def dispatch(self, request, pk):
        self.message = get_object_or_404(Message.objects.select_related("topic", "user"), pk=pk)
        if not request.user.has_perm("contact.answer_message", self.message):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_title(self):
        return self.message.subject

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("contact_inbox:index"), "label": _("Contact inbox")},
            {"url": "", "label": self.message.reference, "sublabel": self.message.subject},
        ]

    def get(self, request, pk):
        return self.render(ReplyForm(prefix="reply"), NoteForm(prefix="note"))

    def post(self, request, pk):
        action = request.POST.get("action")
        reply_form = ReplyForm(request.POST if action == "reply" else None, prefix="reply")
        note_form = NoteForm(request.POST if action == "note" else None, prefix="note")
        try:
            if action == "reply" and reply_form.is_valid():
                inbox.reply(self.message, request.user, reply_form.cleaned_data["text"])
                messages.success(request, _("Your reply was e-mailed to %(email)s.") % {"email": self.message.email})
            elif action == "note" and note_form.is_valid():
                inbox.add_note(self.message, request.user, note_form.cleaned_data["text"])
                messages.success(request, _("The note was added."))
            elif action == "close":
                inbox.close(self.message, request.user)
                messages.success(request, _("The message is closed."))
            elif action == "reopen":
                inbox.reopen(self.message, request.user)
                messages.success(request, _("The message is open again."))
            else:
                return self.render(reply_form, note_form, status=400)
        except UserError as error:
            messages.error(request, error.message)
        return redirect(_message_url(self.message))

    def render(self, reply_form, note_form, status=200):
        context = self.get_context_data(
            message=self.message,
            events=self.message.events.select_related("author"),
            reply_form=reply_form,
            note_form=note_form,
        )
        return self.render_to_response(context, status=status)
