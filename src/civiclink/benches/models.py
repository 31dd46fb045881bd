"""Smart benches: the registry of devices, what they send (the message ledger, hourly aggregates, rejected
messages) and what the kiosk on their screen hands out (one-time ballot tokens).

A bench is identified by a UUID, which is also its MQTT user name and part of its topics. Its secret is shown once,
when issued; only hashes are kept: SHA-256 for the HTTP API and the kiosk, and the broker's own PBKDF2 form for
Mosquitto's password file. See `docs/benches-protocol.md`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.places.models import LocalCommunity


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    MAINTENANCE = "maintenance", _("maintenance")
    RETIRED = "retired", _("retired")


class Sensor(models.TextChoices):
    """Optional sensors; battery, solar input, charging, Wi-Fi and enclosure temperature are always reported."""

    PARTICULATES = "particulates", _("particulate matter (PM2.5, PM10)")
    NOISE = "noise", _("noise")
    CLIMATE = "climate", _("air temperature and humidity")


class Transport(models.TextChoices):
    MQTT = "mqtt", "MQTT"
    HTTP = "http", "HTTP"
    KIOSK = "kiosk", _("kiosk")


class Kind(models.TextChoices):
    TELEMETRY = "telemetry", _("telemetry")
    RESPONSE = "response", _("response")
    EVENT = "event", _("event")


class Bench(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    community = models.ForeignKey(
        LocalCommunity, on_delete=models.PROTECT, related_name="benches", verbose_name=_("local community")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("location"), max_length=200, blank=True, help_text=_("Street or landmark."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    installed_on = models.DateField(_("installation date"), null=True, blank=True)
    hardware_version = models.CharField(_("hardware version"), max_length=40, blank=True)
    firmware_version = models.CharField(_("firmware version"), max_length=40, blank=True)
    sensors = models.JSONField(_("sensors fitted"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    reporting_interval = models.PositiveIntegerField(
        _("reporting interval (seconds)"), default=300, help_text=_("How often the bench sends telemetry.")
    )
    languages = models.JSONField(
        _("kiosk languages"), default=list, blank=True, help_text=_("Empty: the languages of the municipality.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    # The credential: shown once, stored as hashes. `credential_version` counts issues, so that a kiosk session
    # opened with an older secret ends when the secret is rotated.
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    broker_hash = models.CharField(max_length=200, blank=True, editable=False)
    credential_version = models.PositiveIntegerField(default=0, editable=False)
    credential_issued_at = models.DateTimeField(_("credential issued"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    # What the bench last told us, kept here so that the fleet list needs no aggregate query.
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    last_seq = models.BigIntegerField(default=0, editable=False)
    last_telemetry_at = models.DateTimeField(null=True, blank=True, editable=False)
    battery = models.FloatField(_("battery (%)"), null=True, blank=True, editable=False)
    solar_w = models.FloatField(_("solar input (W)"), null=True, blank=True, editable=False)
    tamper_at = models.DateTimeField(_("tamper alarm"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=200, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)

    desired_config = models.JSONField(_("configuration"), default=dict, blank=True)
    desired_config_version = models.PositiveIntegerField(_("configuration version"), default=0)
    reported_config_version = models.PositiveIntegerField(_("configuration applied"), default=0, editable=False)

    class Meta:
        verbose_name = _("bench")
        verbose_name_plural = _("benches")
        ordering = ["community__municipality__name", "community__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="bench_name_unique"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="bench_status"),
            models.CheckConstraint(condition=Q(reporting_interval__gte=10), name="bench_interval"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="bench_lat"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180), name="bench_lon"
            ),
            models.CheckConstraint(
                condition=Q(battery__isnull=True) | Q(battery__gte=0, battery__lte=100), name="bench_battery"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("benches:bench", args=[self.pk])

    @property
    def municipality(self):
        return self.community.municipality

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class BenchPhoto(models.Model):
    bench = models.ForeignKey(Bench, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="benches/")
    alt_text = models.CharField(_("description for screen readers"), max_length=200)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

    class Meta:
        verbose_name = _("bench photo")
        verbose_name_plural = _("bench photos")
        ordering = ["-taken_on", "pk"]

    def __str__(self):
        return self.alt_text


class ClaimCode(models.Model):
    """A one-time code that a bench exchanges for its credential (valid `BENCH_CLAIM_MINUTES`)."""

    bench = models.ForeignKey(Bench, on_delete=models.CASCADE, related_name="claim_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="claim_expiry")]

    def __str__(self):
        return f"claim for {self.bench_id}"


class Message(models.Model):
    """Every message a bench sent, once: the unique (bench, id) is what makes ingestion idempotent."""

    bench = models.ForeignKey(Bench, on_delete=models.PROTECT, related_name="messages")
    message_id = models.UUIDField()
    seq = models.BigIntegerField()
    measured_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    data = models.JSONField()
    transport = models.CharField(max_length=5, choices=Transport.choices)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bench", "message_id"], name="message_once"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="message_kind"),
        ]
        indexes = [models.Index(fields=["bench", "measured_at"], name="message_bench_time")]

    def __str__(self):
        return f"{self.bench_id}/{self.message_id}"


class Reason(models.TextChoices):
    """Why a message was refused; the codes are part of the protocol (`docs/benches-protocol.md`)."""

    MALFORMED = "malformed", _("not valid JSON")
    INVALID = "invalid", _("missing or wrong fields")
    UNKNOWN_TYPE = "unknown_type", _("unknown message type")
    TOO_LARGE = "too_large", _("message too large")
    UNKNOWN_BENCH = "unknown_bench", _("unknown bench")
    WRONG_BENCH = "wrong_bench", _("sent for another bench")
    REVOKED = "revoked", _("credential revoked or bench retired")
    RATE_LIMITED = "rate_limited", _("too many messages")
    REFUSED = "refused", _("answer refused")


class DeadLetter(models.Model):
    """A refused message, kept for staff with the reason; at most `DEAD_LETTER_PAYLOAD` characters of it."""

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    transport = models.CharField(max_length=5, choices=Transport.choices)
    bench = models.ForeignKey(Bench, on_delete=models.SET_NULL, null=True, blank=True, related_name="dead_letters")
    claimed_bench = models.CharField(_("bench named"), max_length=80, blank=True)
    topic = models.CharField(max_length=200, blank=True)
    message_id = models.CharField(max_length=80, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    payload = models.TextField(blank=True)

    DEAD_LETTER_PAYLOAD = 2000

    class Meta:
        verbose_name = _("refused message")
        verbose_name_plural = _("refused messages")
        ordering = ["-received_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(reason__in=Reason.values), name="dead_letter_reason")]

    def __str__(self):
        return f"{self.reason}: {self.message_id or self.topic}"


METRICS = ("battery", "solar", "wifi_clients", "enclosure_temp", "pm25", "pm10", "noise", "air_temp", "humidity")


class BenchHour(models.Model):
    """One bench's hour: count, sum, minimum and maximum of each metric (`METRICS`), charging sessions and kiosk
    answers. Ingestion adds to it, so that charts and the fleet dashboard never read raw messages."""

    bench = models.ForeignKey(Bench, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField()
    samples = models.PositiveIntegerField(default=0)
    charging_sessions = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    flagged_answers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bench", "hour"], name="bench_hour_unique")]
        indexes = [models.Index(fields=["hour"], name="bench_hour_time")]

    def __str__(self):
        return f"{self.bench_id} {self.hour:%Y-%m-%d %H}h"


for _metric in METRICS:
    BenchHour.add_to_class(f"{_metric}_n", models.PositiveIntegerField(default=0))
    BenchHour.add_to_class(f"{_metric}_sum", models.FloatField(default=0))
    BenchHour.add_to_class(f"{_metric}_min", models.FloatField(null=True))
    BenchHour.add_to_class(f"{_metric}_max", models.FloatField(null=True))


class BallotToken(models.Model):
    """A one-time token the kiosk binds to one ballot screen (a poll, the questionnaire or a problem report).

    The answer spends it with a conditional update, so one token gives one answer however often it arrives."""

    class Target(models.TextChoices):
        POLL = "poll", _("poll")
        QUESTIONNAIRE = "questionnaire", _("questionnaire")
        PROBLEM = "problem", _("problem report")

    bench = models.ForeignKey(Bench, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    target = models.CharField(max_length=14, choices=Target.choices)
    target_id = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target__in=["poll", "questionnaire", "problem"]), name="ballot_token_target"
            )
        ]
        indexes = [models.Index(fields=["bench", "used_at"], name="ballot_token_bench_used")]

    def __str__(self):
        return f"{self.target} {self.target_id}"


class Flag(models.TextChoices):
    OVER_CAP = "over_cap", _("above the bench's hourly cap")
    BURST = "burst", _("burst of identical answers")
    NIGHT = "night", _("night-time spike")


class KioskAnswer(models.Model):
    """What a spent token produced, with anti-stuffing flags: flagged answers are kept and counted apart."""

    token = models.OneToOneField(BallotToken, on_delete=models.CASCADE, related_name="answer")
    bench = models.ForeignKey(Bench, on_delete=models.CASCADE, related_name="answers")
    target = models.CharField(max_length=14, choices=BallotToken.Target.choices)
    target_id = models.PositiveIntegerField()
    answered_at = models.DateTimeField()
    fingerprint = models.CharField(max_length=64, help_text="hash of the answers, to spot bursts of identical ones")
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["bench", "answered_at"], name="kiosk_answer_bench_time")]

    def __str__(self):
        return f"{self.target} {self.target_id} at {self.answered_at:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    """A health problem of a bench, open until it clears; staff are e-mailed once per alert."""

    class Kind(models.TextChoices):
        OFFLINE = "offline", _("offline")
        LOW_BATTERY = "low_battery", _("low battery")
        NO_SOLAR = "no_solar", _("no solar input in daytime")
        TAMPER = "tamper", _("tamper alarm")

    bench = models.ForeignKey(Bench, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bench", "kind"], condition=Q(cleared_at__isnull=True), name="alert_open_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["offline", "low_battery", "no_solar", "tamper"]), name="alert_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.bench_id}"
