"""The newsletter in the back office: an issue's page (details, progress, test, send, send again), and a
subscriber's page with their consent records (also as CSV).

An issue is edited and deleted while it is a draft only; sending locks its row, so that an edit saved in another
tab at the same moment is refused instead of undoing the sending."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView, InspectView

from civiclink.newsletter import sending
from civiclink.newsletter.composing import Letter
from civiclink.newsletter.models import Consent, Delivery, Issue, Subscriber
from civiclink.newsletter.subscriptions import recipients

ISSUES = "wagtailsnippets_newsletter_issue"


def issue_url(name: str, issue: Issue) -> str:
    return reverse(f"{ISSUES}:{name}", args=[issue.pk])


class IssueIndexView(IndexView):
    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.is_draft else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if instance.is_draft else None


class DraftOnlyMixin:
    """Editing and deleting are for drafts; a sent issue's page is where these links lead instead."""

    def dispatch(self, request, *args, **kwargs):
        if not self.object.is_draft:
            messages.warning(request, _("This issue has been sent: it can no longer be changed."))
            return redirect(issue_url("inspect", self.object))
        return super().dispatch(request, *args, **kwargs)


class IssueEditView(DraftOnlyMixin, EditView):
    def form_valid(self, form):
        with transaction.atomic():
            if not Issue.objects.select_for_update().filter(pk=self.object.pk, status=Issue.Status.DRAFT).exists():
                messages.error(self.request, _("This issue was sent meanwhile: your changes were not saved."))
                return redirect(issue_url("inspect", self.object))
            return super().form_valid(form)

    @property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(_("Test and send"), url=issue_url("inspect", self.object), icon_name="mail", priority=5),
        ]


class IssueDeleteView(DraftOnlyMixin, DeleteView):
    pass


class IssueInspectView(InspectView):
    """The issue's page: what it is, whom it reaches, the progress of its sending, and the actions."""

    def get_edit_url(self):
        return super().get_edit_url() if self.object.is_draft else None

    def get_delete_url(self):
        return super().get_delete_url() if self.object.is_draft else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = self.object
        context["articles"] = [choice.article for choice in issue.issue_articles.select_related("article")]
        context["preview_url"] = issue_url("email", issue)
        context["test_url"] = issue_url("test", issue)
        if issue.is_draft:
            context["recipient_count"] = recipients(issue).count()
            context["send_url"] = issue_url("send", issue)
        else:
            context.update(progress_context(issue))
        return context


def progress_context(issue: Issue) -> dict:
    return {
        "issue": issue,
        "progress": sending.progress(issue),
        "progress_url": issue_url("progress", issue),
        "resend_url": issue_url("resend", issue),
        "polling": issue.status == Issue.Status.SENDING,
    }


class IssueObjectView(View):
    """A view of one issue for those who may see issues; `permission` is checked on the issue itself."""

    permission = "newsletter.view_issue"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Issue, pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EmailView(IssueObjectView):
    """The e-mail as subscribers get it (HTML, or the plain text with ?mode=text), with stand-in personal links."""

    def get(self, request, pk):
        return self.object.serve_preview(request, request.GET.get("mode", ""))


class ProgressView(IssueObjectView):
    """The progress bar alone: polled every 2 seconds by htmx while the issue is being sent."""

    def get(self, request, pk):
        return TemplateResponse(request, "newsletter/admin/_progress.html", progress_context(self.object))


class SendView(WagtailAdminTemplateMixin, IssueObjectView):
    """GET: how many subscribers it will reach, and the button; POST: queue it (once)."""

    permission = "newsletter.send_issue"
    template_name = "newsletter/admin/issue_send.html"
    page_title = gettext_lazy("Send")
    header_icon = "mail"

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{ISSUES}:list"), "label": Issue._meta.verbose_name_plural.capitalize()},
            {"url": issue_url("inspect", self.object), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, pk):
        context = self.get_context_data(issue=self.object, recipient_count=recipients(self.object).count())
        return self.render_to_response(context)

    def post(self, request, pk):
        try:
            count = sending.start_sending(self.object, request.user)
        except sending.NotADraft as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Sending to %(count)d subscribers has started.") % {"count": count})
        return redirect(issue_url("inspect", self.object))


class TestView(IssueObjectView):
    """POST: the issue to the member of staff who asks, marked as a test, without any delivery row."""

    def post(self, request, pk):
        if not request.user.email:
            messages.error(request, _("Your account has no e-mail address to send the test to."))
        else:
            Letter(self.object).test_message(request.user.email).send()
            messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
        return redirect(issue_url("inspect", self.object))


class ResendView(IssueObjectView):
    """POST: queue the uncertain (or failed) rows again; staff decide, knowing some may get the issue twice."""

    STATUSES = {Delivery.Status.UNCERTAIN, Delivery.Status.FAILED}

    def post(self, request, pk):
        status = request.POST.get("status")
        if status not in self.STATUSES:
            return HttpResponseBadRequest()
        count = sending.resend(self.object, status)
        messages.success(request, _("%(count)d messages were queued again.") % {"count": count})
        return redirect(issue_url("inspect", self.object))


class SubscriberInspectView(InspectView):
    def get_field_label(self, field_name, field):
        return _("Themes") if field_name == "themes" else super().get_field_label(field_name, field)

    def get_themes_display_value(self):
        return ", ".join(choice.get_theme_display() for choice in self.object.theme_choices.all()) or "-"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consents"] = self.object.consents.all()
        context["csv_url"] = reverse("wagtailsnippets_newsletter_subscriber:consents_csv", args=[self.object.pk])
        return context


CSV_COLUMNS = ["email", "action", "at", "version", "language", "source", "text", "choices"]


class ConsentCsvView(View):
    """One subscriber's consent records as CSV, for a request for access or a supervisory authority."""

    def get(self, request, pk):
        if not request.user.has_perm("newsletter.view_consent"):
            raise PermissionDenied
        subscriber = get_object_or_404(Subscriber, pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="consent-{subscriber.pk}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for consent in Consent.objects.filter(subscriber=subscriber).order_by("at", "pk"):
            writer.writerow(
                [
                    subscriber.email,
                    consent.action,
                    consent.at.isoformat(),
                    consent.version,
                    consent.language,
                    consent.source,
                    consent.text,
                    consent.choices,
                ]
            )
        return response
