"""The municipality's self-assessment: a maturity level, a justification and evidence per indicator, saved by
several team members at once without one silently overwriting another, then submitted once complete.

Every save carries the revision the form was loaded with and raises it by one in a single conditional UPDATE: a
save based on an older revision changes nothing and reports the version it would have overwritten instead.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civiclink.governance import scoring
from civiclink.governance.models import Benchmark, Campaign, Evidence, Indicator, IndicatorAssessment, Principle


class AssessmentError(ValueError):
    """A change the self-assessment refuses; the message says why, in the visitor's language."""


class StaleRevision(Exception):
    """Someone saved the indicator after the form was loaded; `current` is their version, left untouched."""

    def __init__(self, current: IndicatorAssessment):
        super().__init__(f"indicator {current.indicator_id} is at revision {current.revision}")
        self.current = current


# --- Wording -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    description: str = ""


def levels(benchmark: Benchmark, indicator: Indicator | None = None) -> list[Level]:
    """The benchmark's maturity levels with their names and, for an indicator, what each level means there."""
    names = benchmark.localised("maturity_levels")
    descriptions = indicator.localised("levels") if indicator is not None else []
    result = []
    for index, value in enumerate(benchmark.maturity_range()):
        name = names[index] if index < len(names) else _("Level %(level)s") % {"level": value}
        result.append(Level(value, name, descriptions[index] if index < len(descriptions) else ""))
    return result


def level_name(benchmark: Benchmark, value: int | None) -> str:
    if value is None:
        return ""
    names = benchmark.localised("maturity_levels")
    index = value - benchmark.maturity_min
    return names[index] if 0 <= index < len(names) else _("Level %(level)s") % {"level": value}


def check_level(benchmark: Benchmark, level: int | None) -> None:
    """A level, when given, lies on the benchmark's maturity scale."""
    if level is not None and level not in benchmark.maturity_range():
        raise AssessmentError(
            _("Choose a level from %(lowest)s to %(highest)s.")
            % {"lowest": benchmark.maturity_min, "highest": benchmark.maturity_max}
        )


# --- Reading -------------------------------------------------------------------------------------------------


def active_indicators(campaign: Campaign):
    return Indicator.objects.filter(benchmark_id=campaign.cycle.benchmark_id, retired=False)


@dataclass
class PrincipleProgress:
    principle: Principle
    total: int
    levelled: int
    complete: int

    @property
    def is_complete(self) -> bool:
        return self.complete == self.total


@dataclass
class Progress:
    principles: list[PrincipleProgress]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.principles)

    @property
    def levelled(self) -> int:
        return sum(row.levelled for row in self.principles)

    @property
    def missing(self) -> int:
        """Active indicators still without a level or without a justification."""
        return sum(row.total - row.complete for row in self.principles)

    @property
    def is_complete(self) -> bool:
        return self.missing == 0


def progress(campaign: Campaign) -> Progress:
    """Per principle: active indicators, how many have a level, how many also a justification (two queries)."""
    principles = Principle.objects.filter(benchmark_id=campaign.cycle.benchmark_id).annotate(
        total=Count("indicators", filter=Q(indicators__retired=False))
    )
    rows = (
        IndicatorAssessment.objects.filter(campaign=campaign, indicator__retired=False, level__isnull=False)
        .values("indicator__principle_id")
        .annotate(levelled=Count("pk"), complete=Count("pk", filter=~Q(justification="")))
        .order_by()
    )
    counts = {row["indicator__principle_id"]: (row["levelled"], row["complete"]) for row in rows}
    return Progress(
        [PrincipleProgress(principle, principle.total, *counts.get(principle.pk, (0, 0))) for principle in principles]
    )


@dataclass
class Entry:
    """One indicator on a principle's page, with the team's assessment of it (None before the first save)."""

    indicator: Indicator
    assessment: IndicatorAssessment | None

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.assessment.evidence.all()) if self.assessment else []


@dataclass
class Group:
    """Indicators under one outcome (2023 benchmark), or all of a principle's indicators (outcome None)."""

    outcome: object
    entries: list[Entry]


def _entries(campaign: Campaign, indicators) -> list[Entry]:
    """The indicators with the campaign's assessments and their evidence: two queries beside the indicators'."""
    assessments = (
        IndicatorAssessment.objects.filter(campaign=campaign, indicator__in=indicators)
        .select_related("updated_by", "adjusted_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("added_at")))
    )
    by_indicator = {row.indicator_id: row for row in assessments}
    return [Entry(indicator, by_indicator.get(indicator.pk)) for indicator in indicators]


def principle_sheet(campaign: Campaign, principle: Principle) -> list[Group]:
    """The principle's active indicators with their assessments and evidence, grouped by outcome (three queries)."""
    indicators = (
        active_indicators(campaign)
        .filter(principle=principle)
        .select_related("outcome")
        .order_by("outcome__position", "position", "code")
    )
    groups: list[Group] = []
    for entry in _entries(campaign, indicators):
        if not groups or groups[-1].outcome != entry.indicator.outcome:
            groups.append(Group(entry.indicator.outcome, []))
        groups[-1].entries.append(entry)
    return groups


def campaign_sheet(campaign: Campaign) -> list[tuple[Principle, list[Entry]]]:
    """Every active indicator of the campaign with its assessment and evidence, by principle (three queries)."""
    indicators = active_indicators(campaign).select_related("principle", "outcome")
    indicators = indicators.order_by("principle__number", "outcome__position", "position", "code")
    sheet: list[tuple[Principle, list[Entry]]] = []
    for entry in _entries(campaign, indicators):
        if not sheet or sheet[-1][0] != entry.indicator.principle:
            sheet.append((entry.indicator.principle, []))
        sheet[-1][1].append(entry)
    return sheet


# --- Changing ------------------------------------------------------------------------------------------------


def _current(campaign: Campaign, indicator: Indicator) -> IndicatorAssessment | None:
    return (
        IndicatorAssessment.objects.select_related("updated_by").filter(campaign=campaign, indicator=indicator).first()
    )


def save_indicator(
    campaign: Campaign, indicator: Indicator, *, level: int | None, justification: str, revision: int, user
) -> IndicatorAssessment:
    """Save the team's level and justification if nobody saved since `revision`; raise `StaleRevision` otherwise."""
    check_level(campaign.cycle.benchmark, level)
    fields = {"level": level, "justification": justification, "updated_by": user, "updated_at": timezone.now()}
    updated = IndicatorAssessment.objects.filter(campaign=campaign, indicator=indicator, revision=revision).update(
        revision=revision + 1, **fields
    )
    if not updated:
        current = _current(campaign, indicator)
        if current is not None:
            raise StaleRevision(current)
        try:
            with transaction.atomic():
                IndicatorAssessment.objects.create(campaign=campaign, indicator=indicator, revision=1, **fields)
        except IntegrityError:  # another first save won the race
            raise StaleRevision(_current(campaign, indicator)) from None
    scoring.forget(campaign.pk)
    return _current(campaign, indicator)


def add_evidence(campaign: Campaign, indicator: Indicator, *, title: str, user, file=None, url: str = "") -> Evidence:
    """A document or link for an indicator; evidence may come before the level, so the assessment may be new."""
    if not file and not url:
        raise AssessmentError(_("Add a file or a link."))
    assessment, _created = IndicatorAssessment.objects.get_or_create(campaign=campaign, indicator=indicator)
    return Evidence.objects.create(assessment=assessment, title=title, file=file or "", url=url, added_by=user)


def delete_evidence(evidence: Evidence) -> None:
    """Remove the row, and its file once the deletion is committed (a rollback keeps both)."""
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def submit(campaign: Campaign, user) -> Campaign:
    """Hand the complete self-assessment to the committee; from then on it is read-only."""
    if campaign.self_assessment_submitted_at is not None:
        raise AssessmentError(_("The self-assessment has already been submitted."))
    missing = progress(campaign).missing
    if missing:
        raise AssessmentError(
            ngettext(
                "%(count)s indicator still needs a level and a justification.",
                "%(count)s indicators still need a level and a justification.",
                missing,
            )
            % {"count": missing}
        )
    now = timezone.now()
    updated = Campaign.objects.filter(pk=campaign.pk, self_assessment_submitted_at__isnull=True).update(
        self_assessment_submitted_at=now, self_assessment_submitted_by=user
    )
    if not updated:
        raise AssessmentError(_("The self-assessment has already been submitted."))
    campaign.self_assessment_submitted_at, campaign.self_assessment_submitted_by = now, user
    scoring.forget(campaign.pk)  # "the self-assessment is submitted" is one of the label's rules
    return campaign
