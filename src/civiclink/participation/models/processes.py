"""A participatory process of a municipality, its dated phases, and what each phase lets whom do.

A process enables features (`ProcessFeature`, with their settings); each phase grants capabilities
(`PhaseCapability`: a feature's action, open to an audience). What a feature can do is declared in
`civiclink.participation.features`; the database only records which of those a process switched on.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core.models import TranslatableContent
from civiclink.places.models import LocalCommunity, Municipality


class ParticipationLevel(models.TextChoices):
    """The Council of Europe's Code of Good Practice for Civil Participation, least to most participative."""

    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    DIALOGUE = "dialogue", _("Dialogue")
    PARTNERSHIP = "partnership", _("Partnership")


class DecisionStep(models.TextChoices):
    AGENDA_SETTING = "agenda", _("Agenda setting")
    DRAFTING = "drafting", _("Drafting")
    DECISION = "decision", _("Decision")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring")
    REFORMULATION = "reformulation", _("Reformulation")


class Audience(models.TextChoices):
    """Who may use a capability, from the widest to the narrowest."""

    ANYONE = "anyone", _("Anyone, also without an account")
    REGISTERED = "registered", _("Registered users")
    VERIFIED_EMAIL = "verified", _("Users with a verified e-mail address")
    RESIDENT = "resident", _("Verified residents of the municipality")
    CSO_MEMBER = "cso", _("Members of a CSO")


class Process(TranslatableContent):
    translatable_fields = ("title", "summary", "description")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="processes", verbose_name=_("municipality")
    )
    communities = models.ManyToManyField(
        LocalCommunity, blank=True, related_name="processes", verbose_name=_("local communities")
    )
    for_network = models.BooleanField(_("for the CSO network"), default=False)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="participation/processes/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    level = models.CharField(
        _("participation level"),
        max_length=14,
        choices=ParticipationLevel.choices,
        default=ParticipationLevel.CONSULTATION,
    )
    decision_step = models.CharField(
        _("decision step"), max_length=14, choices=DecisionStep.choices, default=DecisionStep.AGENDA_SETTING
    )
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    seed = models.PositiveIntegerField(
        _("random order seed"), default=1, help_text=_("Keeps the random order of proposals stable for a day.")
    )

    class Meta:
        verbose_name = _("participatory process")
        verbose_name_plural = _("participatory processes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=ParticipationLevel.values), name="process_level_valid"),
            models.CheckConstraint(condition=Q(decision_step__in=DecisionStep.values), name="process_step_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:process", args=[self.slug])

    def phase_at(self, moment=None) -> "Phase | None":
        """The phase running at `moment` (now by default), from the prefetched phases when there are any."""
        moment = moment or timezone.now()
        for phase in self.phases.all():
            if phase.starts_at <= moment < phase.ends_at:
                return phase
        return None

    @property
    def current_phase(self) -> "Phase | None":
        if not hasattr(self, "_current_phase"):
            self._current_phase = self.phase_at()
        return self._current_phase


class ProcessFeature(models.Model):
    """A feature the process uses, with its settings (validated against the feature's declared settings)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="features")
    feature = models.CharField(_("feature"), max_length=20)
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    class Meta:
        verbose_name = _("feature of a process")
        verbose_name_plural = _("features of a process")
        constraints = [models.UniqueConstraint(fields=["process", "feature"], name="process_feature_once")]

    def __str__(self):
        return f"{self.process} · {self.feature}"


class Phase(TranslatableContent):
    translatable_fields = ("name", "description")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    announced_at = models.DateTimeField(
        _("announced to followers"), null=True, blank=True, editable=False, help_text=_("Set when followers are told.")
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="phase_ends_after_start")]

    def __str__(self):
        return f"{self.process} · {self.name}"

    @property
    def is_running(self) -> bool:
        return self.starts_at <= timezone.now() < self.ends_at


class PhaseCapability(models.Model):
    """In this phase, `audience` may do `action` of `feature` (e.g. registered users may support proposals)."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="capabilities")
    feature = models.CharField(_("feature"), max_length=20)
    action = models.CharField(_("action"), max_length=20)
    audience = models.CharField(_("who may"), max_length=10, choices=Audience.choices, default=Audience.REGISTERED)

    class Meta:
        verbose_name = _("capability of a phase")
        verbose_name_plural = _("capabilities of a phase")
        constraints = [
            models.UniqueConstraint(fields=["phase", "feature", "action"], name="phase_capability_once"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="phase_capability_audience"),
        ]

    def __str__(self):
        return f"{self.phase} · {self.feature}.{self.action} · {self.audience}"


class Category(TranslatableContent):
    translatable_fields = ("name",)

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["process", "name"], name="category_name_unique")]

    def __str__(self):
        return self.name


class Residency(models.Model):
    """A user verified as a resident of a municipality, by an officer or with a printed one-time code."""

    class Method(models.TextChoices):
        OFFICER = "officer", _("Checked by a municipal officer")
        CODE = "code", _("One-time code delivered on paper")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residencies")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="residents")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), auto_now_add=True)

    class Meta:
        verbose_name = _("verified residency")
        verbose_name_plural = _("verified residencies")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="residency_once"),
            models.CheckConstraint(condition=Q(method__in=["officer", "code"]), name="residency_method_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.municipality}"


class ResidentCode(models.Model):
    """A one-time residency code printed and delivered on paper; only its hash is stored."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="resident_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    batch = models.CharField(_("batch"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("resident code")
        verbose_name_plural = _("resident codes")

    def __str__(self):
        return f"{self.municipality} · {self.batch}"
