"""Fixtures of the ELoGE tests: a small benchmark built in code (12 principles, two indicators each, one item per
principle in every questionnaire), a platform with the default rules, a cycle and a campaign in the assessment
phase with its team, committee and staff."""

import datetime
from types import SimpleNamespace

import pytest

from civiclink.governance.models import (
    Audience,
    Benchmark,
    Campaign,
    Cycle,
    Indicator,
    Item,
    Phase,
    Platform,
    Principle,
    Questionnaire,
    TeamMember,
)


@pytest.fixture
def small_benchmark(db):
    benchmark = Benchmark.objects.create(
        key="test-2023",
        edition=2023,
        title="Test benchmark",
        maturity_min=0,
        maturity_max=4,
        maturity_levels=["Not in place", "Initial", "Developing", "Established", "Advanced"],
        translations={"bs": {"title": "Testni benchmark"}},
    )
    questionnaires = {
        audience: Questionnaire.objects.create(benchmark=benchmark, audience=audience, title=f"{audience} survey")
        for audience in Audience.values
    }
    for number in range(1, 13):
        principle = Principle.objects.create(
            benchmark=benchmark,
            number=number,
            name=f"Principle {number}",
            translations={"bs": {"name": f"Princip {number}"}},
        )
        for position in (1, 2):
            Indicator.objects.create(
                benchmark=benchmark,
                principle=principle,
                code=f"{number}.{position}",
                position=position,
                statement=f"Indicator {number}.{position} holds.",
                guidance="Attach the decision.",
                levels=[f"Level {level}" for level in range(5)],
            )
        for audience, questionnaire in questionnaires.items():
            Item.objects.create(
                questionnaire=questionnaire,
                principle=principle,
                code=f"{audience[:3].upper()}-{number:02}",
                position=number,
                text=f"{audience} statement about principle {number}.",
            )
    return benchmark


@pytest.fixture
def eloge(small_benchmark, world, make_user):
    """Mostar's campaign in the assessment phase, with who is who around it."""
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role

    platform = Platform.objects.create(
        name="LDA Mostar", accredited_from=datetime.date(2022, 1, 1), accredited_until=datetime.date(2025, 12, 31)
    )
    cycle = Cycle.for_platform(platform, benchmark=small_benchmark, name="ELoGE 2024", year=2024)
    cycle.save()
    campaign = Campaign.objects.create(cycle=cycle, municipality=world.home, phase=Phase.ASSESSMENT)
    officer = make_user("eloge-officer@example.org")
    mentor = make_user("eloge-mentor@example.org")
    TeamMember.objects.create(campaign=campaign, user=officer, role=TeamMember.Role.COORDINATOR)
    TeamMember.objects.create(campaign=campaign, user=mentor, role=TeamMember.Role.MENTOR)
    evaluator = make_user("eloge-evaluator@example.org")
    grant_platform_role(evaluator, Role.EVALUATOR)
    cycle.evaluators.add(evaluator)
    platform_staff = make_user("eloge-platform@example.org")
    platform.team.add(platform_staff)
    staff = make_user("eloge-staff@example.org")
    grant_platform_role(staff, Role.STAFF)
    outsider = make_user("eloge-outsider@example.org")
    return SimpleNamespace(
        benchmark=small_benchmark,
        platform=platform,
        cycle=cycle,
        campaign=campaign,
        officer=officer,
        mentor=mentor,
        evaluator=evaluator,
        platform_staff=platform_staff,
        staff=staff,
        outsider=outsider,
    )
