"""axe-core on the ELoGE pages that `test_governance.py` does not visit: the printable poster, a municipality across
cycles, the one-time codes and the team page."""

import datetime

import pytest

from eloge_data import make_small_benchmark

from .helpers import (
    BROWSER_TEST,
    axe_violations,
    describe_violations,
    skipped_heading_levels,
)

pytestmark = BROWSER_TEST


@pytest.fixture
def eloge(make_user):
    """Mostar's campaign in the assessment phase, its coordinator and an evaluator; a few answers already in."""
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role
    from civiclink.governance import responses
    from civiclink.governance.models import Campaign, Cycle, Phase, Platform, TeamMember
    from civiclink.places.models import Municipality

    benchmark = make_small_benchmark()
    mostar = Municipality.objects.create(name="Mostar", slug="mostar", entity="FBiH")
    platform = Platform.objects.create(
        name="LDA Mostar", accredited_from=datetime.date(2022, 1, 1), accredited_until=datetime.date(2028, 12, 31)
    )
    cycle = Cycle.for_platform(platform, benchmark=benchmark, name="ELoGE 2026", year=2026)
    cycle.save()
    campaign = Campaign.objects.create(cycle=cycle, municipality=mostar, phase=Phase.ASSESSMENT, results_public=True)
    officer = make_user("officer@example.org", first_name="Emir", last_name="Kovačević")
    TeamMember.objects.create(campaign=campaign, user=officer, role=TeamMember.Role.COORDINATOR)
    evaluator = make_user("evaluator@example.org")
    grant_platform_role(evaluator, Role.EVALUATOR)
    cycle.evaluators.add(evaluator)
    items = list(campaign.cycle.benchmark.questionnaires.get(audience="citizens").items.all())
    for value in (2, 4, 5):
        responses.submit(campaign, "citizens", {item.pk: value for item in items}, channel="paper")
    return campaign, officer, evaluator


def problems_on(page, path: str) -> list[str]:
    response = page.goto(path)
    if response.status != 200:
        return [f"status {response.status}"]
    problems = []
    if violations := axe_violations(page):
        problems.append(describe_violations(violations))
    problems += [f"skipped heading level: {skip}" for skip in skipped_heading_levels(page)]
    return problems


def check_pages(page, console, paths: list[str]) -> None:
    found = {path: problems for path in paths if (problems := problems_on(page, path))}
    assert not found, "\n\n".join(f"{path}:\n" + "\n".join(problems) for path, problems in found.items())
    assert not console, console


@pytest.mark.parametrize("language", ["bs", "sr"])
def test_printed_and_trend_pages_meet_wcag_aa(page, eloge, console, language):
    campaign = eloge[0]
    paths = [
        f"/{language}/governance/campaigns/{campaign.pk}/poster/",
        f"/{language}/governance/municipalities/{campaign.municipality.slug}/",
    ]
    check_pages(page, console, paths)


def test_codes_and_team_pages_meet_wcag_aa(page, eloge, log_in_as, console):
    campaign, officer, _evaluator = eloge
    log_in_as(page.context, officer)
    base = f"/bs/governance/campaigns/{campaign.pk}"
    check_pages(page, console, [f"{base}/codes/", f"{base}/team/"])
