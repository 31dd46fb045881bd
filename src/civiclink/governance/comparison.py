"""Published results side by side: the municipalities of one cycle, and one municipality across its cycles.

Only campaigns whose municipality consented (`results_public`) take part, whoever is looking. Scores of many
campaigns come from one grouped query per kind of source, combined by the rule in `scoring`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from civiclink.governance.catalogue import to_edition
from civiclink.governance.models import Campaign, Cycle, Principle
from civiclink.governance.scoring import combine, self_assessment_aggregates, source_scores, survey_aggregates
from civiclink.places.models import Municipality


@dataclass
class CampaignScores:
    """A campaign's combined score per principle number, and the mean of them."""

    campaign: Campaign
    principles: dict[int, float | None]

    @property
    def overall(self) -> float | None:
        scored = [score for score in self.principles.values() if score is not None]
        return sum(scored) / len(scored) if scored else None


def published(campaigns):
    return campaigns.filter(results_public=True).select_related("cycle__benchmark", "municipality")


def campaign_scores(campaigns: Iterable[Campaign]) -> list[CampaignScores]:
    """Combined principle scores of all `campaigns` (with their cycle and benchmark loaded) in three queries."""
    campaigns = list(campaigns)
    ids = [campaign.pk for campaign in campaigns]
    surveys = survey_aggregates(ids)
    levels = self_assessment_aggregates(ids)
    principles: dict[int, list[tuple[int, int]]] = {}
    for pk, benchmark_id, number in Principle.objects.filter(
        benchmark_id__in={campaign.cycle.benchmark_id for campaign in campaigns}
    ).values_list("pk", "benchmark_id", "number"):
        principles.setdefault(benchmark_id, []).append((pk, number))

    found = []
    for campaign in campaigns:
        cycle, benchmark = campaign.cycle, campaign.cycle.benchmark
        combined = {}
        for pk, number in sorted(principles.get(benchmark.pk, []), key=lambda principle: principle[1]):
            sources = source_scores(campaign, pk, levels, surveys)
            combined[number] = combine(sources, cycle.weights())
        found.append(CampaignScores(campaign, combined))
    return found


def cycle_scores(cycle: Cycle) -> list[CampaignScores]:
    """The published campaigns of a cycle with their scores, by municipality name."""
    return campaign_scores(published(cycle.campaigns.all()).order_by("municipality__name"))


def sort_key(sort: str):
    """How to order `CampaignScores` for the query parameter `sort`: "municipality", "overall" or "p<number>";
    unscored municipalities go last whichever the direction."""
    if sort == "overall":
        return lambda row: (row.overall is None, row.overall or 0)
    if sort.startswith("p") and sort[1:].isdigit():
        number = int(sort[1:])
        return lambda row: (row.principles.get(number) is None, row.principles.get(number) or 0)
    return lambda row: (False, row.campaign.municipality.name.casefold())


def sorted_scores(rows: list[CampaignScores], sort: str, descending: bool) -> list[CampaignScores]:
    key = sort_key(sort)
    if not descending:
        return sorted(rows, key=key)
    # reverse the value, not the "unscored last" flag
    scored = sorted((row for row in rows if not key(row)[0]), key=key, reverse=True)
    return scored + [row for row in rows if key(row)[0]]


@dataclass
class Trend:
    """One municipality's published campaigns in cycle order, with principles numbered as in `principles`, the
    benchmark of the newest edition among them."""

    municipality: Municipality
    scores: list[CampaignScores]
    principles: list[Principle]
    edition: int | None

    def mapped(self, row: CampaignScores) -> dict[int, float | None]:
        """The campaign's principle scores renumbered into the newest edition."""
        edition = row.campaign.cycle.benchmark.edition
        return {to_edition(number, edition, self.edition): score for number, score in row.principles.items()}

    def table(self) -> list[tuple[Principle, list[float | None]]]:
        mapped = [self.mapped(row) for row in self.scores]
        return [(principle, [scores.get(principle.number) for scores in mapped]) for principle in self.principles]


def trend(municipality: Municipality) -> Trend:
    campaigns = published(municipality.governance_campaigns.all()).order_by("cycle__year", "cycle__name")
    scores = campaign_scores(campaigns)
    if not scores:
        return Trend(municipality, [], [], None)
    # the newest edition; among campaigns of that edition, the latest one's benchmark (a platform's copy, say)
    newest = max(reversed([row.campaign.cycle.benchmark for row in scores]), key=lambda benchmark: benchmark.edition)
    return Trend(municipality, scores, list(newest.principles.order_by("number")), newest.edition)
