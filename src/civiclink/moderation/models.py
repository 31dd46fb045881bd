"""Reports, moderators' decisions and blocked accounts, for any contribution that people can see: proposals,
comments, articles' comments. A contribution takes part by inheriting `Moderated` and being registered in
`civiclink.moderation.registry`."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Hidden pending review")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Moderated(models.Model):
    """What moderation needs on a contribution: whether people see it, how often it was reported, and the reason
    its author is told when a moderator hides it."""

    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE, db_index=True
    )
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    moderation_reason = models.TextField(_("reason given by the moderator"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.visibility != Visibility.VISIBLE


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive, hateful or threatening")
    PERSONAL_DATA = "personal", _("Reveals someone's personal data")
    OFF_TOPIC = "off-topic", _("Off topic")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """One person's report of one contribution. `reporter_key` is "user:<id>" for an account, or a keyed hash of
    the address for a visitor: the same reporter counts once."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation_reports"
    )
    reporter_key = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    details = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter_key"], name="moderation_report_once_per_reporter"
            ),
            models.CheckConstraint(condition=Q(reason__in=ReportReason.values), name="moderation_report_reason"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="moderation_report_target")]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.content_type.model} {self.object_id}"


class Decision(models.Model):
    """A moderator's decision on a contribution, kept as its history."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="moderation_decisions"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=["hide", "restore"]), name="moderation_decision_action"),
            models.CheckConstraint(condition=~Q(reason=""), name="moderation_decision_has_reason"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="moderation_decision_target")]

    def __str__(self):
        return f"{self.get_action_display()} · {self.content_type.model} {self.object_id}"


class Block(models.Model):
    """A user barred from contributing, until a moderator lifts it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_blocks")
    blocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("blocked user")
        verbose_name_plural = _("blocked users")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(lifted_at__isnull=True), name="moderation_one_block"),
            models.CheckConstraint(condition=~Q(reason=""), name="moderation_block_has_reason"),
        ]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
