"""Fixtures of the ELoGE tests: a small benchmark built in code (12 principles, two indicators each, one item per
principle in every questionnaire), a platform with the default rules, a cycle and a campaign in the assessment
phase with its team, committee and staff."""

import datetime
from types import SimpleNamespace

import pytest

from civiclink.governance.models import Campaign, Cycle, Phase, Platform, TeamMember
from eloge_data import make_small_benchmark


@pytest.fixture
def small_benchmark(db):
    return make_small_benchmark()


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


@pytest.fixture(autouse=True)
def _english(request):
    """Domain functions speak the active language; these tests read their messages in English (pages requested
    under /bs/ or /sr/ still answer in those languages)."""
    from django.utils import translation

    with translation.override("en"):
        yield
