"""Comments on anything people discuss (proposals, results, meetings, articles): two levels deep, with an optional
stance; an edit is marked, a deletion leaves a placeholder so that replies keep their context."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civiclink.moderation.models import Moderated
from civiclink.participation.models.processes import Process

COMMENT_MAX = 4000


class Stance(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    NEUTRAL = "neutral", _("Neutral")


class Comment(Moderated):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, null=True, blank=True, related_name="comments", editable=False
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices, blank=True)
    official = models.BooleanField(
        _("official answer"), default=False, help_text=_("Written on behalf of the municipality.")
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stance__in=["", *Stance.values]), name="comment_stance_valid"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="comment_target")]

    def __str__(self):
        return self.body[:60]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
