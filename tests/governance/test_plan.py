"""The action plan: findings, measures and their progress, the public monitoring page, overdue notices."""

import datetime

import pytest

from civiclink.governance import plan, scoring
from civiclink.governance.models import Answer, IndicatorAssessment, Item, Measure, Phase, Response

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 10)


def make_measure(campaign, number=1, **fields):
    defaults = {
        "title": f"Measure for principle {number}",
        "responsible": "Head of office",
        "deadline": TODAY - datetime.timedelta(days=5),
        "success_indicator": "Published",
        "principle": campaign.cycle.benchmark.principles.get(number=number),
    }
    return Measure.objects.create(campaign=campaign, **(defaults | fields))


@pytest.fixture
def planning(eloge):
    eloge.campaign.phase = Phase.ACTION_PLAN
    eloge.campaign.save()
    return eloge


def test_findings_name_weak_principles_and_large_gaps(eloge):
    campaign = eloge.campaign
    levels = {1: 1, 2: 4}  # principle 1: 25 (below 50); principle 2: 100
    for indicator in eloge.benchmark.indicators.filter(principle__number__in=levels):
        IndicatorAssessment.objects.create(
            campaign=campaign, indicator=indicator, level=levels[indicator.principle.number]
        )
    response = Response.objects.create(campaign=campaign, audience="citizens")
    item = Item.objects.get(
        questionnaire__audience="citizens", principle__number=2, questionnaire__benchmark=eloge.benchmark
    )
    Answer.objects.create(
        response=response, item=item, campaign=campaign, audience="citizens", principle=item.principle, value=2
    )
    found = plan.findings(scoring.compute(campaign))
    assert [(f.principle.number, f.reason) for f in found] == [(1, "below_minimum"), (2, "perception_gap")]
    assert found[1].gap == 75  # 100 - 25


def test_progress_updates_the_measure(planning):
    measure = make_measure(planning.campaign)
    plan.record_progress(measure, planning.officer, 40, "in_progress", "Draft rules written.")
    plan.record_progress(measure, planning.officer, 70, "done", "Adopted by the council.")
    measure.refresh_from_db()
    assert (measure.progress, measure.status) == (100, "done")
    assert list(measure.updates.values_list("progress", flat=True)) == [100, 40]


def test_overdue_measures_are_told_to_the_team_once_a_week(planning, mailoutbox):
    overdue = make_measure(planning.campaign, 1)
    make_measure(planning.campaign, 2, deadline=TODAY + datetime.timedelta(days=3))
    make_measure(planning.campaign, 3, status="done")
    assert plan.notify_overdue(TODAY) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [planning.officer.email]  # officers, not the mentor
    assert overdue.title in message.body and "Measure for principle 2" not in message.body
    assert plan.notify_overdue(TODAY + datetime.timedelta(days=1)) == 0
    assert plan.notify_overdue(TODAY + datetime.timedelta(days=7)) == 1


def test_overdue_command(planning, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    make_measure(planning.campaign, 1, deadline=datetime.date(2000, 1, 1))
    out = StringIO()
    call_command("governance", "notify-overdue", stdout=out)
    assert "Teams notified: 1" in out.getvalue() and len(mailoutbox) == 1


def test_monitoring_page_is_public_once_results_are_published(client, planning, django_assert_max_num_queries):
    for number in range(1, 7):
        measure = make_measure(planning.campaign, number)
        plan.record_progress(measure, planning.officer, 10 * number, "in_progress", "Going on.")
    url = f"/en/governance/campaigns/{planning.campaign.pk}/action-plan/"
    assert client.get(url).status_code == 403
    planning.campaign.results_public = True
    planning.campaign.save()
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert "Measure for principle 6" in response.text and "Overdue" in response.text
    assert "Record progress" not in response.text


def test_team_adds_measures_and_records_progress(client, planning):
    client.force_login(planning.officer)
    url = f"/en/governance/campaigns/{planning.campaign.pk}/action-plan/add/"
    principle = planning.benchmark.principles.get(number=4)
    data = {
        "principle": principle.pk,
        "reason": "below_minimum",
        "title": "Open data portal",
        "responsible": "IT office",
        "deadline": "",
        "success_indicator": "Datasets published",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "This field is required" in response.text
    assert "Open data portal" in response.text  # what was typed is kept
    client.post(url, data | {"deadline": "2025-12-31"})
    measure = Measure.objects.get(title="Open data portal")
    progress_url = f"/en/governance/campaigns/{planning.campaign.pk}/action-plan/{measure.pk}/progress/"
    assert client.post(progress_url, {"progress": 150, "status": "in_progress", "text": "x"}).status_code == 400
    client.post(progress_url, {"progress": 30, "status": "in_progress", "text": "Portal chosen."})
    measure.refresh_from_db()
    assert measure.progress == 30
    client.force_login(planning.mentor)
    assert client.post(progress_url, {"progress": 90, "status": "in_progress", "text": "x"}).status_code == 403
    client.force_login(planning.outsider)
    assert client.get(url).status_code == 403


def test_action_plan_waits_for_the_decision(client, eloge):
    client.force_login(eloge.officer)
    assert client.get(f"/en/governance/campaigns/{eloge.campaign.pk}/action-plan/add/").status_code == 403
