"""The ELoGE benchmark in Chromium: a citizen answers on a phone, an officer fills in the self-assessment by keyboard
and without JavaScript, and axe-core (WCAG 2.1 A and AA) checks every page that citizens, teams and the committee
use, in both scripts where the public sees it.

The data is the small benchmark built in code (12 principles, two indicators each, one item per principle and
questionnaire) and three campaigns of one cycle: Mostar collecting answers (results published), Trebinje at its
action plan (results published), Zenica before the evaluation committee.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from eloge_data import make_small_benchmark

from .helpers import (
    BROWSER_TEST,
    assert_visible_focus,
    axe_violations,
    describe_violations,
    gettext_in,
    has_horizontal_overflow,
    skipped_heading_levels,
    tab_to,
)

pytestmark = BROWSER_TEST

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
MIN_TAP_HEIGHT = 44


def _answer(campaign, audience: str, values: list[int | None], times: int) -> None:
    """`times` paper questionnaires of `audience`, item n answered values[n % len(values)]."""
    from civiclink.governance import responses

    items = responses.active_items(campaign, audience)
    for offset in range(times):
        answers = {item.pk: values[(index + offset) % len(values)] for index, item in enumerate(items)}
        responses.submit(campaign, audience, answers, channel="paper", items=items)


def _assess(campaign, user, principles: range) -> None:
    """The team's level and justification for every indicator of `principles`."""
    from civiclink.governance.models import IndicatorAssessment

    indicators = campaign.cycle.benchmark.indicators.filter(principle__number__in=principles)
    IndicatorAssessment.objects.bulk_create(
        IndicatorAssessment(
            campaign=campaign,
            indicator=indicator,
            level=(indicator.principle.number + indicator.position) % 5,
            justification=f"Odluka o {indicator.code} je objavljena.",
            revision=1,
            updated_by=user,
        )
        for indicator in indicators
    )


@pytest.fixture
def eloge(make_user, make_municipality):
    from django.utils import timezone

    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role
    from civiclink.governance import plan
    from civiclink.governance.models import Campaign, Cycle, Invitation, Measure, Phase, Platform, TeamMember

    today = timezone.localdate()
    benchmark = make_small_benchmark()
    platform = Platform.objects.create(
        name="LDA Mostar", accredited_from=datetime.date(2022, 1, 1), accredited_until=datetime.date(2030, 12, 31)
    )
    cycle = Cycle.for_platform(
        platform, benchmark=benchmark, name="ELoGE 2026", year=2026, assessment_closes=today + datetime.timedelta(30)
    )
    cycle.save()
    officer = make_user("officer@example.org", first_name="Emir", last_name="Kovačević")
    evaluator = make_user("evaluator@example.org", first_name="Jelena", last_name="Petrović")
    grant_platform_role(evaluator, Role.EVALUATOR)
    cycle.evaluators.add(evaluator)

    campaigns = {}
    for name, fields in [
        ("Mostar", {}),
        ("Trebinje", {"name_cyrillic": "Требиње", "entity": "RS", "language": "sr"}),
        ("Zenica", {}),
    ]:
        campaign = Campaign.objects.create(
            cycle=cycle, municipality=make_municipality(name, **fields), phase=Phase.ASSESSMENT, results_public=True
        )
        TeamMember.objects.create(campaign=campaign, user=officer, role=TeamMember.Role.COORDINATOR)
        _answer(campaign, "citizens", [2, 4, 5, None, 3], times=4)
        _answer(campaign, "councillors", [4, 5, 3], times=2)
        _answer(campaign, "staff", [1, 3, 5, None], times=2)
        campaigns[name] = campaign

    mostar, trebinje, zenica = campaigns["Mostar"], campaigns["Trebinje"], campaigns["Zenica"]
    for number, (audience, answered) in enumerate([("councillors", True), ("staff", False)]):
        Invitation.objects.create(
            campaign=mostar,
            audience=audience,
            email=f"vijecnik{number}@mostar.example.org",
            name=f"Vijećnik {number}",
            token_hash=f"{number:064}",
            sent_at=timezone.now(),
            answered=answered,
        )
    _assess(mostar, officer, range(7, 13))  # half-way; principles 1 to 6 are for the tests to fill in
    _assess(trebinje, officer, range(1, 13))
    _assess(zenica, officer, range(1, 13))
    Campaign.objects.filter(pk=trebinje.pk).update(phase=Phase.ACTION_PLAN)
    Campaign.objects.filter(pk=zenica.pk).update(
        phase=Phase.EVALUATION,
        results_public=False,
        self_assessment_submitted_at=timezone.now(),
        self_assessment_submitted_by=officer,
    )
    principle = benchmark.principles.get(number=4)
    late = Measure.objects.create(
        campaign=trebinje,
        principle=principle,
        title="Javne konsultacije o budžetu",
        responsible="Služba za finansije",
        deadline=today - datetime.timedelta(days=10),
        success_indicator="Tri javne rasprave godišnje",
    )
    plan.record_progress(late, officer, progress=40, status=Measure.Status.IN_PROGRESS, text="Prva rasprava održana.")
    Measure.objects.create(
        campaign=trebinje,
        principle=benchmark.principles.get(number=9),
        reason=Measure.Reason.PERCEPTION_GAP,
        title="Registar imovine na webu",
        responsible="Kabinet načelnika",
        deadline=today + datetime.timedelta(days=90),
        success_indicator="Registar objavljen",
    )
    return SimpleNamespace(
        benchmark=benchmark,
        cycle=cycle,
        mostar=mostar,
        trebinje=trebinje,
        zenica=zenica,
        officer=officer,
        evaluator=evaluator,
    )


# --- A citizen on a phone -----------------------------------------------------------------------------------------

# Item position -> the choice tapped: a value of the 1-5 scale, "dk" for "don't know"; position 6 is skipped.
CITIZEN_CHOICES = {1: "1", 2: "2", 3: "dk", 4: "4", 5: "5", 7: "3", 8: "dk", 9: "4", 10: "5", 11: "2", 12: "1"}


def test_a_citizen_answers_the_questionnaire_on_a_phone(new_context, eloge, console):
    from civiclink.governance.models import Answer, Response

    campaign = eloge.mostar
    before = Response.objects.filter(campaign=campaign).count()
    survey = f"/bs/governance/campaigns/{campaign.pk}/survey/"
    phone = new_context(**PHONE)
    page = phone.new_page()
    page.goto(survey)
    # The same browser, a second tab opened before the answers are sent (a double submission waiting to happen).
    other_tab = phone.new_page()
    other_tab.goto(survey)
    page.bring_to_front()  # a tab in the background gets no animation frames: every tap would wait for them

    expect(page.locator("h1")).to_be_visible()
    assert not has_horizontal_overflow(page)
    heights = page.locator("label.choice").evaluate_all("labels => labels.map(l => l.getBoundingClientRect().height)")
    assert len(heights) == 12 * 6 and min(heights) >= MIN_TAP_HEIGHT, heights
    submit = page.locator("button.survey-submit")
    assert submit.bounding_box()["height"] >= MIN_TAP_HEIGHT

    items = {
        item.position: item for item in campaign.cycle.benchmark.questionnaires.get(audience="citizens").items.all()
    }
    for position, value in CITIZEN_CHOICES.items():
        label = page.locator(f"#question-{items[position].pk} label.choice").filter(
            has=page.locator(f"input[value='{value}']")
        )
        label.tap()
        expect(label.locator("input")).to_be_checked()
    expect(page.locator(f"#question-{items[6].pk} input:checked")).to_have_count(0)
    submit.tap()

    expect(page).to_have_url(re.compile(rf"/bs/governance/campaigns/{campaign.pk}/survey/thanks/$"))
    expect(page.locator("h1")).to_have_text(gettext_in("bs", "Thank you!"))
    assert not has_horizontal_overflow(page)

    web = Response.objects.get(campaign=campaign, channel="web")
    assert web.audience == "citizens"
    stored = dict(Answer.objects.filter(response=web).values_list("item__position", "value"))
    assert stored == {position: None if value == "dk" else int(value) for position, value in CITIZEN_CHOICES.items()}
    assert Response.objects.filter(campaign=campaign).count() == before + 1

    # Coming back, in either language, the browser is told it has answered and gets no form.
    already = gettext_in("bs", "You have already answered")
    for language in ("bs", "sr"):
        page.goto(f"/{language}/governance/campaigns/{campaign.pk}/survey/")
        expect(page.locator("h1")).to_have_text(gettext_in(language, "You have already answered"))
        expect(page.locator("form.survey-form")).to_have_count(0)

    assert not console, console

    # The tab still showing the form cannot send a second questionnaire: refused with 409 Conflict.
    other_tab.bring_to_front()
    other_tab.locator(f"#question-{items[1].pk} label.choice").first.tap()
    with other_tab.expect_response(lambda response: response.request.method == "POST") as sent:
        other_tab.locator("button.survey-submit").tap()
    assert sent.value.status == 409
    expect(other_tab.locator("h1")).to_have_text(already)
    assert Response.objects.filter(campaign=campaign, channel="web").count() == 1
    assert Response.objects.filter(campaign=campaign).count() == before + 1
    assert len(console) == 1 and "409" in console[0], console  # Chromium logs the refusal's status, nothing else


# --- An officer, by keyboard --------------------------------------------------------------------------------------


def _wait_for(page, check, timeout_ms: int = 5000) -> None:
    """Poll the database until `check()` is true (or give up: the caller asserts): the status line may already
    confirm an earlier save of the same form while the last one is under way."""
    for _ in range(timeout_ms // 100):
        if check():
            return
        page.wait_for_timeout(100)


def _saved(campaign, principle: int) -> dict[str, tuple[int | None, str]]:
    from civiclink.governance.models import IndicatorAssessment

    rows = IndicatorAssessment.objects.filter(campaign=campaign, indicator__principle__number=principle)
    return {code: (level, text) for code, level, text in rows.values_list("indicator__code", "level", "justification")}


def test_an_officer_fills_in_a_principle_by_keyboard_only(page, eloge, log_in_as, console):
    campaign = eloge.mostar
    log_in_as(page.context, eloge.officer)
    page.goto(f"/bs/governance/campaigns/{campaign.pk}/self-assessment/3/")
    forms = page.locator("form.indicator-form")
    expect(forms).to_have_count(2)
    # Level 0 ("not in place") is chosen with Space, level 3 with the arrow keys.
    wanted = {"3.1": (3, "Pravilnik o javnim raspravama usvojen je 2024."), "3.2": (0, "Još ne postoji.")}
    for index, (level, text) in enumerate(wanted.values()):
        form = forms.nth(index)
        radios = form.locator("input[type=radio]")
        tab_to(page, radios.first, limit=40)  # every stop on the way shows where the focus is
        if level == 0:
            page.keyboard.press("Space")
        for _ in range(level):
            page.keyboard.press("ArrowDown")
        expect(radios.nth(level)).to_be_focused()
        expect(radios.nth(level)).to_be_checked()
        assert_visible_focus(page)
        page.keyboard.press("Tab")
        expect(form.locator("textarea")).to_be_focused()
        assert_visible_focus(page)
        page.keyboard.type(text)
        page.keyboard.press("Tab")
        save = form.locator("button[type=submit]")
        expect(save).to_be_focused()
        assert_visible_focus(page)
        page.keyboard.press("Space")
        expect(form.locator(".save-status")).to_have_text(re.compile(r"\d{1,2}:\d{2}"))

    _wait_for(page, lambda: _saved(campaign, 3) == wanted)
    assert _saved(campaign, 3) == wanted

    # What was saved is what the page shows when opened again.
    page.reload()
    for index, (level, text) in enumerate(wanted.values()):
        expect(forms.nth(index).locator("input[type=radio]").nth(level)).to_be_checked()
        expect(forms.nth(index).locator("textarea")).to_have_value(text)

    page.goto(f"/bs/governance/campaigns/{campaign.pk}/self-assessment/")
    summary = gettext_in("bs", "%(done)s of %(total)s indicators have a level.") % {"done": 12 + 2, "total": 24}
    expect(page.locator(".result-count")).to_have_text(summary)
    row = page.locator(".assessment-progress tbody tr").nth(2)
    expect(row.locator("th")).to_contain_text("3.")
    expect(row.locator(".badge-ok")).to_have_text(gettext_in("bs", "Complete"))
    expect(page.locator(".assessment-progress tbody tr").nth(3).locator(".badge-ok")).to_have_count(0)
    assert not console, console


def test_an_officer_saves_an_indicator_without_javascript(new_context, eloge, log_in_as, console):
    campaign = eloge.mostar
    context = new_context(java_script_enabled=False)
    log_in_as(context, eloge.officer)
    page = context.new_page()
    page.goto(f"/bs/governance/campaigns/{campaign.pk}/self-assessment/1/")
    form = page.locator("form.indicator-form").first
    form.locator("label").filter(has_text="Level 4").click()
    form.locator("textarea").fill("Sve odluke vijeća su na web stranici.")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/self-assessment/1/#indicator-\d+$"))
    expect(page.locator("main")).to_contain_text(re.compile(r"1\.1: .*\d{1,2}:\d{2}"))
    assert _saved(campaign, 1) == {"1.1": (4, "Sve odluke vijeća su na web stranici.")}
    form = page.locator("form.indicator-form").first
    expect(form.locator("input[type=radio]").nth(4)).to_be_checked()
    expect(form.locator("textarea")).to_have_value("Sve odluke vijeća su na web stranici.")
    assert not console, console


# --- axe-core on every page -------------------------------------------------------------------------------------

# (who, path, what the page must show, how many): `{mostar}` and the like are the campaigns' ids, `{cycle}` the
# cycle's. The content check keeps an empty or wrong page from passing axe.
PAGES = [
    ("anonymous", "/bs/governance/", "main table tbody tr", 3),
    ("anonymous", "/sr/governance/", "main table tbody tr", 3),
    ("anonymous", "/bs/governance/benchmarks/test-2023/", "section.principle", 12),
    ("anonymous", "/bs/governance/campaigns/{mostar}/", "main h1", 1),
    ("anonymous", "/bs/governance/campaigns/{mostar}/survey/", "fieldset.question", 12),
    ("anonymous", "/sr/governance/campaigns/{mostar}/survey/", "fieldset.question", 12),
    ("anonymous", "/bs/governance/campaigns/{mostar}/survey/thanks/", "main h1", 1),
    ("anonymous", "/bs/governance/campaigns/{mostar}/results/", "table.results-table", 1),
    ("anonymous", "/sr/governance/campaigns/{trebinje}/results/", "table.results-table", 1),
    ("anonymous", "/bs/governance/cycles/{cycle}/compare/", "table.compare-table tbody tr", 2),
    ("anonymous", "/sr/governance/cycles/{cycle}/compare/", "table.compare-table tbody tr", 2),
    ("anonymous", "/bs/governance/campaigns/{trebinje}/action-plan/", "article.measure", 2),
    ("officer", "/bs/governance/campaigns/{mostar}/", "main h1", 1),
    ("officer", "/bs/governance/campaigns/{mostar}/self-assessment/", ".assessment-progress tbody tr", 12),
    ("officer", "/bs/governance/campaigns/{mostar}/self-assessment/1/", "form.indicator-form", 2),
    ("officer", "/bs/governance/campaigns/{mostar}/invitations/", "main form", 2),  # invite, remind
    ("officer", "/bs/governance/campaigns/{mostar}/paper/citizens/", "form.paper-form input[type=text]", 12),
    ("officer", "/bs/governance/campaigns/{trebinje}/action-plan/", "form[action$='/progress/']", 2),
    ("evaluator", "/bs/governance/campaigns/{zenica}/evaluation/", "form.adjust-form", 24),
    ("evaluator", "/bs/governance/campaigns/{zenica}/decision/", "main form", 1),
]
OPEN_DETAILS = "document.querySelectorAll('main details').forEach(details => { details.open = true; })"


@pytest.mark.parametrize(("who", "path", "content", "count"), PAGES, ids=[f"{page[0]}:{page[1]}" for page in PAGES])
def test_governance_pages_meet_wcag_aa(page, eloge, log_in_as, console, who, path, content, count):
    if who != "anonymous":
        log_in_as(page.context, getattr(eloge, who))
    path = path.format(mostar=eloge.mostar.pk, trebinje=eloge.trebinje.pk, zenica=eloge.zenica.pk, cycle=eloge.cycle.pk)
    language = path.split("/")[1]
    response = page.goto(path)
    assert response.status == 200, f"{path}: status {response.status}"
    assert page.url.endswith(path), f"{path} redirected to {page.url}"
    expect(page.locator(content)).to_have_count(count)
    page.evaluate(OPEN_DETAILS)  # what is folded away (evidence and progress forms, indicator lists) is checked too

    problems = []
    if (lang := page.locator("html").get_attribute("lang")) != language:
        problems.append(f"html lang is {lang!r}, not {language!r}")
    if violations := axe_violations(page):
        problems.append(describe_violations(violations))
    problems += [f"skipped heading level: {skip}" for skip in skipped_heading_levels(page)]
    problems += [f"console: {message}" for message in console]
    assert not problems, f"{path}:\n" + "\n".join(problems)
