"""Problems and proposals, their states, CSO endorsements and citizens' supports.

`support_count` and `comment_count` are counters kept in the same transaction as the rows they count, so lists
sort and show them without counting; `civiclink participation recount` proves them against the rows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiclink.moderation.models import Moderated
from civiclink.participation.models.processes import Category, Process
from civiclink.places.models import LocalCommunity, Organisation

TITLE_MAX = 150
BODY_MAX = 10_000


class ProposalKind(models.TextChoices):
    PROBLEM = "problem", _("Problem")
    PROPOSAL = "proposal", _("Proposal")


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    EVALUATION = "evaluation", _("Under evaluation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "progress", _("In progress")
    DONE = "done", _("Done")


class Proposal(Moderated):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=10, choices=ProposalKind.choices, default=ProposalKind.PROPOSAL)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("description"), max_length=BODY_MAX)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals", verbose_name=_("category")
    )
    community = models.ForeignKey(
        LocalCommunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("local community"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="participation/proposals/%Y/", blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("on behalf of"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ProposalState.choices, default=ProposalState.SUBMITTED, db_index=True
    )
    answer = models.TextField(_("answer of the municipality"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProposalKind.values), name="proposal_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=ProposalState.values), name="proposal_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=ProposalState.REJECTED) | ~Q(answer=""), name="proposal_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="proposal_location_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["process", "visibility", "-created_at"], name="proposal_list_newest"),
            models.Index(fields=["process", "visibility", "-support_count"], name="proposal_list_supported"),
            models.Index(fields=["process", "visibility", "-comment_count"], name="proposal_list_commented"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:proposal", args=[self.process.slug, self.pk])

    def save(self, *args, **kwargs):
        from civiclink.core.i18n import search_key

        self.search_text = search_key(f"{self.title} {self.body}")
        if (fields := kwargs.get("update_fields")) is not None and {"title", "body"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)


class StateChange(models.Model):
    """The public history of a proposal: each state it went through, with the reason given."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="state_changes")
    old_state = models.CharField(max_length=10, choices=ProposalState.choices)
    new_state = models.CharField(max_length=10, choices=ProposalState.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    automatic = models.BooleanField(default=False, help_text=_("Moved by reaching the support threshold."))
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.proposal} · {self.old_state} → {self.new_state}"


class Endorsement(models.Model):
    """A CSO standing behind a proposal, given by one of its members."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="endorsements")
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [models.UniqueConstraint(fields=["proposal", "organisation"], name="endorsement_once")]

    def __str__(self):
        return f"{self.organisation} · {self.proposal}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="support_once_per_user")]

    def __str__(self):
        return f"{self.user} · {self.proposal}"


class SupportAllowance(models.Model):
    """How many supports a user has given in a process that limits them. Taking one is a single conditional UPDATE
    (`used < limit`), so concurrent requests cannot pass the limit."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "user"], name="support_allowance_once")]

    def __str__(self):
        return f"{self.user} · {self.process} · {self.used}"
