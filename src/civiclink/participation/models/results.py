"""Accountability: what the municipality promised (often an accepted proposal) and how far it got."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiclink.core.models import TranslatableContent
from civiclink.participation.models.processes import Process
from civiclink.participation.models.proposals import Proposal


class ResultStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Result(TranslatableContent):
    translatable_fields = ("title", "description")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="results")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="result", verbose_name=_("proposal")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    budget = models.DecimalField(_("budget (BAM)"), max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="result_progress_percent"),
            models.CheckConstraint(condition=Q(status__in=ResultStatus.values), name="result_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ResultStatus.DONE) | Q(progress=100), name="result_done_is_complete"
            ),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="result_budget_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:result", args=[self.process.slug, self.pk])


class ResultUpdate(models.Model):
    """A dated account of progress, in public."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=10, choices=ResultStatus.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="result_update_percent")]

    def __str__(self):
        return f"{self.result} · {self.date}"
