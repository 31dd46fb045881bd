"""The ELoGE benchmark in a real browser: a citizen answering on a phone, an officer filling in the self-assessment
by keyboard (with and without JavaScript), and axe-core on the pages people use."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from eloge_data import make_small_benchmark

from .helpers import (
    BROWSER_TEST,
    assert_visible_focus,
    axe_violations,
    describe_violations,
    has_horizontal_overflow,
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


def test_a_citizen_answers_on_a_phone(new_context, eloge, console):
    from civiclink.governance.models import Answer, Response

    campaign, _officer, _evaluator = eloge
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"/bs/governance/campaigns/{campaign.pk}/survey/")
    assert not has_horizontal_overflow(phone)
    questions = phone.locator("fieldset.question")
    expect(questions).to_have_count(12)
    for index in range(12):
        choices = questions.nth(index).locator("label.choice")
        if index == 5:
            continue  # skipped
        choice = choices.last if index in (2, 7) else choices.nth(index % 5)  # the last is "don't know"
        assert choice.bounding_box()["height"] >= 44
        choice.tap()
    phone.locator("button.survey-submit").tap()
    expect(phone).to_have_url(re.compile(r"/thanks/"))
    assert not has_horizontal_overflow(phone)

    web = Response.objects.get(campaign=campaign, channel="web")
    answers = dict(Answer.objects.filter(response=web).values_list("item__position", "value"))
    assert len(answers) == 11 and 6 not in answers  # question 6 was skipped
    assert answers[3] is None and answers[8] is None  # "don't know"
    assert answers[1] == 1 and answers[5] == 5  # strongly disagree, strongly agree

    phone.goto(f"/bs/governance/campaigns/{campaign.pk}/survey/")
    expect(phone.locator("fieldset.question")).to_have_count(0)  # this browser has answered
    assert Response.objects.filter(campaign=campaign, channel="web").count() == 1
    assert not console, console


def test_an_officer_fills_in_the_self_assessment_by_keyboard(page, eloge, log_in_as, console):
    from civiclink.governance.models import IndicatorAssessment

    campaign, officer, _evaluator = eloge
    log_in_as(page.context, officer)
    page.goto(f"/bs/governance/campaigns/{campaign.pk}/self-assessment/3/")
    forms = page.locator("form.indicator-form")
    expect(forms).to_have_count(2)
    for index, (level, text) in enumerate([(2, "Odluke se objavljuju."), (3, "Pravilnik je usvojen.")]):
        form = forms.nth(index)
        form.locator("input[type=radio]").first.focus()  # reached by Tab from the page's start in real use
        assert_visible_focus(page)
        for _ in range(level):
            page.keyboard.press("ArrowDown")  # arrow keys move the choice within the radio group
        page.keyboard.press("Tab")
        expect(form.locator("textarea")).to_be_focused()
        page.keyboard.type(text)
        page.keyboard.press("Tab")
        expect(form.locator("button[type=submit]")).to_be_focused()
        page.keyboard.press("Enter")
        expect(form.locator(".save-status")).to_contain_text(re.compile(r"\d{1,2}:\d{2}"))
    saved = {
        assessment.indicator.code: (assessment.level, assessment.justification)
        for assessment in IndicatorAssessment.objects.filter(campaign=campaign).select_related("indicator")
    }
    assert saved == {"3.1": (2, "Odluke se objavljuju."), "3.2": (3, "Pravilnik je usvojen.")}
    page.goto(f"/bs/governance/campaigns/{campaign.pk}/self-assessment/")
    expect(page.locator("body")).to_contain_text("2")
    assert not console, console


def test_the_self_assessment_works_without_javascript(new_context, eloge, log_in_as, console):
    from civiclink.governance.models import IndicatorAssessment

    campaign, officer, _evaluator = eloge
    context = new_context(java_script_enabled=False)
    log_in_as(context, officer)
    page = context.new_page()
    page.goto(f"/bs/governance/campaigns/{campaign.pk}/self-assessment/1/")
    form = page.locator("form.indicator-form").first
    form.locator("input[type=radio]").nth(4).check()
    form.locator("textarea").fill("Sve je objavljeno na web stranici.")
    form.locator("button[type=submit]").click()
    assessment = IndicatorAssessment.objects.get(campaign=campaign, indicator__code="1.1")
    assert (assessment.level, assessment.justification) == (4, "Sve je objavljeno na web stranici.")
    assert not console, console


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
def test_public_eloge_pages_meet_wcag_aa(page, eloge, console, language):
    campaign = eloge[0]
    base = f"/{language}/governance"
    paths = [
        f"{base}/",
        f"{base}/benchmarks/{campaign.cycle.benchmark.key}/",
        f"{base}/campaigns/{campaign.pk}/",
        f"{base}/campaigns/{campaign.pk}/survey/",
        f"{base}/campaigns/{campaign.pk}/poster/",
        f"{base}/campaigns/{campaign.pk}/results/",
        f"{base}/cycles/{campaign.cycle_id}/compare/",
        f"{base}/municipalities/{campaign.municipality.slug}/",
    ]
    check_pages(page, console, paths)


def test_team_and_committee_pages_meet_wcag_aa(page, eloge, log_in_as, console):
    campaign, officer, evaluator = eloge
    base = f"/bs/governance/campaigns/{campaign.pk}"
    log_in_as(page.context, officer)
    check_pages(
        page,
        console,
        [
            f"{base}/",
            f"{base}/self-assessment/",
            f"{base}/self-assessment/1/",
            f"{base}/invitations/",
            f"{base}/paper/citizens/",
            f"{base}/codes/",
            f"{base}/team/",
        ],
    )
    page.context.clear_cookies()
    campaign.phase = "evaluation"
    campaign.save()
    log_in_as(page.context, evaluator)
    check_pages(page, console, [f"{base}/evaluation/", f"{base}/decision/"])
