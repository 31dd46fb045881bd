"""Results and accountability: accepted proposals become results once, dated updates move them (done only at
100 %), the public page shows what was promised and what was done in a fixed number of queries, and only
managers change anything."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civiclink.participation import following, results
from civiclink.participation.models import (
    Notification,
    Proposal,
    ProposalState,
    Result,
    ResultStatus,
    ResultUpdate,
    StateChange,
)
from support import at_once

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def process(make_process):
    return make_process(features=("proposals", "comments", "results"), title="Parks of Mostar")


@pytest.fixture
def make_proposal(process):
    counter = iter(range(1, 100_000))

    def make(state=ProposalState.ACCEPTED, **fields):
        number = next(counter)
        fields.setdefault("title", f"Proposal {number}")
        fields.setdefault("body", f"Why {number} matters.")
        return Proposal.objects.create(process=process, state=state, **fields)

    return make


def page_url(process, rest=""):
    return f"/en/participation/{process.slug}/results/{rest}"


def update(result, by, *, progress, status=ResultStatus.IN_PROGRESS, date=None, text="Work goes on."):
    return results.add_update(
        result, date=date or timezone.localdate(), text=text, progress=progress, status=status, by=by
    )


# --- Domain --------------------------------------------------------------------------------------------------------


def test_only_an_accepted_proposal_becomes_a_result(make_proposal, people):
    for state in (ProposalState.SUBMITTED, ProposalState.EVALUATION, ProposalState.REJECTED):
        proposal = make_proposal(state=state, answer="No budget." if state == ProposalState.REJECTED else "")
        with pytest.raises(results.NotAccepted, match="Only an accepted proposal can become a result"):
            results.from_proposal(proposal, by=people.officer)
    assert not Result.objects.exists()


def test_an_accepted_proposal_becomes_one_result_and_moves_to_in_progress(make_proposal, people):
    proposal = make_proposal(title="Benches in Zrinjevac park", body="Old ones are broken.")
    result = results.from_proposal(proposal, by=people.officer)
    assert (result.title, result.description, result.process_id) == (
        "Benches in Zrinjevac park",
        "Old ones are broken.",
        proposal.process_id,
    )
    assert (result.status, result.progress) == (ResultStatus.PLANNED, 0)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.IN_PROGRESS
    change = StateChange.objects.get(proposal=proposal)
    assert (change.old_state, change.new_state, change.changed_by) == ("accepted", "progress", people.officer)
    assert "results page" in change.reason

    assert results.from_proposal(proposal, by=people.officer) == result  # asking again changes nothing
    assert Result.objects.count() == 1 and StateChange.objects.count() == 1


def test_updates_move_the_result_and_done_needs_full_progress(make_proposal, people):
    proposal = make_proposal()
    result = results.from_proposal(proposal, by=people.officer)
    update(result, people.officer, progress=40)
    result.refresh_from_db()
    assert (result.status, result.progress) == (ResultStatus.IN_PROGRESS, 40)

    with pytest.raises(results.DoneNeedsFullProgress, match="only be marked as done at 100 % progress"):
        update(result, people.officer, progress=90, status=ResultStatus.DONE)
    assert result.updates.count() == 1

    update(result, people.officer, progress=100, status=ResultStatus.DONE, text="The benches are in place.")
    result.refresh_from_db()
    proposal.refresh_from_db()
    assert (result.status, result.progress) == (ResultStatus.DONE, 100)
    assert proposal.state == ProposalState.DONE
    assert proposal.state_changes.last().reason == "The benches are in place."


def test_an_update_dated_before_the_latest_completes_the_history_without_moving_the_result(make_proposal, people):
    result = results.from_proposal(make_proposal(), by=people.officer)
    update(result, people.officer, progress=60)
    update(result, people.officer, progress=20, date=timezone.localdate() - 30 * DAY, text="Forgotten report.")
    result.refresh_from_db()
    assert result.progress == 60
    assert [u.progress for u in result.updates.all()] == [60, 20]  # newest first


def test_followers_of_the_process_hear_about_results(make_proposal, people, process):
    following.follow(people.citizen, process)
    result = results.from_proposal(make_proposal(), by=people.officer)
    update(result, people.officer, progress=10, text="Tender published.")
    notes = Notification.objects.filter(user=people.citizen, event=Notification.Event.RESULT)
    assert notes.count() == 2
    assert notes.filter(text="Tender published.").exists()


def test_the_summary_counts_what_was_promised_and_done(process):
    made = [
        Result(process=process, title="a", status="done", progress=100, budget=Decimal("1000.50")),
        Result(process=process, title="b", status="progress", progress=50),
        Result(process=process, title="c", status="cancelled", progress=10, budget=Decimal("99")),
    ]
    assert results.summary(made) == {"count": 3, "done": 1, "average_progress": 75, "budget": Decimal("1000.50")}
    assert results.summary([]) == {"count": 0, "done": 0, "average_progress": 0, "budget": None}


# --- Public page -----------------------------------------------------------------------------------------------------


def test_the_public_page_shows_what_was_promised_and_what_was_done(client, make_proposal, people, process):
    proposal = make_proposal(title="Lights on the Old Bridge path")
    result = results.from_proposal(proposal, by=people.officer)
    Result.objects.filter(pk=result.pk).update(budget=Decimal("25000"))
    update(result, people.officer, progress=30, date=timezone.localdate() - 10 * DAY, text="Poles ordered.")
    update(result, people.officer, progress=100, status=ResultStatus.DONE, text="All twelve lights shine.")
    Result.objects.create(process=process, title="Playground in Bijeli Brijeg")

    response = client.get(page_url(process))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What was promised and what was done" in page
    start = page.index('class="stats results-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert re.search(r"<strong>2</strong>\s*results", summary)
    assert re.search(r"<strong>1</strong>\s*done", summary)
    assert "<strong>50 %</strong>" in summary and "25,000.00" in summary
    assert '<progress max="100" value="100"' in page and '<progress max="100" value="0"' in page
    assert f'href="/en/participation/{process.slug}/proposals/{proposal.pk}/"' in page
    assert page.index("All twelve lights shine.") < page.index("Poles ordered.")
    assert "No progress has been reported yet." in page  # the playground
    assert "style=" not in page and "csrfmiddlewaretoken" not in page


def test_the_public_page_queries_do_not_grow_with_the_number_of_results(
    client, process, people, django_assert_num_queries
):
    def add(count):
        for number in range(count):
            result = Result.objects.create(process=process, title=f"Result {number}", budget=Decimal("10"))
            ResultUpdate.objects.create(
                result=result, date=timezone.localdate(), text="x", progress=5, status="progress"
            )
            ResultUpdate.objects.create(
                result=result, date=timezone.localdate(), text="y", progress=6, status="progress"
            )

    add(5)
    client.get(page_url(process))  # warms up what any first request loads
    with CaptureQueriesContext(connection) as five:
        client.get(page_url(process))
    add(35)
    with django_assert_num_queries(len(five)):
        page = client.get(page_url(process)).content.decode()
    assert page.count('<progress max="100"') == 40


def test_the_result_page_lists_its_updates(client, make_proposal, people, process):
    result = results.from_proposal(make_proposal(title="Trees"), by=people.officer)
    update(result, people.officer, progress=45, text="Half the trees are planted.")
    page = client.get(page_url(process, f"{result.pk}/")).content.decode()
    assert "Trees" in page and "Half the trees are planted." in page and "45 %" in page
    assert "Report progress" not in page


# --- Managers -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "citizen", "org_member", "moderator"])
def test_only_managers_change_results(client, make_proposal, people, process, role):
    if (user := getattr(people, role)) is not None:
        client.force_login(user)
    proposal = make_proposal()
    result = Result.objects.create(process=process, title="Fountain")
    assert client.post(page_url(process, f"from-proposal/{proposal.pk}/")).status_code == 403
    assert client.get(page_url(process, f"{result.pk}/edit/")).status_code == 403
    form = {"date": timezone.localdate().isoformat(), "status": "progress", "progress": "50", "text": "Done half."}
    assert client.post(page_url(process, f"{result.pk}/updates/"), form).status_code == 403
    assert Result.objects.count() == 1 and not ResultUpdate.objects.exists()
    assert "Report progress" not in client.get(page_url(process, f"{result.pk}/")).content.decode()


def test_an_officer_turns_an_accepted_proposal_into_a_result(client, make_proposal, people, process):
    accepted = make_proposal(title="Clean the Radobolja")
    submitted = make_proposal(state=ProposalState.SUBMITTED, title="Paint the school")
    client.force_login(people.officer)
    page = client.get(page_url(process)).content.decode()
    assert "Accepted proposals without a result" in page and "Clean the Radobolja" in page
    assert "Paint the school" not in page

    response = client.post(page_url(process, f"from-proposal/{submitted.pk}/"))
    assert response.status_code == 409
    assert "Only an accepted proposal can become a result. Accept the proposal first." in response.content.decode()

    response = client.post(page_url(process, f"from-proposal/{accepted.pk}/"))
    result = Result.objects.get()
    assert response.status_code == 303 and response["Location"] == page_url(process, f"{result.pk}/")
    assert client.post(page_url(process, f"from-proposal/{accepted.pk}/")).status_code == 303
    assert Result.objects.count() == 1
    assert "Every accepted proposal already has its result." in client.get(page_url(process)).content.decode()


def test_an_officer_reports_progress_and_bad_updates_come_back_with_what_was_typed(client, people, process):
    result = Result.objects.create(process=process, title="Fountain")
    client.force_login(people.officer)
    address = page_url(process, f"{result.pk}/updates/")
    today = timezone.localdate()
    typed = {"date": today.isoformat(), "status": "done", "progress": "80", "text": "Water runs again."}

    response = client.post(address, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A result can only be marked as done at 100 % progress." in page and "Water runs again." in page

    for changes, error in [
        ({"date": (today + 3 * DAY).isoformat(), "status": "progress"}, "its date cannot be in the future"),
        ({"progress": "120", "status": "progress"}, "less than or equal to 100"),
        ({"progress": "a lot", "status": "progress"}, "Enter a whole number."),
        ({"status": "finished"}, "Select a valid choice."),
        ({"text": "x" * 10_001, "status": "progress"}, "at most 10000 characters"),
    ]:
        response = client.post(address, typed | changes)
        assert response.status_code == 400 and error in response.content.decode(), changes
    assert not ResultUpdate.objects.exists()

    response = client.post(address, typed | {"progress": "100"})
    assert response.status_code == 303
    result.refresh_from_db()
    assert (result.status, result.progress) == ("done", 100)


def test_an_officer_edits_what_a_result_promises_without_touching_its_progress(client, people, process):
    result = Result.objects.create(process=process, title="Fountain", progress=70, status="progress")
    client.force_login(people.officer)
    address = page_url(process, f"{result.pk}/edit/")
    form = {"title": "Fountain on Musala", "description": "Repair it.", "budget": "1500", "starts_on": "2025-03-01"}
    response = client.post(address, form | {"ends_on": "2025-01-01", "budget": "-5"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The planned end cannot come before the start." in page
    assert "Ensure this value is greater than or equal to 0." in page

    assert client.post(address, form | {"ends_on": "2025-09-30"}).status_code == 303
    result.refresh_from_db()
    assert (result.title, result.budget, result.progress, result.status) == (
        "Fountain on Musala",
        Decimal("1500"),
        70,
        "progress",
    )


def test_processes_without_results_have_no_results_page(client, make_process):
    other = make_process(features=("proposals",))
    assert client.get(page_url(other)).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_making_a_result_at_once_make_one(make_process, people):
    """The proposal's row is locked: the second request waits, then finds the first one's result."""
    process = make_process(features=("proposals", "results"))
    proposal = Proposal.objects.create(process=process, title="Shade", body="Trees.", state=ProposalState.ACCEPTED)

    def make(barrier, by):
        barrier.wait()
        return results.from_proposal(Proposal.objects.get(pk=proposal.pk), by=by).pk

    outcomes = at_once(make, [(people.officer,), (people.staff,), (people.officer,)], {})
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int)
    assert Result.objects.count() == 1 and StateChange.objects.filter(proposal=proposal).count() == 1
