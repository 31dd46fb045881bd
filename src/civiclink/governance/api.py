"""ELoGE open data: the benchmarks with their wording, the campaigns, and the results municipalities published.

Texts come in the language asked for with `?lang=`, else the request's (Accept-Language), else Bosnian.
"""

from enum import StrEnum

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Router, Schema

from civiclink.governance import exports, scoring
from civiclink.governance.models import Benchmark, Campaign, Indicator, Item, Outcome

router = Router(tags=["governance"])

Language = StrEnum("Language", {code.replace("-", "_"): code for code, _name in settings.LANGUAGES})


class BenchmarkOut(Schema):
    key: str
    edition: int
    title: str
    description: str
    based_on: str | None
    platform: str | None


class MaturityOut(Schema):
    min: int
    max: int
    levels: list[str]


class OutcomeOut(Schema):
    code: str
    statement: str


class IndicatorOut(Schema):
    code: str
    outcome: str | None
    statement: str
    guidance: str
    levels: list[str]


class PrincipleOut(Schema):
    number: int
    name: str
    description: str
    outcomes: list[OutcomeOut]
    indicators: list[IndicatorOut]


class ItemOut(Schema):
    code: str
    principle: int
    text: str


class QuestionnaireOut(Schema):
    audience: str
    title: str
    intro: str
    items: list[ItemOut]


class BenchmarkDetailOut(BenchmarkOut):
    language: str
    maturity: MaturityOut
    principles: list[PrincipleOut]
    questionnaires: list[QuestionnaireOut]


class CampaignOut(Schema):
    id: int
    municipality: str
    cycle: str
    year: int
    phase: str
    decision: str
    results_public: bool


class SourceScoreOut(Schema):
    score: float | None
    count: int


class PrincipleResultOut(Schema):
    number: int
    name: str
    sources: dict[str, SourceScoreOut]
    combined: float | None
    gaps: dict[str, float | None]


class RuleOut(Schema):
    rule: str
    met: bool


class ResultsOut(Schema):
    campaign: int
    municipality: str
    cycle: str
    year: int
    benchmark: str
    overall: float | None
    eligible: bool
    responses: dict[str, int]
    principles: list[PrincipleResultOut]
    rules: list[RuleOut]


def _language(lang: Language | None) -> str:
    return lang.value if lang is not None else translation.get_language() or settings.LANGUAGE_CODE


def _benchmark(benchmark: Benchmark) -> dict:
    return {
        "key": benchmark.key,
        "edition": benchmark.edition,
        "title": benchmark.localised("title"),
        "description": benchmark.localised("description"),
        "based_on": benchmark.based_on.key if benchmark.based_on else None,
        "platform": benchmark.platform.name if benchmark.platform else None,
    }


@router.get("/governance/benchmarks", response=list[BenchmarkOut], summary="ELoGE benchmarks and adapted copies")
def list_benchmarks(request, lang: Language | None = None):
    with translation.override(_language(lang)):
        return [_benchmark(benchmark) for benchmark in Benchmark.objects.select_related("based_on", "platform")]


@router.get(
    "/governance/benchmarks/{key}",
    response=BenchmarkDetailOut,
    summary="One benchmark: principles, outcomes, indicators and questionnaire items",
)
def get_benchmark(request, key: str, lang: Language | None = None):
    benchmark = get_object_or_404(Benchmark.objects.select_related("based_on", "platform"), key=key)
    language = _language(lang)
    principles = benchmark.principles.order_by("number").prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("position")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.filter(retired=False).select_related("outcome").order_by("position", "code"),
        ),
    )
    questionnaires = benchmark.questionnaires.order_by("audience").prefetch_related(
        Prefetch("items", queryset=Item.objects.filter(retired=False).select_related("principle").order_by("position"))
    )
    with translation.override(language):
        return {
            **_benchmark(benchmark),
            "language": language,
            "maturity": {
                "min": benchmark.maturity_min,
                "max": benchmark.maturity_max,
                "levels": benchmark.localised("maturity_levels", language),
            },
            "principles": [
                {
                    "number": principle.number,
                    "name": principle.localised("name"),
                    "description": principle.localised("description"),
                    "outcomes": [
                        {"code": outcome.code, "statement": outcome.localised("statement")}
                        for outcome in principle.outcomes.all()
                    ],
                    "indicators": [
                        {
                            "code": indicator.code,
                            "outcome": indicator.outcome.code if indicator.outcome else None,
                            "statement": indicator.localised("statement"),
                            "guidance": indicator.localised("guidance"),
                            "levels": indicator.localised("levels", language),
                        }
                        for indicator in principle.indicators.all()
                    ],
                }
                for principle in principles
            ],
            "questionnaires": [
                {
                    "audience": questionnaire.audience,
                    "title": questionnaire.localised("title"),
                    "intro": questionnaire.localised("intro"),
                    "items": [
                        {"code": item.code, "principle": item.principle.number, "text": item.localised("text")}
                        for item in questionnaire.items.all()
                    ],
                }
                for questionnaire in questionnaires
            ],
        }


@router.get("/governance/campaigns", response=list[CampaignOut], summary="Campaigns of all cycles, newest first")
def list_campaigns(request, municipality: str = "", year: int | None = None):
    campaigns = Campaign.objects.select_related("municipality", "cycle").order_by(
        "-cycle__year", "cycle__name", "municipality__name"
    )
    if municipality:
        campaigns = campaigns.filter(municipality__slug=municipality)
    if year is not None:
        campaigns = campaigns.filter(cycle__year=year)
    return [
        {
            "id": campaign.pk,
            "municipality": campaign.municipality.slug,
            "cycle": campaign.cycle.name,
            "year": campaign.cycle.year,
            "phase": campaign.phase,
            "decision": campaign.decision,
            "results_public": campaign.results_public,
        }
        for campaign in campaigns
    ]


@router.get(
    "/governance/campaigns/{id}/results",
    response=ResultsOut,
    summary="Published results: per principle and source the score (0-100) and number of answers, combined "
    "scores, perception gaps, overall score and the label's rules",
)
def get_results(request, id: int, lang: Language | None = None):
    campaign = get_object_or_404(Campaign.objects.select_related("cycle__benchmark", "municipality"), pk=id)
    if not campaign.results_public:
        raise Http404("These results are not published.")
    with translation.override(_language(lang)):
        return exports.results_data(scoring.results_for(campaign))
