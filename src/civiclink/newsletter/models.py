"""The newsletter: subscribers with their consent history, issues that staff compose in Wagtail, and one delivery
row per recipient and issue, which is what makes sending resumable without doubles (see docs/newsletter.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PreviewableMixin

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
# An e-mail styles itself inline and shows images from wherever the site is; shown framed in the back office.
PREVIEW_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["*", "data:"],
    "frame-ancestors": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
}


class Theme(models.TextChoices):
    """The fixed list of topics besides municipalities; staff target issues at them."""

    GOOD_GOVERNANCE = "good-governance", _("Good governance")
    PARTICIPATION = "participation", _("Citizen participation")
    SMART_BENCHES = "smart-benches", _("Smart benches")
    GRANTS = "grants", _("Grants")
    TRAININGS = "trainings", _("Trainings")
    CSO_NETWORK = "cso-network", _("CSO network")
    PROGRAMME_NEWS = "programme-news", _("Programme news")


class Source(models.TextChoices):
    WEB = "web", _("web form")
    IMPORT = "import", _("import")
    EMAIL = "email", _("e-mail")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    SUSPENDED = "suspended", _("suspended after bounces")


class Subscriber(models.Model):
    """One e-mail address (kept in lower case) and what it wants. Subscribers without topics get every issue in
    their language; the others get issues aimed at everyone or at one of their topics."""

    Status = SubscriberStatus

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    municipalities = models.ManyToManyField(
        "places.Municipality", blank=True, related_name="newsletter_subscribers", verbose_name=_("municipalities")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    # Binds confirmation links to the current request for confirmation: a link from before an unsubscription
    # cannot confirm again. Emptied once confirmed.
    nonce = models.CharField(max_length=32, blank=True, editable=False)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(_("first subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    bounce_count = models.PositiveSmallIntegerField(_("hard bounces"), default=0)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "language"], name="newsletter_subscriber_match")]
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="newsletter_subscriber_email_lower"),
            models.CheckConstraint(
                condition=Q(status__in=SubscriberStatus.values), name="newsletter_subscriber_status"
            ),
            models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES), name="newsletter_subscriber_language"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False), name="newsletter_confirmed_when"
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def themes(self) -> list[str]:
        return [choice.theme for choice in self.theme_choices.all()]


class SubscriberTheme(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="theme_choices")
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)

    class Meta:
        verbose_name = _("theme of a subscriber")
        verbose_name_plural = _("themes of subscribers")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "theme"], name="newsletter_theme_once"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="newsletter_theme_valid"),
        ]

    def __str__(self):
        return self.get_theme_display()


class ConsentAction(models.TextChoices):
    SUBSCRIBE = "subscribe", _("subscribed")
    CONFIRM = "confirm", _("confirmed")
    CHANGE = "change", _("changed preferences")
    UNSUBSCRIBE = "unsubscribe", _("unsubscribed")


class Consent(models.Model):
    """What a subscriber agreed to or withdrew, when, in which words: never changed, never an IP address."""

    Action = ConsentAction

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consents", verbose_name=_("subscriber")
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    text = models.TextField(_("text shown"))
    version = models.CharField(_("text version"), max_length=20)
    language = models.CharField(_("language shown"), max_length=10, choices=settings.LANGUAGES)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    # The choices in force after the action: {"language": ..., "municipalities": [slugs], "themes": [keys]}.
    choices = models.JSONField(_("choices"), default=dict, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["subscriber", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ConsentAction.values), name="newsletter_consent_action"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="newsletter_consent_source"),
        ]

    def __str__(self):
        return f"{self.subscriber} {self.action} {self.at:%Y-%m-%d %H:%M}"


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")


class Issue(PreviewableMixin, ClusterableModel):
    """One newsletter in one language. Sent once: from "sending" on, it can no longer be edited."""

    Status = IssueStatus

    subject = models.CharField(_("subject"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    closing = RichTextField(_("closing text"), blank=True, features=TEXT_FEATURES)
    municipalities = ParentalManyToManyField(
        "places.Municipality",
        blank=True,
        related_name="newsletter_issues",
        verbose_name=_("for subscribers of these municipalities"),
    )
    themes = models.JSONField(_("for subscribers of these themes"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("sending started"), null=True, blank=True, editable=False)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sending finished"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["language", "status", "-queued_at"], name="newsletter_issue_archive")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=IssueStatus.values), name="newsletter_issue_status"),
            models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES), name="newsletter_issue_language"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(queued_at__isnull=False), name="newsletter_issue_queued_when"
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def targeted(self) -> bool:
        return bool(self.themes) or self.municipalities.exists()

    def get_theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels[theme]) for theme in self.themes if theme in labels]

    # --- Wagtail preview: the e-mail as subscribers will see it ----------------------------------------------

    @property
    def preview_modes(self):
        return [("", _("E-mail (HTML)")), ("text", _("E-mail (plain text)"))]

    @csp_override(PREVIEW_CSP)
    def serve_preview(self, request, mode_name):
        from civiclink.newsletter.composing import Letter

        letter = Letter(self)
        if mode_name == "text":
            return HttpResponse(letter.preview_text(), content_type="text/plain; charset=utf-8")
        return HttpResponse(letter.preview_html())


class IssueArticle(Orderable):
    issue = ParentalKey(Issue, on_delete=models.CASCADE, related_name="issue_articles")
    article = models.ForeignKey(
        "portal.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="newsletter_article_once")]

    def __str__(self):
        return str(self.article)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    CLAIMED = "claimed", _("claimed by a batch")
    SENDING = "sending", _("being handed to the mail server")
    SENT = "sent", _("sent")
    UNCERTAIN = "uncertain", _("uncertain (interrupted while sending)")
    BOUNCED = "bounced", _("bounced")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled (unsubscribed before sending)")


class Delivery(models.Model):
    """One issue to one subscriber. A batch claims rows, marks each one "sending" (committed) before handing it to
    the mail backend and "sent" after; a row found "sending" after a crash may have left, so it becomes
    "uncertain" and is only sent again when staff ask."""

    Status = DeliveryStatus

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    claim = models.CharField(max_length=64, blank=True, default="")  # the batch task that holds or held the row
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()  # set by every change: the batch's sign of life
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["issue", "status"], name="newsletter_delivery_progress"),
            models.Index(fields=["claim", "updated_at"], name="newsletter_delivery_claim"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once"),
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="newsletter_delivery_status"),
            models.CheckConstraint(
                condition=~Q(status__in=["claimed", "sending"]) | ~Q(claim=""), name="newsletter_delivery_claimed"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="newsletter_delivery_sent_when"
            ),
        ]

    def __str__(self):
        return f"{self.issue_id} → {self.subscriber_id}: {self.status}"
