"""The self-assessment as the ELoGE team uses it: filling in indicators with and without JavaScript, two people
saving the same indicator, evidence, progress and submission, and who may change what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from civiclink.governance import assessment, scoring
from civiclink.governance.models import (
    Benchmark,
    Evidence,
    Indicator,
    IndicatorAssessment,
    Outcome,
    Phase,
    Source,
    TeamMember,
)
from support import at_once

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_HX_REQUEST": "true"}


def save_url(campaign, indicator) -> str:
    return f"/en/governance/campaigns/{campaign.pk}/self-assessment/indicators/{indicator.pk}/"


def page_url(campaign, number: int) -> str:
    return f"/en/governance/campaigns/{campaign.pk}/self-assessment/{number}/"


def overview_url(campaign) -> str:
    return f"/en/governance/campaigns/{campaign.pk}/self-assessment/"


def indicator_data(indicator, level=None, justification="", revision=0) -> dict:
    prefix = f"indicator-{indicator.pk}"
    return {
        f"{prefix}-level": "" if level is None else str(level),
        f"{prefix}-justification": justification,
        f"{prefix}-revision": str(revision),
    }


def first_indicator(eloge) -> Indicator:
    return Indicator.objects.get(benchmark=eloge.benchmark, code="1.1")


def fill_in(eloge, skip: int = 0) -> None:
    """Every active indicator with a level and a justification, except the last `skip` ones."""
    indicators = list(Indicator.objects.filter(benchmark=eloge.benchmark).order_by("principle__number", "position"))
    for indicator in indicators[: len(indicators) - skip]:
        IndicatorAssessment.objects.create(
            campaign=eloge.campaign, indicator=indicator, level=3, justification="The council adopted it.", revision=1
        )


# --- Saving an indicator -------------------------------------------------------------------------------------


def test_officer_saves_an_indicator_without_javascript(client, eloge):
    indicator = first_indicator(eloge)
    client.force_login(eloge.officer)
    response = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 2, "Rules exist since 2021."))
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(eloge.campaign, 1)}#indicator-{indicator.pk}"
    saved = IndicatorAssessment.objects.get(campaign=eloge.campaign, indicator=indicator)
    assert (saved.level, saved.justification, saved.revision, saved.updated_by) == (
        2,
        "Rules exist since 2021.",
        1,
        eloge.officer,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Rules exist since 2021." in page
    assert "Indicator 1.1: Saved at" in page


def test_autosave_answers_with_the_status_fragment_and_the_new_revision(client, eloge):
    indicator = first_indicator(eloge)
    client.force_login(eloge.officer)
    response = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 1, "Draft"), **FRAGMENT)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-state="saved"' in body and 'data-revision="1"' in body
    assert "Saved at" in body and "<html" not in body

    again = client.post(
        save_url(eloge.campaign, indicator), indicator_data(indicator, 1, "Draft, longer", 1), **FRAGMENT
    )
    assert 'data-revision="2"' in again.content.decode()
    assert IndicatorAssessment.objects.get(indicator=indicator).justification == "Draft, longer"


def test_a_stale_revision_is_refused_with_both_versions_and_nothing_overwritten(client, eloge, make_user):
    indicator = first_indicator(eloge)
    colleague = make_user("colleague@example.org", first_name="Amra", last_name="Hodžić")
    TeamMember.objects.create(campaign=eloge.campaign, user=colleague, role=TeamMember.Role.OFFICER)
    assessment.save_indicator(
        eloge.campaign, indicator, level=3, justification="Their careful text.", revision=0, user=colleague
    )
    client.force_login(eloge.officer)

    response = client.post(
        save_url(eloge.campaign, indicator), indicator_data(indicator, 1, "My own words.", revision=0), **FRAGMENT
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-state="conflict"' in body and 'data-revision="1"' in body
    assert "Their careful text." in body and "My own words." in body
    assert "Established (3)" in body and "Initial (1)" in body
    assert "Amra Hodžić saved this indicator at" in body

    page = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 1, "My own words.", revision=0))
    assert page.status_code == 409
    html = page.content.decode()
    assert "Their careful text." in html
    assert ">My own words.</textarea>" in html.replace("\n", "")  # what was typed stays in the form
    assert f'name="indicator-{indicator.pk}-revision" value="1"' in html  # saving again is now deliberate

    kept = IndicatorAssessment.objects.get(indicator=indicator)
    assert (kept.level, kept.justification, kept.revision, kept.updated_by) == (3, "Their careful text.", 1, colleague)


def test_first_saves_racing_end_in_a_conflict_not_a_crash(eloge):
    """Both forms were loaded before any row existed: the unique constraint decides, the loser gets a conflict."""
    indicator = first_indicator(eloge)
    assessment.save_indicator(eloge.campaign, indicator, level=2, justification="First", revision=0, user=eloge.officer)
    with pytest.raises(assessment.StaleRevision) as stale:
        assessment.save_indicator(
            eloge.campaign, indicator, level=4, justification="Second", revision=0, user=eloge.officer
        )
    assert stale.value.current.justification == "First"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_revision_at_once(eloge):
    """Both saves start from revision 1 at the same moment; the conditional UPDATE lets exactly one through."""
    indicator = first_indicator(eloge)
    assessment.save_indicator(eloge.campaign, indicator, level=1, justification="Start", revision=0, user=eloge.officer)

    def save(barrier, text):
        barrier.wait()
        assessment.save_indicator(
            eloge.campaign, indicator, level=2, justification=text, revision=1, user=eloge.officer
        )
        return "saved"

    assert at_once(save, [("A",), ("B",)], {assessment.StaleRevision: "conflict"}) == ["conflict", "saved"]
    assert IndicatorAssessment.objects.get(indicator=indicator).revision == 2


def test_a_level_outside_the_scale_is_refused(client, eloge):
    indicator = first_indicator(eloge)
    client.force_login(eloge.officer)
    response = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 7, "Kept text"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a level from 0 to 4." in html
    assert "Kept text</textarea>" in html
    fragment = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 5), **FRAGMENT)
    assert fragment.status_code == 400
    assert "Not saved: Choose a level from 0 to 4." in fragment.content.decode()
    assert not IndicatorAssessment.objects.exists()
    with pytest.raises(assessment.AssessmentError):
        assessment.save_indicator(eloge.campaign, indicator, level=-1, justification="", revision=0, user=None)


def test_saving_drops_the_cached_results(eloge):
    indicator = first_indicator(eloge)
    assert scoring.results_for(eloge.campaign).principles[0].sources[Source.SELF].score is None
    assessment.save_indicator(eloge.campaign, indicator, level=4, justification="", revision=0, user=eloge.officer)
    assert scoring.results_for(eloge.campaign).principles[0].sources[Source.SELF].score == 100


@pytest.mark.parametrize("who", ["mentor", "evaluator", "outsider", "platform_staff"])
def test_only_team_officers_may_change_the_self_assessment(client, eloge, who):
    indicator = first_indicator(eloge)
    client.force_login(getattr(eloge, who))
    assert client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 2, "x")).status_code == 403
    fragment = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 2, "x"), **FRAGMENT)
    assert fragment.status_code == 403
    evidence = client.post(
        f"{save_url(eloge.campaign, indicator)}evidence/",
        {f"evidence-{indicator.pk}-title": "Decision", f"evidence-{indicator.pk}-url": "https://mostar.ba/odluka"},
    )
    assert evidence.status_code == 403
    assert not IndicatorAssessment.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in(client, eloge):
    indicator = first_indicator(eloge)
    response = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 2, "x"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "/accounts/login/" in client.get(overview_url(eloge.campaign))["Location"]
    assert not IndicatorAssessment.objects.exists()


def test_the_mentor_reads_but_gets_no_form(client, eloge):
    indicator = first_indicator(eloge)
    assessment.save_indicator(eloge.campaign, indicator, level=2, justification="Seen", revision=0, user=eloge.officer)
    client.force_login(eloge.mentor)
    html = client.get(page_url(eloge.campaign, 1)).content.decode()
    assert "Seen" in html and "Developing (2)" in html
    assert "<textarea" not in html and 'type="radio"' not in html and "governance-assessment.js" not in html


def test_outsiders_cannot_read_the_self_assessment(client, eloge):
    client.force_login(eloge.outsider)
    assert client.get(overview_url(eloge.campaign)).status_code == 403
    assert client.get(page_url(eloge.campaign, 1)).status_code == 403


# --- The pages -----------------------------------------------------------------------------------------------


def test_principle_page_is_labelled_for_keyboard_and_screen_reader_use(client, eloge, django_assert_max_num_queries):
    client.force_login(eloge.officer)
    assessment.save_indicator(
        eloge.campaign, first_indicator(eloge), level=1, justification="", revision=0, user=eloge.officer
    )
    with django_assert_max_num_queries(11):
        response = client.get(page_url(eloge.campaign, 1))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 2 and "<legend>Maturity level</legend>" in html
    indicator = first_indicator(eloge)
    # each radio's label starts with the level's name, then what the level means for this indicator
    assert (
        f'<label for="id_indicator-{indicator.pk}-level_0"><span class="level-name">Not in place</span> '
        '<span class="level-number">(0)</span> — <span class="level-text">Level 0</span></label>'
    ) in html
    assert f'<label for="id_indicator-{indicator.pk}-justification">Justification:</label>' in html
    assert 'role="status" aria-live="polite"' in html
    assert f'data-draft-key="civiclink:self-assessment:{eloge.campaign.pk}:{indicator.pk}"' in html
    assert "<script" in html and "governance-assessment.js" in html
    assert "checked" in html  # the saved level is chosen


def test_principle_page_queries_do_not_grow_with_evidence(client, eloge, django_assert_max_num_queries):
    client.force_login(eloge.officer)
    for indicator in Indicator.objects.filter(principle__number=1):
        for number in range(3):
            assessment.add_evidence(
                eloge.campaign, indicator, title=f"Link {number}", url=f"https://e.ba/{number}", user=eloge.officer
            )
    with django_assert_max_num_queries(11):
        html = client.get(page_url(eloge.campaign, 1)).content.decode()
    assert html.count("https://e.ba/2") == 2


def test_indicators_of_the_2023_benchmark_are_grouped_by_outcome(client, eloge):
    principle = eloge.benchmark.principles.get(number=1)
    outcome = Outcome.objects.create(principle=principle, code="1.A", position=1, statement="People take part.")
    Indicator.objects.filter(principle=principle).update(outcome=outcome)
    client.force_login(eloge.officer)
    html = client.get(page_url(eloge.campaign, 1)).content.decode()
    assert '<h2 class="outcome">1.A <span lang="bs">People take part.</span></h2>' in html
    assert html.count('<h3 id="indicator-') == 2


def test_retired_indicators_are_not_asked(client, eloge):
    Indicator.objects.filter(code="1.2").update(retired=True)
    client.force_login(eloge.officer)
    html = client.get(page_url(eloge.campaign, 1)).content.decode()
    assert "Indicator 1.1 holds." in html and "Indicator 1.2 holds." not in html
    assert assessment.progress(eloge.campaign).total == 23


def test_overview_shows_progress_per_principle(client, eloge, django_assert_max_num_queries):
    fill_in(eloge, skip=1)
    IndicatorAssessment.objects.filter(indicator__code="1.1").update(justification="")
    client.force_login(eloge.officer)
    with django_assert_max_num_queries(9):  # 8, and the officer's municipal roles for the link to the benches
        response = client.get(overview_url(eloge.campaign))
    html = response.content.decode()
    assert "23 of 24 indicators have a level." in html
    assert '<progress max="2" value="1" aria-hidden="true"></progress> <span class="progress-text">1 of 2' in html
    assert "2 indicators still need a level and a justification before you can submit." in html
    assert 'disabled aria-describedby="submit-blocked"' in html
    assert f'href="{page_url(eloge.campaign, 12)}"' in html


# --- Evidence ------------------------------------------------------------------------------------------------


def test_evidence_file_and_link_are_added_read_and_removed(client, eloge, django_capture_on_commit_callbacks):
    indicator = first_indicator(eloge)
    url = f"{save_url(eloge.campaign, indicator)}evidence/"
    prefix = f"evidence-{indicator.pk}"
    client.force_login(eloge.officer)
    upload = SimpleUploadedFile("odluka.pdf", b"%PDF-1.4 decision", content_type="application/pdf")
    assert client.post(url, {f"{prefix}-title": "Council decision", f"{prefix}-file": upload}).status_code == 302
    assert client.post(url, {f"{prefix}-title": "Minutes", f"{prefix}-url": "mostar.ba/zapisnik"}).status_code == 302
    document, link = Evidence.objects.order_by("pk")
    assert document.file.name.endswith(".pdf") and document.added_by == eloge.officer
    assert link.url == "https://mostar.ba/zapisnik"

    client.force_login(eloge.mentor)
    html = client.get(page_url(eloge.campaign, 1)).content.decode()
    assert "Council decision" in html and "https://mostar.ba/zapisnik" in html
    file_url = f"/en/governance/campaigns/{eloge.campaign.pk}/self-assessment/evidence/{document.pk}/"
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 decision"
    assert "attachment" in download["Content-Disposition"]
    client.force_login(eloge.outsider)
    assert client.get(file_url).status_code == 403

    client.force_login(eloge.officer)
    storage, name = document.file.storage, document.file.name
    delete = f"{file_url}delete/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert list(Evidence.objects.all()) == [link]
    assert not storage.exists(name)


def test_evidence_needs_a_file_or_a_link_and_a_safe_type(client, eloge):
    indicator = first_indicator(eloge)
    url = f"{save_url(eloge.campaign, indicator)}evidence/"
    prefix = f"evidence-{indicator.pk}"
    client.force_login(eloge.officer)
    empty = client.post(url, {f"{prefix}-title": "Nothing attached"})
    assert empty.status_code == 400 and "Add a file or a link." in empty.content.decode()
    assert 'value="Nothing attached"' in empty.content.decode()
    script = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html")
    assert client.post(url, {f"{prefix}-title": "Page", f"{prefix}-file": script}).status_code == 400
    assert not Evidence.objects.exists()


# --- Submission ----------------------------------------------------------------------------------------------


def test_submission_is_refused_while_incomplete(client, eloge):
    fill_in(eloge, skip=1)
    client.force_login(eloge.officer)
    response = client.post(f"{overview_url(eloge.campaign)}submit/", follow=True)
    assert "1 indicator still needs a level and a justification." in response.content.decode()
    eloge.campaign.refresh_from_db()
    assert eloge.campaign.self_assessment_submitted_at is None


def test_submitted_self_assessment_is_read_only(client, eloge):
    fill_in(eloge)
    client.force_login(eloge.officer)
    response = client.post(f"{overview_url(eloge.campaign)}submit/", follow=True)
    assert "It can no longer be changed." in response.content.decode()
    eloge.campaign.refresh_from_db()
    assert eloge.campaign.self_assessment_submitted_at is not None
    assert eloge.campaign.self_assessment_submitted_by == eloge.officer

    indicator = first_indicator(eloge)
    assert client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 0, "late", 1)).status_code == 403
    late = client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 0, "late", 1), **FRAGMENT)
    assert late.status_code == 403 and "Not saved" in late.content.decode()
    assert client.post(f"{overview_url(eloge.campaign)}submit/").status_code == 403
    evidence = {f"evidence-{indicator.pk}-title": "Late", f"evidence-{indicator.pk}-url": "https://e.ba/late"}
    assert client.post(f"{save_url(eloge.campaign, indicator)}evidence/", evidence).status_code == 403
    assert IndicatorAssessment.objects.get(indicator=indicator).justification == "The council adopted it."
    html = client.get(page_url(eloge.campaign, 1)).content.decode()
    assert "<textarea" not in html and "has been submitted" in html


def test_the_self_assessment_is_closed_outside_its_phase(client, eloge):
    eloge.campaign.phase = Phase.REGISTRATION
    eloge.campaign.save()
    indicator = first_indicator(eloge)
    client.force_login(eloge.officer)
    assert client.post(save_url(eloge.campaign, indicator), indicator_data(indicator, 2)).status_code == 403


# --- Wording -------------------------------------------------------------------------------------------------


def test_level_names_in_serbian_latin_are_transliterated_entry_by_entry(eloge):
    benchmark = Benchmark.objects.create(
        key="sr-test",
        edition=2023,
        title="Тест",
        language="sr",
        maturity_levels=["Нема", "Почетно", "Развија се", "Успостављено", "Напредно"],
    )
    with translation.override("sr-latn"):
        assert [level.name for level in assessment.levels(benchmark)][:2] == ["Nema", "Početno"]
    with translation.override("sr"):
        assert assessment.level_name(benchmark, 4) == "Напредно"
