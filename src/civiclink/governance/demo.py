"""Demo data: the programme's ELoGE needs assessment in all 12 municipalities (2008 benchmark, committee decision
"recognition", action plans being carried out) and one 2023-based campaign in progress in Mostar."""

import datetime
import random
import zlib

from django.db import transaction
from django.utils import timezone

from civiclink.governance import catalogue
from civiclink.governance.models import (
    Answer,
    Audience,
    Benchmark,
    Campaign,
    Channel,
    Cycle,
    Decision,
    IndicatorAssessment,
    Item,
    Measure,
    MeasureUpdate,
    Phase,
    Platform,
    Response,
    TeamMember,
)
from civiclink.places.models import Municipality, Organisation

PLATFORM_NAME = "LDA Mostar – ELoGE stakeholders' platform"
DECIDED = datetime.datetime(2023, 12, 14, 12, 0, tzinfo=datetime.UTC)


def synthetic_responses(
    campaign: Campaign,
    audience: str,
    count: int,
    means: dict[int, float],
    rng: random.Random,
    *,
    channel_weights=((Channel.WEB, 6), (Channel.PAPER, 3), (Channel.BENCH, 1)),
    submitted_on: datetime.date | None = None,
    batch_size: int = 2000,
) -> int:
    """`count` plausible responses: per principle number a mean answer, spread by a person's general mood and
    noise; about 6 % "don't know" and 3 % skipped. Written in bulk; returns the number of answers."""
    cycle = campaign.cycle
    items = list(
        Item.objects.filter(
            questionnaire__benchmark=cycle.benchmark_id, questionnaire__audience=audience, retired=False
        ).values_list("pk", "principle_id", "principle__number")
    )
    channels, weights = zip(*channel_weights, strict=True)
    day = submitted_on or timezone.localdate()
    written = 0
    for start in range(0, count, batch_size):
        size = min(batch_size, count - start)
        responses = Response.objects.bulk_create(
            Response(
                campaign=campaign,
                audience=audience,
                channel=rng.choices(channels, weights)[0] if audience == Audience.CITIZENS else Channel.WEB,
                submitted_on=day - datetime.timedelta(days=rng.randrange(30)),
            )
            for _ in range(size)
        )
        answers = []
        for response in responses:
            mood = rng.gauss(0, 0.6)
            for item_pk, principle_pk, number in items:
                roll = rng.random()
                if roll < 0.03:
                    continue
                value = None
                if roll >= 0.09:
                    raw = round(means.get(number, 3.0) + mood + rng.gauss(0, 0.8))
                    value = min(cycle.scale_max, max(cycle.scale_min, raw))
                answers.append(
                    Answer(
                        response=response,
                        item_id=item_pk,
                        campaign=campaign,
                        audience=audience,
                        principle_id=principle_pk,
                        value=value,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)
        written += len(answers)
    return written


def _profile(rng: random.Random, spread: float = 0.7) -> dict[int, float]:
    """A municipality's strengths and weaknesses: a mean answer per principle."""
    base = rng.uniform(2.6, 3.4)
    return {number: min(4.6, max(1.4, base + rng.gauss(0, spread))) for number in range(1, 13)}


def _self_assessment(campaign: Campaign, profile: dict[int, float], rng: random.Random, share: float = 1.0):
    """Levels that follow the municipality's profile but see it a little more kindly than its citizens do."""
    benchmark = campaign.cycle.benchmark
    rows = []
    for indicator in benchmark.indicators.filter(retired=False).select_related("principle"):
        if rng.random() > share:
            continue
        kindness = rng.uniform(0.2, 0.9)
        level = round((profile[indicator.principle.number] - 1 + kindness) / 4 * benchmark.maturity_max)
        rows.append(
            IndicatorAssessment(
                campaign=campaign,
                indicator=indicator,
                level=min(benchmark.maturity_max, max(benchmark.maturity_min, level)),
                justification="Evidence in the municipal archive and on the website; see attached documents.",
                revision=1,
            )
        )
    IndicatorAssessment.objects.bulk_create(rows)


MEASURES = [
    ("Publish council materials seven days before each session", "done", 100, 300),
    ("Plain-language citizens' budget every year", "in_progress", 60, 200),
    ("Public call and published criteria for grants to associations", "in_progress", 40, -30),
    ("Annual meeting with every local community council", "planned", 0, -120),
]


def _action_plan(campaign: Campaign, results_principles, officer, today: datetime.date):
    for (title, status, progress, days), principle in zip(MEASURES, results_principles, strict=False):
        measure = Measure.objects.create(
            campaign=campaign,
            principle=principle,
            reason=Measure.Reason.BELOW_MINIMUM,
            title=title,
            responsible="Head of the mayor's office",
            deadline=today + datetime.timedelta(days=days) if days < 0 else datetime.date(2024, 6, 30),
            status=status,
            progress=progress,
            success_indicator="Published on the municipal website; checked by the LDA every quarter.",
            training_topic="Participatory budgeting (LAP module 2)" if "budget" in title else "",
        )
        if progress:
            MeasureUpdate.objects.create(
                measure=measure, author=officer, progress=progress, status=status, text="Progress reported by the team."
            )


@transaction.atomic
def load() -> str:
    if Platform.objects.filter(name=PLATFORM_NAME).exists():
        return "governance: demo campaigns already present"
    catalogue.load_all()
    from django.contrib.auth import get_user_model

    users = {
        user.email.split("@")[0]: user
        for user in get_user_model().objects.filter(email__endswith="@demo.civiclink.local")
    }
    platform = Platform.objects.create(
        name=PLATFORM_NAME,
        organisation=Organisation.objects.filter(short_name__icontains="LDA").first(),
        accredited_from=datetime.date(2022, 1, 1),
        accredited_until=datetime.date(2028, 12, 31),  # accredited 2022–2025, then renewed
        min_citizen_responses=150,
    )
    if "staff" in users:
        platform.team.add(users["staff"])
    needs_assessment = Cycle.for_platform(
        platform,
        benchmark=Benchmark.objects.get(key="eloge-2008"),
        name="ELoGE needs assessment 2021–2023",
        year=2023,
        assessment_closes=datetime.date(2023, 10, 31),
    )
    needs_assessment.save()
    current = Cycle.for_platform(
        platform,
        benchmark=Benchmark.objects.get(key="eloge-2023"),
        name="ELoGE 2026",
        year=2026,
        assessment_closes=datetime.date(2027, 1, 31),
    )
    current.save()
    if "evaluator" in users:
        needs_assessment.evaluators.add(users["evaluator"])
        current.evaluators.add(users["evaluator"])
    today = timezone.localdate()
    officer, mentor = users.get("officer"), users.get("trainer")
    from civiclink.governance import scoring

    for municipality in Municipality.objects.order_by("name"):
        rng = random.Random(zlib.crc32(municipality.slug.encode()))
        profile = _profile(rng)
        campaign = Campaign.objects.create(
            cycle=needs_assessment,
            municipality=municipality,
            phase=Phase.MONITORING,
            results_public=True,
            self_assessment_submitted_at=DECIDED - datetime.timedelta(days=60),
            decision=Decision.RECOGNITION,
            decided_at=DECIDED,
            decided_by=users.get("evaluator"),
            decision_minutes="The committee verified the self-assessment and its evidence and found it complete.",
        )
        if officer and municipality.slug == "mostar":
            TeamMember.objects.create(campaign=campaign, user=officer, role=TeamMember.Role.COORDINATOR)
        if mentor:
            TeamMember.objects.create(campaign=campaign, user=mentor, role=TeamMember.Role.MENTOR)
        _self_assessment(campaign, profile, rng)
        closes = needs_assessment.assessment_closes
        population = municipality.population or 10000
        citizens = max(160, min(450, population // 250))
        synthetic_responses(campaign, Audience.CITIZENS, citizens, profile, rng, submitted_on=closes)
        councillors = {number: mean + 0.4 for number, mean in profile.items()}
        synthetic_responses(campaign, Audience.COUNCILLORS, rng.randint(15, 31), councillors, rng, submitted_on=closes)
        staff = {number: mean + 0.2 for number, mean in profile.items()}
        synthetic_responses(campaign, Audience.STAFF, rng.randint(20, 45), staff, rng, submitted_on=closes)
        weakest = [result.principle for result in scoring.compute(campaign).weakest(len(MEASURES))]
        _action_plan(campaign, weakest, officer, today)

    mostar = Municipality.objects.get(slug="mostar")
    campaign = Campaign.objects.create(cycle=current, municipality=mostar, phase=Phase.ASSESSMENT)
    if officer:
        TeamMember.objects.create(campaign=campaign, user=officer, role=TeamMember.Role.COORDINATOR)
    if mentor:
        TeamMember.objects.create(campaign=campaign, user=mentor, role=TeamMember.Role.MENTOR)
    rng = random.Random(2026)
    profile = _profile(rng)
    _self_assessment(campaign, profile, rng, share=0.4)
    synthetic_responses(campaign, Audience.CITIZENS, 85, profile, rng)
    return f"governance: 12 campaigns of {needs_assessment.name}, and {campaign}"
