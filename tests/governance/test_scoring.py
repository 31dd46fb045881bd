"""The scoring rule of docs/governance.md on cases computed by hand.

The `eloge` cycle has the default rules: answers 1-5, maturity levels 0-4, weights self 40, councillors 20,
staff 10, citizens 30, at least 50 per principle, overall at least 60, at least 100 citizen responses.
"""

import datetime

import pytest
from django.utils import timezone

from civiclink.governance import scoring
from civiclink.governance.models import Answer, Campaign, Indicator, IndicatorAssessment, Item, Response, Source

# --- Helpers (also used by the other results tests) ---------------------------------------------------------------


def answer(campaign, audience: str, values: dict[int, int | None], channel="web", on=None, times: int = 1):
    """`times` responses of `audience` giving `values` ({principle number: answer, None for "don't know"});
    principles left out are skipped items."""
    items = {
        item.principle.number: item
        for item in Item.objects.filter(
            questionnaire__benchmark=campaign.cycle.benchmark_id, questionnaire__audience=audience
        ).select_related("principle")
    }
    responses = Response.objects.bulk_create(
        [
            Response(
                campaign=campaign, audience=audience, channel=channel, submitted_on=on or datetime.date(2024, 5, 2)
            )
            for _ in range(times)
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                item=items[number],
                campaign=campaign,
                audience=audience,
                principle_id=items[number].principle_id,
                value=value,
            )
            for response in responses
            for number, value in values.items()
        ]
    )
    scoring.forget(campaign.pk)
    return responses


def assess(campaign, code: str, level: int | None, adjusted: int | None = None):
    """The team's level for indicator `code` ("3.1"), with the evaluators' adjustment if given."""
    assessment = IndicatorAssessment.objects.create(
        campaign=campaign,
        indicator=Indicator.objects.get(benchmark=campaign.cycle.benchmark_id, code=code),
        level=level,
        adjusted_level=adjusted,
        adjustment_reason="Evidence does not show it." if adjusted is not None else "",
    )
    scoring.forget(campaign.pk)
    return assessment


def assess_all(campaign, levels: tuple[int, int]):
    for number in range(1, 13):
        for position, level in zip((1, 2), levels, strict=True):
            assess(campaign, f"{number}.{position}", level)


def submit(campaign):
    campaign.self_assessment_submitted_at = timezone.now()
    campaign.save(update_fields=["self_assessment_submitted_at"])
    scoring.forget(campaign.pk)


def fresh(campaign) -> Campaign:
    return Campaign.objects.select_related("cycle__benchmark", "municipality").get(pk=campaign.pk)


def by_number(results) -> dict[int, scoring.PrincipleResult]:
    return {result.number: result for result in results.principles}


# --- The rule ----------------------------------------------------------------------------------------------------


def test_answers_are_normalised_onto_0_to_100():
    assert scoring.normalise(1, 1, 5) == 0
    assert scoring.normalise(5, 1, 5) == 100
    assert scoring.normalise(4, 1, 5) == 75  # 100 * (4 - 1) / (5 - 1)
    assert scoring.normalise(2, 0, 4) == 50  # maturity level 2 of 0-4
    assert scoring.normalise(2.5, 1, 5) == 37.5  # a mean normalises like its answers: 100 * 1.5 / 4


def test_dont_know_and_skipped_items_are_left_out_never_counted_as_zero(eloge):
    campaign = eloge.campaign
    answer(campaign, "citizens", {1: 5})
    answer(campaign, "citizens", {1: 4})
    answer(campaign, "citizens", {1: None, 2: 3})  # "don't know" on principle 1
    answer(campaign, "citizens", {2: 5})  # principle 1 skipped

    results = by_number(scoring.compute(fresh(campaign)))
    p1, p2 = results[1], results[2]

    # principle 1: answers 5 and 4 -> mean 4.5 -> 100 * 3.5 / 4 = 87.5 from 2 answers (as zero it would be 43.75)
    assert (p1.sources[Source.CITIZENS].score, p1.sources[Source.CITIZENS].count) == (87.5, 2)
    # principle 2: 3 and 5 -> mean 4 -> 75
    assert (p2.sources[Source.CITIZENS].score, p2.sources[Source.CITIZENS].count) == (75, 2)


def test_an_all_dont_know_principle_has_no_score_rather_than_zero(eloge):
    answer(eloge.campaign, "citizens", {3: None}, times=3)

    p3 = by_number(scoring.compute(fresh(eloge.campaign)))[3]

    assert (p3.sources[Source.CITIZENS].score, p3.sources[Source.CITIZENS].count) == (None, 0)
    assert p3.combined is None


def test_combined_score_is_the_weighted_mean_of_all_four_sources(eloge):
    campaign = eloge.campaign
    assess(campaign, "1.1", 3)
    assess(campaign, "1.2", 2)  # levels 3, 2 -> mean 2.5 on 0-4 -> 62.5
    answer(campaign, "councillors", {1: 3})
    answer(campaign, "councillors", {1: 2})  # 3, 2 -> mean 2.5 on 1-5 -> 37.5
    answer(campaign, "staff", {1: 5})  # 100
    answer(campaign, "citizens", {1: 5})
    answer(campaign, "citizens", {1: 4})  # 4.5 -> 87.5

    p1 = by_number(scoring.compute(fresh(campaign)))[1]

    assert {source: (score.score, score.count) for source, score in p1.sources.items()} == {
        Source.SELF: (62.5, 2),
        Source.COUNCILLORS: (37.5, 2),
        Source.STAFF: (100, 1),
        Source.CITIZENS: (87.5, 2),
    }
    # (62.5 * 40 + 37.5 * 20 + 100 * 10 + 87.5 * 30) / 100 = (2500 + 750 + 1000 + 2625) / 100 = 68.75
    assert p1.combined == pytest.approx(68.75)
    # perception gaps: self minus each survey source
    assert p1.gaps == {Source.CITIZENS: -25, Source.COUNCILLORS: 25, Source.STAFF: -37.5}


def test_weights_are_renormalised_over_the_sources_present(eloge):
    campaign = eloge.campaign
    assess(campaign, "1.1", 3)
    assess(campaign, "1.2", 2)  # self 62.5
    answer(campaign, "citizens", {1: 5, 4: 2})
    answer(campaign, "citizens", {1: 4})  # principle 1: citizens 87.5; principle 4: one answer 2 -> 25

    results = by_number(scoring.compute(fresh(campaign)))

    # no councillors or staff: (62.5 * 40 + 87.5 * 30) / (40 + 30) = 5125 / 70 = 73.2142857...
    assert results[1].combined == pytest.approx(5125 / 70)
    assert results[1].gaps == {Source.CITIZENS: -25, Source.COUNCILLORS: None, Source.STAFF: None}
    # citizens alone: their score is the combined score, whatever their weight
    assert results[4].combined == 25
    assert results[4].gaps[Source.CITIZENS] is None  # no self-assessment, no gap


def test_a_source_with_zero_weight_does_not_count(eloge):
    eloge.cycle.weight_staff = 0
    eloge.cycle.save()
    answer(eloge.campaign, "staff", {1: 5})  # 100, but weightless
    answer(eloge.campaign, "citizens", {1: 3})  # 50

    p1 = by_number(scoring.compute(fresh(eloge.campaign)))[1]

    assert p1.sources[Source.STAFF].score == 100
    assert p1.combined == 50


def test_the_evaluators_adjusted_level_replaces_the_teams(eloge):
    campaign = eloge.campaign
    assess(campaign, "2.1", 4, adjusted=1)
    assess(campaign, "2.2", 3)

    p2 = by_number(scoring.compute(fresh(campaign)))[2]

    # levels 1 (adjusted from 4) and 3 -> mean 2 -> 50; the team's own 4 and 3 would give 87.5
    assert (p2.sources[Source.SELF].score, p2.sources[Source.SELF].count) == (50, 2)


def test_retired_indicators_and_unfilled_levels_are_ignored(eloge):
    campaign = eloge.campaign
    assess(campaign, "3.1", 4)
    assess(campaign, "3.2", 0)
    Indicator.objects.filter(code="3.1").update(retired=True)
    assess(campaign, "4.1", 2)
    assess(campaign, "4.2", None)  # a draft without a level yet

    results = by_number(scoring.compute(fresh(campaign)))

    assert (results[3].sources[Source.SELF].score, results[3].sources[Source.SELF].count) == (0, 1)
    assert (results[4].sources[Source.SELF].score, results[4].sources[Source.SELF].count) == (50, 1)


def test_overall_is_the_mean_of_the_combined_principle_scores(eloge):
    campaign = eloge.campaign
    answer(campaign, "citizens", {1: 5, 2: 3, 3: 2})  # 100, 50, 25; principles 4-12 unscored
    results = scoring.compute(fresh(campaign))

    # (100 + 50 + 25) / 3 = 58.333...
    assert results.overall == pytest.approx(175 / 3)
    assert [result.number for result in results.strongest()] == [1, 2, 3]
    assert [result.number for result in results.weakest()] == [3, 2, 1]
    assert results.responses == {Source.COUNCILLORS: 0, Source.STAFF: 0, Source.CITIZENS: 1}


def test_no_answers_at_all_gives_no_overall_score(eloge):
    results = scoring.compute(fresh(eloge.campaign))

    assert results.overall is None
    assert all(result.combined is None for result in results.principles)
    assert len(results.principles) == 12


# --- Eligibility -------------------------------------------------------------------------------------------------


@pytest.fixture
def eligible_campaign(eloge):
    """Every rule met: self 75 everywhere (levels 3 and 3), 100 citizens answering 4 (75), submitted."""
    campaign = eloge.campaign
    assess_all(campaign, (3, 3))
    answer(campaign, "citizens", dict.fromkeys(range(1, 13), 4), times=100)
    submit(campaign)
    return campaign


def rules_by_wording(results) -> dict[str, bool]:
    return {rule.description: rule.met for rule in results.rules}


def test_every_rule_met(eligible_campaign):
    results = scoring.compute(fresh(eligible_campaign))

    assert results.overall == 75
    assert rules_by_wording(results) == {
        "The self-assessment is submitted.": True,
        "Every principle has a score.": True,
        "Every principle scores at least 50.": True,
        "The overall score is at least 60.": True,
        "At least 100 citizens answered (100 did).": True,
    }
    assert results.eligible


def test_rules_not_met_are_named_with_what_failed(eloge):
    campaign = eloge.campaign
    assess_all(campaign, (3, 3))
    IndicatorAssessment.objects.filter(campaign=campaign, indicator__principle__number=5).update(level=0)
    IndicatorAssessment.objects.filter(campaign=campaign, indicator__principle__number=12).delete()
    answer(campaign, "citizens", {number: 4 for number in range(1, 12)}, times=99)  # none on principle 12

    results = scoring.compute(fresh(campaign))

    # principle 5: self 0, citizens 75 -> (0 * 40 + 75 * 30) / 70 = 32.14 < 50; principle 12 has no score
    assert by_number(results)[5].combined == pytest.approx(2250 / 70)
    assert by_number(results)[12].combined is None
    # overall over the 11 scored: (10 * 75 + 32.142857) / 11 = 71.1
    assert results.overall == pytest.approx((750 + 2250 / 70) / 11)
    assert rules_by_wording(results) == {
        "The self-assessment is submitted.": False,
        "Every principle has a score (missing: 12).": False,
        "Every principle scores at least 50 (below: 5).": False,  # 12 is named as missing, not as low
        "The overall score is at least 60.": True,
        "At least 100 citizens answered (99 did).": False,
    }
    assert not results.eligible


def test_the_overall_threshold_is_the_cycles(eligible_campaign):
    cycle = eligible_campaign.cycle
    cycle.overall_threshold = 80
    cycle.save()

    results = scoring.compute(fresh(eligible_campaign))

    assert rules_by_wording(results)["The overall score is at least 80."] is False
    assert not results.eligible


# --- Cache -------------------------------------------------------------------------------------------------------


def test_results_are_cached_until_forgotten(eloge, django_assert_num_queries):
    campaign = fresh(eloge.campaign)
    answer(campaign, "citizens", {1: 5})

    with django_assert_num_queries(4):  # principles, survey answers, self-assessment levels, response counts
        first = scoring.results_for(campaign)
    answer_without_forgetting = Response.objects.create(campaign=campaign, audience="citizens")
    Answer.objects.create(
        response=answer_without_forgetting,
        item=Item.objects.get(code="CIT-01"),
        campaign=campaign,
        audience="citizens",
        principle_id=Item.objects.get(code="CIT-01").principle_id,
        value=1,
    )
    with django_assert_num_queries(0):
        cached = scoring.results_for(campaign)
    assert by_number(cached)[1].sources[Source.CITIZENS].score == by_number(first)[1].sources[Source.CITIZENS].score
    assert cached.campaign is campaign

    scoring.forget(campaign.pk)

    # answers 5 and 1 -> mean 3 -> 50
    assert by_number(scoring.results_for(campaign))[1].sources[Source.CITIZENS].score == 50


def test_changing_the_cycles_rules_drops_cached_results(eloge):
    campaign = eloge.campaign
    answer(campaign, "citizens", {1: 5}, times=1)
    assert scoring.results_for(campaign).rules[-1].description.startswith("At least 100 citizens")
    eloge.cycle.min_citizen_responses = 1
    eloge.cycle.save()
    assert scoring.results_for(fresh(campaign)).rules[-1].met
