"""The committee's side: adjusting levels (the team's level is kept), the independence of evaluators, the decision
with the platform's rules, and the certificate."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from civiclink.governance import certificates, evaluation, scoring
from civiclink.governance.models import Decision, Indicator, IndicatorAssessment, Phase, Source, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(eloge):
    """Every indicator at level 2 ("Developing") with a justification; submitted; the campaign under evaluation."""
    for indicator in Indicator.objects.filter(benchmark=eloge.benchmark):
        IndicatorAssessment.objects.create(
            campaign=eloge.campaign, indicator=indicator, level=2, justification=f"Why {indicator.code}", revision=1
        )
    eloge.campaign.self_assessment_submitted_at = timezone.now()
    eloge.campaign.self_assessment_submitted_by = eloge.officer
    eloge.campaign.phase = Phase.EVALUATION
    eloge.campaign.save()
    return eloge


def evaluation_url(campaign) -> str:
    return f"/en/governance/campaigns/{campaign.pk}/evaluation/"


def decision_url(campaign) -> str:
    return f"/en/governance/campaigns/{campaign.pk}/decision/"


def certificate_url(campaign) -> str:
    return f"/en/governance/campaigns/{campaign.pk}/certificate.pdf"


def assessment_of(eloge, code: str) -> IndicatorAssessment:
    return IndicatorAssessment.objects.select_related("campaign__cycle__benchmark").get(
        campaign=eloge.campaign, indicator__code=code
    )


def adjust_data(indicator, level, reason) -> dict:
    return {"indicator": indicator.pk, f"adjust-{indicator.pk}-level": level, f"adjust-{indicator.pk}-reason": reason}


# --- Adjusting levels ----------------------------------------------------------------------------------------


def test_adjustment_keeps_the_team_level_and_changes_the_score(submitted):
    before = scoring.compute(submitted.campaign).principles[0].sources[Source.SELF]
    assert before.score == 50  # level 2 on 0..4
    adjusted = evaluation.adjust(
        assessment_of(submitted, "1.1"), 0, "No decision was ever adopted.", submitted.evaluator
    )
    adjusted.refresh_from_db()
    assert (adjusted.level, adjusted.adjusted_level, adjusted.final_level) == (2, 0, 0)
    assert adjusted.adjusted_by == submitted.evaluator and adjusted.adjusted_at is not None
    assert scoring.compute(submitted.campaign).principles[0].sources[Source.SELF].score == 25
    assert scoring.results_for(submitted.campaign).principles[0].sources[Source.SELF].score == 25

    evaluation.clear_adjustment(adjusted, submitted.evaluator)
    adjusted.refresh_from_db()
    assert (adjusted.adjusted_level, adjusted.adjustment_reason, adjusted.adjusted_by) == (None, "", None)
    assert scoring.results_for(submitted.campaign).principles[0].sources[Source.SELF].score == 50


def test_adjustment_needs_a_reason_and_a_level_on_the_scale(submitted):
    row = assessment_of(submitted, "1.1")
    with pytest.raises(evaluation.EvaluationError):
        evaluation.adjust(row, 1, "  ", submitted.evaluator)
    with pytest.raises(evaluation.EvaluationError):
        evaluation.adjust(row, 9, "Too high", submitted.evaluator)
    row.refresh_from_db()
    assert row.adjusted_level is None


def test_evaluator_adjusts_through_the_page(client, submitted, django_assert_max_num_queries):
    indicator = Indicator.objects.get(code="3.2")
    client.force_login(submitted.evaluator)
    response = client.post(evaluation_url(submitted.campaign), adjust_data(indicator, 1, "Only a draft exists."))
    assert response.status_code == 302 and response["Location"].endswith(f"#indicator-{indicator.pk}")
    with django_assert_max_num_queries(11):
        html = client.get(evaluation_url(submitted.campaign)).content.decode()
    assert "Self-assessed: Developing (2)" in html
    assert "Committee: Initial (1), because: Only a draft exists." in html
    assert "Why 12.2" in html  # every indicator with its justification


def test_missing_reason_is_shown_beside_the_form(client, submitted):
    indicator = Indicator.objects.get(code="3.2")
    client.force_login(submitted.evaluator)
    response = client.post(evaluation_url(submitted.campaign), adjust_data(indicator, 1, ""))
    assert response.status_code == 400
    assert "Reason for the adjustment" in response.content.decode()
    assert assessment_of(submitted, "3.2").adjusted_level is None


def test_evaluator_clears_an_adjustment(client, submitted):
    row = assessment_of(submitted, "2.1")
    evaluation.adjust(row, 4, "Excellent practice.", submitted.evaluator)
    client.force_login(submitted.evaluator)
    response = client.post(evaluation_url(submitted.campaign), {"indicator": row.indicator_id, "clear": "1"})
    assert response.status_code == 302
    assert assessment_of(submitted, "2.1").adjusted_level is None


@pytest.mark.parametrize("who", ["officer", "mentor", "outsider", "platform_staff"])
def test_only_independent_evaluators_adjust(client, submitted, who):
    indicator = Indicator.objects.get(code="1.1")
    client.force_login(getattr(submitted, who))
    response = client.post(evaluation_url(submitted.campaign), adjust_data(indicator, 0, "No."))
    assert response.status_code == 403
    assert assessment_of(submitted, "1.1").adjusted_level is None


def test_an_evaluator_on_the_municipality_team_is_refused(client, submitted):
    TeamMember.objects.create(campaign=submitted.campaign, user=submitted.evaluator, role=TeamMember.Role.OFFICER)
    indicator = Indicator.objects.get(code="1.1")
    client.force_login(submitted.evaluator)
    assert client.post(evaluation_url(submitted.campaign), adjust_data(indicator, 0, "No.")).status_code == 403
    with pytest.raises(evaluation.EvaluationError):
        evaluation.adjust(assessment_of(submitted, "1.1"), 0, "No.", submitted.evaluator)
    assert assessment_of(submitted, "1.1").adjusted_level is None


def test_levels_are_not_adjusted_before_the_evaluation_phase(client, eloge):
    indicator = Indicator.objects.get(code="1.1")
    IndicatorAssessment.objects.create(campaign=eloge.campaign, indicator=indicator, level=2, justification="x")
    client.force_login(eloge.evaluator)
    assert client.post(evaluation_url(eloge.campaign), adjust_data(indicator, 0, "No.")).status_code == 403
    html = client.get(evaluation_url(eloge.campaign)).content.decode()
    assert "has not submitted the self-assessment yet" in html


# --- Decision ------------------------------------------------------------------------------------------------


def test_decide_label_sets_the_validity_and_the_phase(submitted):
    campaign = evaluation.decide(
        submitted.campaign, Decision.LABEL, "Met on 3 May.", submitted.evaluator, datetime.date(2024, 2, 29)
    )
    campaign.refresh_from_db()
    assert campaign.decision == Decision.LABEL and campaign.decision_minutes == "Met on 3 May."
    assert (campaign.label_valid_from, campaign.label_valid_until) == (
        datetime.date(2024, 2, 29),
        datetime.date(2026, 2, 28),
    )
    assert campaign.phase == Phase.DECISION and campaign.decided_at is not None
    with pytest.raises(evaluation.EvaluationError):
        evaluation.decide(campaign, Decision.NOT_AWARDED, "Changed our mind.", submitted.evaluator)


def test_decide_recognition_has_no_label_dates_and_needs_minutes(submitted):
    with pytest.raises(evaluation.EvaluationError):
        evaluation.decide(submitted.campaign, Decision.RECOGNITION, " ", submitted.evaluator)
    with pytest.raises(evaluation.EvaluationError):
        evaluation.decide(submitted.campaign, Decision.PENDING, "Minutes", submitted.evaluator)
    evaluation.decide(submitted.campaign, Decision.RECOGNITION, "Completed.", submitted.staff)
    submitted.campaign.refresh_from_db()
    assert submitted.campaign.decision == Decision.RECOGNITION
    assert submitted.campaign.label_valid_from is None and submitted.campaign.label_valid_until is None
    assert evaluation.add_years(datetime.date(2024, 6, 1), 2) == datetime.date(2026, 6, 1)


def test_decision_page_shows_the_rules_and_asks_to_confirm_an_ineligible_label(client, submitted):
    client.force_login(submitted.evaluator)
    page = client.get(decision_url(submitted.campaign)).content.decode()
    assert "The self-assessment is submitted." in page and "Met" in page
    assert "At least 100 citizens answered (0 did)." in page and "Not met" in page

    data = {"decision": "label", "minutes": "Discussed.", "valid_from": "2025-01-15"}
    refused = client.post(decision_url(submitted.campaign), data)
    assert refused.status_code == 400
    assert "Tick this box to award it nevertheless." in refused.content.decode()
    assert "Discussed.</textarea>" in refused.content.decode()  # nothing typed is lost
    submitted.campaign.refresh_from_db()
    assert submitted.campaign.decision == Decision.PENDING

    confirmed = client.post(decision_url(submitted.campaign), {**data, "confirm_ineligible": "on"})
    assert confirmed.status_code == 302
    submitted.campaign.refresh_from_db()
    assert submitted.campaign.decision == Decision.LABEL
    assert submitted.campaign.label_valid_until == datetime.date(2027, 1, 15)
    assert client.get(decision_url(submitted.campaign)).status_code == 403  # decided: nothing left to decide


def test_not_awarded_needs_no_confirmation(client, submitted):
    client.force_login(submitted.staff)
    response = client.post(decision_url(submitted.campaign), {"decision": "not_awarded", "minutes": "Too early."})
    assert response.status_code == 302
    submitted.campaign.refresh_from_db()
    assert submitted.campaign.decision == Decision.NOT_AWARDED


@pytest.mark.parametrize("who", ["officer", "mentor", "outsider", "platform_staff"])
def test_only_the_committee_and_staff_decide(client, submitted, who):
    client.force_login(getattr(submitted, who))
    assert client.get(decision_url(submitted.campaign)).status_code == 403
    assert client.post(decision_url(submitted.campaign), {"decision": "recognition", "minutes": "x"}).status_code == 403
    submitted.campaign.refresh_from_db()
    assert submitted.campaign.decision == Decision.PENDING


def test_a_committee_member_on_the_team_may_not_decide(client, submitted):
    TeamMember.objects.create(campaign=submitted.campaign, user=submitted.evaluator, role=TeamMember.Role.MENTOR)
    client.force_login(submitted.evaluator)
    assert client.get(decision_url(submitted.campaign)).status_code == 403
    with pytest.raises(evaluation.EvaluationError):
        evaluation.decide(submitted.campaign, Decision.RECOGNITION, "x", submitted.evaluator)


# --- Certificate ---------------------------------------------------------------------------------------------


def unicode_targets(pdf: bytes) -> set[str]:
    """Characters the PDF's ToUnicode maps name: the letters its text was written with."""
    return {chr(int(code, 16)) for code in re.findall(rb"<[0-9A-F]{2}> <([0-9A-F]{4})>", pdf)}


def test_certificate_of_a_label(client, submitted):
    evaluation.decide(submitted.campaign, Decision.LABEL, "Met.", submitted.evaluator, datetime.date(2025, 3, 1))
    response = client.get(certificate_url(submitted.campaign))  # public: anyone may check a label
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-32:]
    assert f"ELoGE-2024-{submitted.campaign.pk}.pdf" in response["Content-Disposition"]
    with translation.override("en"):
        text = [line.text for line in certificates.lines(submitted.campaign)]
        plain = certificates.render(submitted.campaign, compress=False)
    assert text[0] == "European Label of Governance Excellence" and "Mostar" in text
    assert "The label is valid from March 1, 2025 to March 1, 2027" in text
    assert f"Certificate number: ELoGE-2024-{submitted.campaign.pk}" in text
    assert b"(Mostar)" in plain and b"DejaVuSans" in plain


def test_certificate_of_a_recognition_writes_cyrillic(client, submitted, world):
    submitted.campaign.municipality = world.away
    submitted.campaign.save()
    evaluation.decide(submitted.campaign, Decision.RECOGNITION, "Completed.", submitted.evaluator)
    response = client.get(f"/sr/governance/campaigns/{submitted.campaign.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with translation.override("sr"):
        text = [line.text for line in certificates.lines(submitted.campaign)]
        plain = certificates.render(submitted.campaign, compress=False)
    assert "Требиње" in text
    assert set("Требиње") <= unicode_targets(plain)
    assert not any("valid" in line for line in text)


@pytest.mark.parametrize("decision", [Decision.PENDING, Decision.NOT_AWARDED])
def test_no_certificate_without_an_award(client, eloge, decision):
    eloge.campaign.decision = decision
    eloge.campaign.save()
    client.force_login(eloge.staff)
    assert client.get(certificate_url(eloge.campaign)).status_code == 404
