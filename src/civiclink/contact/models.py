"""Messages from the public to the programme's staff, sorted by topic, with their history in the back office."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core.models import TranslatableContent


def validate_addresses(value: str) -> None:
    for address in value.split():
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(_("“%(address)s” is not an e-mail address."), params={"address": address}) from None


class Topic(TranslatableContent):
    """What a message is about, and who answers it: staff accounts (they see the topic's messages in the back
    office and are notified) and further addresses that are only notified, such as a team's mailbox."""

    name = models.CharField(_("name"), max_length=120)
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contact_topics",
        limit_choices_to={"is_staff": True},
        verbose_name=_("responsible staff"),
        help_text=_("They see this topic's messages in the inbox and are told of new ones."),
    )
    notify_addresses = models.TextField(
        _("further addresses to notify"),
        blank=True,
        validators=[validate_addresses],
        help_text=_("One e-mail address per line. They are told of new messages but cannot open the inbox."),
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_topics",
        verbose_name=_("municipality"),
        help_text=_("For a topic about one municipality only."),
    )
    active = models.BooleanField(_("offered on the form"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    translatable_fields = ("name",)

    class Meta:
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.localised("name")

    @property
    def addresses(self) -> list[str]:
        return self.notify_addresses.split()


class State(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Message(models.Model):
    """One message sent through the contact form.

    `fingerprint` (a keyed hash of the address and the text) and `received_window` (the ten-minute window it came
    in) make a resent form idempotent: the unique constraint refuses the same text from the same address twice in
    one window, however many requests race (see `receiving.submit`).
    """

    State = State

    reference = models.CharField(_("reference"), max_length=9, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="messages", verbose_name=_("topic"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_messages",
        verbose_name=_("account"),
        help_text=_("The sender's account, when they were signed in."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    fingerprint = models.CharField(max_length=64, editable=False)
    received_window = models.BigIntegerField(editable=False)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]
        default_permissions = ()  # the rules in `contact.rules` decide; this one can be granted to a group
        permissions = [("answer_all_messages", _("Can read and answer the messages of every topic"))]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="contact_message_state"),
            models.UniqueConstraint(fields=["fingerprint", "received_window"], name="contact_message_once"),
        ]
        indexes = [
            models.Index(fields=["topic", "state"], name="contact_message_topic_state"),
            models.Index(fields=["state", "state_changed_at"], name="contact_message_retention"),
        ]

    def __str__(self):
        return f"{self.reference} · {self.subject}"


class Event(models.Model):
    """Something staff did with a message: a reply (e-mailed to the sender), an internal note, closing or
    reopening it. Together they are the message's history, with who did it and when."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("message event")
        verbose_name_plural = _("message events")
        ordering = ["created_at", "pk"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["reply", "note", "closed", "reopened"]), name="contact_event"),
            models.CheckConstraint(
                condition=~Q(kind__in=["reply", "note"]) | ~Q(text=""), name="contact_event_has_text"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.message.reference}"
