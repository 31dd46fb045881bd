"""Polls and surveys: questions with single or multiple choice, ranking or free text.

A ballot is one person's answer to a whole poll. Its `voter_key` is a keyed hash of what proves a single vote (the
account, a one-time code or a browser token): unique per poll, so the database refuses a second ballot however
many arrive at once, and nothing stored names the voter. Every vote keeps the ballot's source (web, bench, paper)
so that results can show them apart."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core.models import TranslatableContent
from civiclink.participation.models.processes import Process

TEXT_ANSWER_MAX = 2000


class Source(models.TextChoices):
    WEB = "web", _("Web")
    BENCH = "bench", _("Smart bench")
    PAPER = "paper", _("Paper")


class Poll(TranslatableContent):
    translatable_fields = ("title", "description")

    class ShowResults(models.TextChoices):
        AFTER_VOTING = "voted", _("To those who have voted, and to everyone after closing")
        AFTER_CLOSING = "closed", _("To everyone after closing")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    show_results = models.CharField(
        _("show results"), max_length=6, choices=ShowResults.choices, default=ShowResults.AFTER_VOTING
    )
    on_benches = models.BooleanField(_("show on smart benches"), default=True)
    codes_required = models.BooleanField(
        _("one-time codes required"),
        default=False,
        help_text=_("Each vote needs a one-time code printed on paper, instead of an account or a browser."),
    )
    ballot_count = models.PositiveIntegerField(_("ballots"), default=0)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="poll_closes_after_opening"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:poll", args=[self.process.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def is_closed(self) -> bool:
        return timezone.now() >= self.closes_at


class PollCode(models.Model):
    """A one-time voting code printed on paper; only a keyed hash of it is stored."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(_("used"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poll code")
        verbose_name_plural = _("poll codes")

    def __str__(self):
        return f"{self.poll} · {self.pk}"


class Question(TranslatableContent):
    translatable_fields = ("text", "help_text")

    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        RANKING = "ranking", _("Ranking")
        TEXT = "text", _("Free text")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    max_choices = models.PositiveSmallIntegerField(
        _("most choices"), null=True, blank=True, help_text=_("For several choices and ranking; empty: no limit.")
    )
    required = models.BooleanField(_("answer required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "ranking", "text"]), name="question_kind_ok"
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=1), name="question_max_choices_positive"
            ),
        ]

    def __str__(self):
        return self.text


class Choice(TranslatableContent):
    translatable_fields = ("text",)

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Ballot(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=64)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices, default=Source.WEB)
    flagged = models.BooleanField(_("flagged for review"), default=False)
    cast_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter_key"], name="ballot_once_per_voter"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="ballot_source_valid"),
        ]

    def __str__(self):
        return f"{self.poll} · {self.pk}"


class Vote(models.Model):
    """One chosen option of a ballot (with its rank for ranking questions); poll and source copied for counting."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="votes")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "choice"], name="vote_choice_once_per_ballot"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="vote_rank_positive"),
        ]
        indexes = [models.Index(fields=["poll", "choice", "source"], name="vote_tally")]

    def __str__(self):
        return f"{self.ballot_id} · {self.choice_id}"


class TextAnswer(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="text_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="text_answers")
    text = models.TextField(max_length=TEXT_ANSWER_MAX)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "question"], name="text_answer_once_per_ballot")]

    def __str__(self):
        return self.text[:60]
