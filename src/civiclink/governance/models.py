"""ELoGE: benchmarks of the 12 Principles, stakeholders' platforms and their cycles, and one municipality's campaign
from self-assessment and surveys to scores, committee decision, action plan and monitoring.

Catalogue rows (principles, indicators, items) are frozen once a campaign has answers: staff adapt a copy instead,
so that past results keep the wording they were given with.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiclink.core.models import TranslatableContent
from civiclink.places.models import Municipality, Organisation


class Audience(models.TextChoices):
    """Who answers a questionnaire."""

    CITIZENS = "citizens", _("citizens")
    COUNCILLORS = "councillors", _("councillors")
    STAFF = "staff", _("municipal staff")


class Source(models.TextChoices):
    """The four views the 360-degree assessment contrasts."""

    SELF = "self", _("self-assessment")
    COUNCILLORS = "councillors", _("councillors")
    STAFF = "staff", _("municipal staff")
    CITIZENS = "citizens", _("citizens")


class Channel(models.TextChoices):
    """How a questionnaire response reached us."""

    WEB = "web", _("web")
    PAPER = "paper", _("paper")
    BENCH = "bench", _("smart bench")


# --- Catalogue ---------------------------------------------------------------------------------------------------


class CatalogueEntry(TranslatableContent):
    """Part of a benchmark: its wording may not change once answers were given against the benchmark."""

    class Meta:
        abstract = True

    def owning_benchmark(self) -> "Benchmark":
        raise NotImplementedError

    def clean(self):
        super().clean()
        if self.pk and self.owning_benchmark().is_in_use:
            raise ValidationError(
                _("This benchmark has been used in a campaign and can no longer change. Adapt a copy of it instead."),
                code="frozen",
            )


class Benchmark(CatalogueEntry):
    """A versioned set of principles, indicators and questionnaires; `based_on` marks a platform's adapted copy."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    edition = models.PositiveSmallIntegerField(_("edition"), help_text=_("The year of the Council of Europe text."))
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", verbose_name=_("based on")
    )
    platform = models.ForeignKey(
        "Platform",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benchmarks",
        verbose_name=_("adapted by"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    maturity_min = models.PositiveSmallIntegerField(_("lowest maturity level"), default=0)
    maturity_max = models.PositiveSmallIntegerField(_("highest maturity level"), default=4)
    maturity_levels = models.JSONField(_("names of the maturity levels"), default=list, blank=True)

    translatable_fields = ("title", "description", "maturity_levels")

    def owning_benchmark(self):
        return self

    class Meta:
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        ordering = ["edition", "key"]
        constraints = [
            models.CheckConstraint(condition=Q(maturity_max__gt=F("maturity_min")), name="benchmark_maturity_range"),
        ]

    def __str__(self):
        return self.localised("title")

    def get_absolute_url(self):
        return reverse("governance:benchmark", args=[self.key])

    @property
    def is_in_use(self) -> bool:
        """Answers were given against it: its wording is part of past results and must not change."""
        return Campaign.objects.filter(cycle__benchmark=self).exclude(phase=Phase.REGISTRATION).exists()

    def maturity_range(self) -> range:
        return range(self.maturity_min, self.maturity_max + 1)


class Principle(CatalogueEntry):
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="principles")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    translatable_fields = ("name", "description")

    def owning_benchmark(self):
        return self.benchmark

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["benchmark", "number"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "number"], name="principle_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=12), name="principle_number_range"),
        ]

    def __str__(self):
        return f"{self.number}. {self.localised('name')}"


class Outcome(CatalogueEntry):
    """A target within a principle (2023 benchmark: three per principle)."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    statement = models.TextField(_("statement"))

    translatable_fields = ("statement",)

    def owning_benchmark(self):
        return self.principle.benchmark

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["principle", "position"]
        constraints = [models.UniqueConstraint(fields=["principle", "code"], name="outcome_code_unique")]

    def __str__(self):
        return f"{self.code} {self.localised('statement')}"


class Indicator(CatalogueEntry):
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="indicators")
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    statement = models.TextField(_("statement"))
    guidance = models.TextField(_("guidance on evidence"), blank=True)
    levels = models.JSONField(_("what each maturity level means"), default=list, blank=True)
    retired = models.BooleanField(_("retired"), default=False, help_text=_("Kept for past results, not asked again."))

    translatable_fields = ("statement", "guidance", "levels")

    def owning_benchmark(self):
        return self.benchmark

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["principle__number", "position"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "code"], name="indicator_code_unique")]

    def __str__(self):
        return f"{self.code} {self.localised('statement')}"


class Questionnaire(CatalogueEntry):
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="questionnaires")
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    translatable_fields = ("title", "intro")

    def owning_benchmark(self):
        return self.benchmark

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "audience"], name="questionnaire_audience_unique"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="questionnaire_audience_valid"),
        ]

    def __str__(self):
        return self.localised("title")


class Item(CatalogueEntry):
    """A questionnaire statement answered on the cycle's agreement scale; it measures one principle."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    retired = models.BooleanField(_("retired"), default=False, help_text=_("Kept for past results, not asked again."))

    translatable_fields = ("text",)

    def owning_benchmark(self):
        return self.questionnaire.benchmark

    class Meta:
        verbose_name = _("questionnaire item")
        verbose_name_plural = _("questionnaire items")
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="item_code_unique")]

    def __str__(self):
        return f"{self.code} {self.localised('text')}"


# --- Platforms and cycles ----------------------------------------------------------------------------------------


class ScoringRules(models.Model):
    """The rules a stakeholders' platform sets, since the Council of Europe publishes none (docs/governance.md)."""

    scale_min = models.SmallIntegerField(_("lowest answer"), default=1)
    scale_max = models.SmallIntegerField(_("highest answer"), default=5)
    weight_self = models.PositiveSmallIntegerField(_("weight of the self-assessment"), default=40)
    weight_councillors = models.PositiveSmallIntegerField(_("weight of the councillors"), default=20)
    weight_staff = models.PositiveSmallIntegerField(_("weight of the municipal staff"), default=10)
    weight_citizens = models.PositiveSmallIntegerField(_("weight of the citizens"), default=30)
    min_principle_score = models.PositiveSmallIntegerField(
        _("minimum score per principle"), default=50, validators=[MaxValueValidator(100)]
    )
    overall_threshold = models.PositiveSmallIntegerField(
        _("overall threshold"), default=60, validators=[MaxValueValidator(100)]
    )
    min_citizen_responses = models.PositiveIntegerField(_("minimum citizen responses"), default=100)
    label_validity_years = models.PositiveSmallIntegerField(
        _("label validity in years"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    RULE_FIELDS = (
        "scale_min",
        "scale_max",
        "weight_self",
        "weight_councillors",
        "weight_staff",
        "weight_citizens",
        "min_principle_score",
        "overall_threshold",
        "min_citizen_responses",
        "label_validity_years",
    )

    class Meta:
        abstract = True

    def weights(self) -> dict[str, int]:
        return {
            Source.SELF: self.weight_self,
            Source.COUNCILLORS: self.weight_councillors,
            Source.STAFF: self.weight_staff,
            Source.CITIZENS: self.weight_citizens,
        }


def rule_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name=f"{prefix}_scale_range"),
        models.CheckConstraint(
            condition=Q(weight_self__gt=0)
            | Q(weight_councillors__gt=0)
            | Q(weight_staff__gt=0)
            | Q(weight_citizens__gt=0),
            name=f"{prefix}_some_weight",
        ),
        models.CheckConstraint(
            condition=Q(min_principle_score__lte=100, overall_threshold__lte=100), name=f"{prefix}_thresholds"
        ),
    ]


class Platform(ScoringRules):
    """A national stakeholders' platform accredited by the Council of Europe to run ELoGE cycles."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    accredited_from = models.DateField(_("accredited from"))
    accredited_until = models.DateField(_("accredited until"))
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="governance_platforms", verbose_name=_("platform team")
    )

    class Meta:
        verbose_name = _("stakeholders' platform")
        verbose_name_plural = _("stakeholders' platforms")
        ordering = ["name"]
        constraints = [
            *rule_constraints("platform"),
            models.CheckConstraint(
                condition=Q(accredited_until__gt=F("accredited_from")), name="platform_accreditation"
            ),
        ]

    def __str__(self):
        return self.name


class Cycle(ScoringRules):
    """One round of the label: the platform's rules are copied in when it is created and then belong to it."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("platform"))
    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("benchmark")
    )
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    assessment_closes = models.DateField(_("self-assessment and surveys close"), null=True, blank=True)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="governance_cycles", verbose_name=_("evaluation committee")
    )

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-year", "name"]
        constraints = [
            *rule_constraints("cycle"),
            models.UniqueConstraint(fields=["platform", "name"], name="cycle_name_unique"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def for_platform(cls, platform: Platform, **fields) -> "Cycle":
        """A new cycle with the platform's current rules (unsaved)."""
        rules = {name: getattr(platform, name) for name in ScoringRules.RULE_FIELDS}
        return cls(platform=platform, **{**rules, **fields})


# --- Campaign ----------------------------------------------------------------------------------------------------


class Phase(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    ASSESSMENT = "assessment", _("Self-assessment and surveys")
    EVALUATION = "evaluation", _("Evaluation")
    DECISION = "decision", _("Decision")
    ACTION_PLAN = "action_plan", _("Action plan")
    MONITORING = "monitoring", _("Monitoring")


PHASE_ORDER = list(Phase.values)


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    LABEL = "label", _("Label awarded")
    RECOGNITION = "recognition", _("Recognition for a completed self-assessment")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class Campaign(models.Model):
    """One municipality taking part in one cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("cycle"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="governance_campaigns", verbose_name=_("municipality")
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.REGISTRATION)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    citizen_codes_required = models.BooleanField(
        _("citizens need a one-time code"),
        default=False,
        help_text=_("Codes printed on household leaflets; without them one answer per browser is asked."),
    )
    results_public = models.BooleanField(
        _("results published"), default=False, help_text=_("The municipality consents to publishing its results.")
    )
    self_assessment_submitted_at = models.DateTimeField(_("self-assessment submitted"), null=True, blank=True)
    self_assessment_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_minutes = models.TextField(_("minutes of the committee"), blank=True)
    label_valid_from = models.DateField(_("label valid from"), null=True, blank=True)
    label_valid_until = models.DateField(_("label valid until"), null=True, blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMember", related_name="governance_campaigns", verbose_name=_("team")
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-cycle__year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "municipality"], name="campaign_once_per_cycle"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="campaign_phase_valid"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="campaign_decision_valid"),
            models.CheckConstraint(
                condition=~Q(decision="label") | Q(label_valid_from__isnull=False, label_valid_until__isnull=False),
                name="campaign_label_has_validity",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} – {self.cycle}"

    def get_absolute_url(self):
        return reverse("governance:campaign", args=[self.pk])

    def phase_reached(self, phase: str) -> bool:
        return PHASE_ORDER.index(self.phase) >= PHASE_ORDER.index(phase)

    @property
    def surveys_open(self) -> bool:
        return self.phase == Phase.ASSESSMENT

    @property
    def self_assessment_editable(self) -> bool:
        return self.phase == Phase.ASSESSMENT and self.self_assessment_submitted_at is None


class TeamMember(models.Model):
    """The municipality's ELoGE team: officers who fill in the self-assessment, and a trainer who mentors them."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("team member")
        COORDINATOR = "coordinator", _("coordinator")
        MENTOR = "mentor", _("mentor")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="team_member_unique"),
            models.CheckConstraint(condition=Q(role__in=["officer", "coordinator", "mentor"]), name="team_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


# --- Self-assessment and evaluation ------------------------------------------------------------------------------


class IndicatorAssessment(models.Model):
    """The team's maturity level for one indicator; an evaluator's adjustment is kept beside the original."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="assessments")
    level = models.PositiveSmallIntegerField(_("maturity level"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    revision = models.PositiveIntegerField(default=0, help_text="Raised on every save; a stale form is refused.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adjusted_level = models.PositiveSmallIntegerField(_("level set by the evaluators"), null=True, blank=True)
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("indicator assessment")
        verbose_name_plural = _("indicator assessments")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "indicator"], name="assessment_once_per_indicator"),
            models.CheckConstraint(
                condition=Q(adjusted_level__isnull=True) | ~Q(adjustment_reason=""),
                name="assessment_adjustment_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.indicator_id}: {self.final_level}"

    @property
    def final_level(self) -> int | None:
        return self.adjusted_level if self.adjusted_level is not None else self.level


class Evidence(models.Model):
    """A document or link supporting an indicator's level."""

    assessment = models.ForeignKey(IndicatorAssessment, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="governance/evidence/%Y/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="evidence_file_or_link"),
        ]

    def __str__(self):
        return self.title


# --- Questionnaires ----------------------------------------------------------------------------------------------


class Invitation(models.Model):
    """A one-time link for a councillor or a member of staff. `answered` is a flag, never a link to the answer."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["audience", "email"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "audience", "email"], name="invitation_once_per_person"),
            models.CheckConstraint(condition=Q(audience__in=["councillors", "staff"]), name="invitation_audience"),
        ]

    def __str__(self):
        return self.email


class CitizenCode(models.Model):
    """A one-time code printed on a household leaflet. Only its hash is kept."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="citizen_codes")
    code_hash = models.CharField(max_length=64)
    batch = models.PositiveSmallIntegerField(_("print batch"), default=1)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("citizen code")
        verbose_name_plural = _("citizen codes")
        constraints = [models.UniqueConstraint(fields=["campaign", "code_hash"], name="citizen_code_unique")]

    def __str__(self):
        return f"{self.campaign_id}/{self.batch}: {self.code_hash[:8]}"


class SpentBallot(models.Model):
    """Proof that a credential (invitation, printed code or browser token) was used: the primary key is a keyed
    hash of it, so the database itself refuses a second answer. No time and no order link it to the response."""

    key = models.CharField(primary_key=True, max_length=64)

    class Meta:
        verbose_name = _("used ballot")
        verbose_name_plural = _("used ballots")

    def __str__(self):
        return self.key


class Response(models.Model):
    """One filled-in questionnaire. Anonymous by construction: no user, no address, no token, only the day."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    submitted_on = models.DateField(_("submitted on"), default=datetime.date.today)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        indexes = [models.Index(fields=["campaign", "audience"], name="response_campaign_audience")]
        constraints = [
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="response_audience_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="response_channel_valid"),
        ]

    def __str__(self):
        return f"{self.get_audience_display()} ({self.get_channel_display()}, {self.submitted_on})"


class Answer(models.Model):
    """An answer to one item; `value` is null for "don't know". Campaign, audience and principle are copied from
    the response and the item so that scores are one grouped scan of this table."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=12, choices=Audience.choices)
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["campaign", "audience", "principle", "value"], name="answer_scoring"),
        ]
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item")]

    def __str__(self):
        return f"{self.item_id}: {self.value}"


# --- Action plan -------------------------------------------------------------------------------------------------


class Measure(models.Model):
    """A step of the action plan that answers a weak principle."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Reason(models.TextChoices):
        BELOW_MINIMUM = "below_minimum", _("Below the minimum score")
        PERCEPTION_GAP = "perception_gap", _("Large perception gap")
        OTHER = "other", _("Other finding")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="measures")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="+", verbose_name=_("principle"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, default=Reason.BELOW_MINIMUM)
    title = models.CharField(_("measure"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible = models.CharField(_("responsible person"), max_length=200)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    success_indicator = models.CharField(_("indicator of success"), max_length=300)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    training_topic = models.CharField(_("training topic"), max_length=200, blank=True)
    grant_topic = models.CharField(_("grant topic"), max_length=200, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="measure_progress_range"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "dropped"]), name="measure_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.deadline < today and self.status in {self.Status.PLANNED, self.Status.IN_PROGRESS}


class MeasureUpdate(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    status = models.CharField(_("status"), max_length=12, choices=Measure.Status.choices)
    text = models.TextField(_("what happened"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="measure_update_progress")]

    def __str__(self):
        return f"{self.measure} ({self.progress} %)"
