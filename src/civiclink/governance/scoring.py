"""Scores of a campaign, by the rule in docs/governance.md, so that anyone can check them.

- An answer on a scale from `min` to `max` counts as ``100 * (answer - min) / (max - min)``; "don't know" and
  skipped items are left out, never counted as zero. Self-assessment levels are normalised the same way on the
  benchmark's maturity scale, using the evaluators' level where they adjusted one.
- A principle's score for one source is the mean of its normalised answers; its combined score is the weighted
  mean of the sources that have a score, the weights re-normalised over those sources.
- The overall score is the mean of the combined principle scores; the label needs all twelve.
- The perception gap of a principle is the self-assessment minus another source.

All counting is done by the database (one grouped query per kind of source); Python only combines the few dozen
aggregates.
"""

import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from civiclink.governance.models import Answer, Campaign, IndicatorAssessment, Principle, Response, Source

SURVEY_SOURCES = (Source.COUNCILLORS, Source.STAFF, Source.CITIZENS)
GAP_SOURCES = (Source.CITIZENS, Source.COUNCILLORS, Source.STAFF)


def normalise(mean: float, low: int, high: int) -> float:
    return 100 * (mean - low) / (high - low)


@dataclass
class SourceScore:
    score: float | None
    count: int


@dataclass
class PrincipleResult:
    principle: Principle
    sources: dict[str, SourceScore]
    combined: float | None
    gaps: dict[str, float | None]

    @property
    def number(self) -> int:
        return self.principle.number


@dataclass
class Rule:
    """A rule of the label, met or not. Worded when shown, so that cached results serve every language."""

    wording: str
    params: dict
    met: bool

    @property
    def description(self) -> str:
        return str(self.wording) % self.params


@dataclass
class Results:
    campaign: Campaign
    principles: list[PrincipleResult]
    overall: float | None
    responses: dict[str, int]
    rules: list[Rule] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return all(rule.met for rule in self.rules)

    @property
    def scored(self) -> list[PrincipleResult]:
        return [result for result in self.principles if result.combined is not None]

    def strongest(self, count: int = 3) -> list[PrincipleResult]:
        return sorted(self.scored, key=lambda result: (-result.combined, result.number))[:count]

    def weakest(self, count: int = 3) -> list[PrincipleResult]:
        return sorted(self.scored, key=lambda result: (result.combined, result.number))[:count]

    def largest_gaps(self, source: str = Source.CITIZENS, count: int = 3) -> list[PrincipleResult]:
        with_gap = [result for result in self.principles if result.gaps.get(source) is not None]
        return sorted(with_gap, key=lambda result: (-abs(result.gaps[source]), result.number))[:count]


def survey_aggregates(campaign_ids: list[int]) -> dict[tuple[int, str, int], tuple[float | None, int]]:
    """{(campaign id, audience, principle id): (mean answer, number of answers)}, "don't know" (null) excluded."""
    rows = (
        Answer.objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id", "audience", "principle_id")
        .annotate(mean=Avg("value"), answers=Count("value"))
        .order_by()
    )
    return {(row["campaign_id"], row["audience"], row["principle_id"]): (row["mean"], row["answers"]) for row in rows}


def self_assessment_aggregates(campaign_ids: list[int]) -> dict[tuple[int, int], tuple[float | None, int]]:
    """{(campaign id, principle id): (mean final level, indicators with a level)}; retired indicators left out."""
    rows = (
        IndicatorAssessment.objects.filter(campaign_id__in=campaign_ids, indicator__retired=False)
        .annotate(final=Coalesce("adjusted_level", "level"))
        .values("campaign_id", "indicator__principle_id")
        .annotate(mean=Avg("final"), levels=Count("final"))
        .order_by()
    )
    return {(row["campaign_id"], row["indicator__principle_id"]): (row["mean"], row["levels"]) for row in rows}


def source_scores(campaign: Campaign, principle_id: int, levels: dict, surveys: dict) -> dict[str, SourceScore]:
    """A principle's score and count per source, from the aggregates above."""
    cycle, benchmark = campaign.cycle, campaign.cycle.benchmark
    mean, count = levels.get((campaign.pk, principle_id), (None, 0))
    sources = {
        Source.SELF: SourceScore(
            None if mean is None else normalise(mean, benchmark.maturity_min, benchmark.maturity_max), count
        )
    }
    for source in SURVEY_SOURCES:
        mean, count = surveys.get((campaign.pk, source.value, principle_id), (None, 0))
        sources[source] = SourceScore(
            None if mean is None else normalise(mean, cycle.scale_min, cycle.scale_max), count
        )
    return sources


def response_counts(campaign: Campaign) -> dict[str, int]:
    rows = Response.objects.filter(campaign=campaign).values("audience").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(SURVEY_SOURCES, 0)
    counts.update({row["audience"]: row["n"] for row in rows})
    return counts


def combine(sources: dict[str, SourceScore], weights: dict[str, int]) -> float | None:
    present = {name: score.score for name, score in sources.items() if score.score is not None and weights[name] > 0}
    total = sum(weights[name] for name in present)
    if not total:
        return None
    return sum(score * weights[name] for name, score in present.items()) / total


def compute(campaign: Campaign) -> Results:
    surveys = survey_aggregates([campaign.pk])
    levels = self_assessment_aggregates([campaign.pk])
    weights = campaign.cycle.weights()
    principles = []
    for principle in campaign.cycle.benchmark.principles.all():
        sources = source_scores(campaign, principle.pk, levels, surveys)
        own = sources[Source.SELF].score
        gaps = {
            source: None if own is None or sources[source].score is None else own - sources[source].score
            for source in GAP_SOURCES
        }
        principles.append(PrincipleResult(principle, sources, combine(sources, weights), gaps))
    scored = [result.combined for result in principles if result.combined is not None]
    results = Results(
        campaign=campaign,
        principles=principles,
        overall=sum(scored) / len(scored) if scored else None,
        responses=response_counts(campaign),
    )
    results.rules = eligibility(results)
    return results


def eligibility(results: Results) -> list[Rule]:
    """The platform's rules for the label, each stated as met or not."""
    cycle = results.campaign.cycle
    below = [
        result.number
        for result in results.principles
        if result.combined is not None and result.combined < cycle.min_principle_score
    ]
    unscored = [result.number for result in results.principles if result.combined is None]
    citizens = results.responses[Source.CITIZENS]
    return [
        Rule(_("The self-assessment is submitted."), {}, results.campaign.self_assessment_submitted_at is not None),
        Rule(
            _("Every principle has a score (missing: %(list)s).") if unscored else _("Every principle has a score."),
            {"list": ", ".join(map(str, unscored))},
            not unscored,
        ),
        Rule(
            _("Every principle scores at least %(minimum)s (below: %(list)s).")
            if below
            else _("Every principle scores at least %(minimum)s."),
            {"minimum": cycle.min_principle_score, "list": ", ".join(map(str, below))},
            not below,
        ),
        Rule(
            _("The overall score is at least %(threshold)s."),
            {"threshold": cycle.overall_threshold},
            results.overall is not None and results.overall >= cycle.overall_threshold,
        ),
        Rule(
            _("At least %(minimum)s citizens answered (%(count)s did)."),
            {"minimum": cycle.min_citizen_responses, "count": citizens},
            citizens >= cycle.min_citizen_responses,
        ),
    ]


def _cache_key(campaign_id: int) -> str:
    return f"governance:results:{campaign_id}"


def results_for(campaign: Campaign) -> Results:
    """Cached results; `forget` drops them when answers or levels change."""
    key = _cache_key(campaign.pk)
    results = cache.get(key)
    if results is None:
        results = compute(campaign)
        cache.set(key, results, timeout=3600)
    results.campaign = campaign
    return results


def forget(campaign_id: int) -> None:
    cache.delete_many([_cache_key(campaign_id), _version_key(campaign_id)])


def _version_key(campaign_id: int) -> str:
    return f"governance:results-version:{campaign_id}"


def version(campaign_id: int) -> str:
    """Changes whenever `forget` is called: pages that show the results are cached under it."""
    return cache.get_or_set(_version_key(campaign_id), lambda: uuid.uuid4().hex, timeout=None)
