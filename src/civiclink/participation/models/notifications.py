"""Following processes and proposals, and the e-mails that tell followers what changed.

Each event becomes one `Notification` per follower; a task sends them at once, or the daily digest gathers the
unsent ones of those who chose it. A signed link in every e-mail unsubscribes in one click."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="follow_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target")]

    def __str__(self):
        return f"{self.user} · {self.content_type.model} {self.object_id}"


class NotificationSettings(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one e-mail per event")
        DAILY = "daily", _("Once a day, in a digest")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    frequency = models.CharField(
        _("e-mails about what I follow"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    follow_own = models.BooleanField(_("follow my own proposals automatically"), default=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["immediate", "daily", "never"]), name="notification_frequency_valid"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.frequency}"


class Notification(models.Model):
    class Event(models.TextChoices):
        ANSWERED = "answered", _("answered")
        STATE = "state", _("changed state")
        COMMENTED = "commented", _("commented")
        PHASE = "phase", _("new phase")
        RESULT = "result", _("result updated")
        HIDDEN = "hidden", _("hidden by a moderator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=10, choices=Event.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "user"], name="notification_unsent")]

    def __str__(self):
        return f"{self.user} · {self.title}"
