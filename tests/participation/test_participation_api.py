"""The participation API: everyone reads what a visitor without an account sees; writes need the site's session and
CSRF token and the same rights as the pages; refusals are JSON that say why, with the fitting status."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from civiclink.participation import following, proposals
from civiclink.participation.models import Ballot, Category, Choice, Poll, Proposal, Question, Result, ResultUpdate

pytestmark = pytest.mark.django_db

API = "/api/v1/participation"


def post(client, path: str, data=None, **extra):
    return client.post(API + path, json.dumps(data or {}), content_type="application/json", **extra)


def make_poll(process, show_results=Poll.ShowResults.AFTER_VOTING, **fields) -> Poll:
    now = timezone.now()
    fields.setdefault("title", "Park or parking?")
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + datetime.timedelta(days=7))
    poll = Poll.objects.create(process=process, show_results=show_results, **fields)
    question = Question.objects.create(poll=poll, text="What do you prefer?")
    Choice.objects.create(question=question, text="A park")
    Choice.objects.create(question=question, text="A car park")
    return poll


@pytest.fixture
def process(make_process, people):
    """A published process in Mostar: supports and submissions for registered users, votes for anyone."""
    process = make_process(title="Green Mostar", summary="Ideas for a greener city.")
    Category.objects.create(process=process, name="Parks")
    for number, title in enumerate(["Trees on Rondo", "Bike lanes", "A new playground"]):
        created = proposals.create_proposal(process, author=people.citizen, title=title, body=f"Body {number}.")
        Proposal.objects.filter(pk=created.pk).update(support_count=number, comment_count=3 - number)
    return process


def by_title(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


# --- The OpenAPI document ------------------------------------------------------------------------------------------


def test_the_openapi_document_lists_the_participation_paths(client):
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    reads = {
        "/api/v1/participation/processes",
        "/api/v1/participation/processes/{slug}",
        "/api/v1/participation/processes/{slug}/proposals",
        "/api/v1/participation/proposals/{id}",
        "/api/v1/participation/processes/{slug}/polls",
        "/api/v1/participation/polls/{id}/results",
        "/api/v1/participation/processes/{slug}/results",
    }
    assert reads <= set(paths)
    for path in reads:
        assert paths[path]["get"]["tags"] == ["participation"] and "security" not in paths[path]["get"]
    writes = [
        ("/api/v1/participation/processes/{slug}/proposals", "post"),
        ("/api/v1/participation/proposals/{id}/support", "post"),
        ("/api/v1/participation/proposals/{id}/support", "delete"),
        ("/api/v1/participation/polls/{id}/votes", "post"),
    ]
    for path, method in writes:
        assert paths[path][method]["security"], (path, method)
    parameters = {p["name"] for p in paths["/api/v1/participation/processes/{slug}/proposals"]["get"]["parameters"]}
    assert {"state", "kind", "category", "q", "ordering", "limit", "offset"} <= parameters


# --- Reading -------------------------------------------------------------------------------------------------------


def test_processes_are_listed_for_everyone_drafts_not(client, process, make_process):
    make_process(title="Secret draft", published=False)
    response = client.get(f"{API}/processes")
    assert response.status_code == 200
    (listed,) = response.json()
    assert listed["slug"] == "green-mostar" and listed["municipality"] == "mostar"
    assert listed["current_phase"] == "Proposals" and "supports" in listed["features"]
    assert listed["url"] == "/en/participation/green-mostar/"  # links follow the language of the request
    english = client.get(f"{API}/processes", headers={"accept-language": "en"}).json()
    assert english[0]["url"] == "/en/participation/green-mostar/"


def test_one_process_says_what_the_caller_may_do(client, process, people):
    anonymous = client.get(f"{API}/processes/green-mostar").json()
    assert anonymous["categories"][0]["name"] == "Parks"
    assert anonymous["phases"][0]["current"] is True
    assert anonymous["opendata"] == "/en/participation/green-mostar/data/"
    support = anonymous["may"]["supports.support"]
    assert support["allowed"] is False and support["need"] == "login" and support["reason"].startswith("Log in")
    assert anonymous["may"]["polls.vote"]["allowed"] is True
    client.force_login(people.citizen)
    assert client.get(f"{API}/processes/green-mostar").json()["may"]["supports.support"]["allowed"] is True


def test_drafts_and_unknown_processes_are_404_with_a_message(client, make_process, people):
    make_process(title="Draft", published=False)
    response = client.get(f"{API}/processes/draft")
    assert response.status_code == 404 and response.json() == {"detail": "There is no such process."}
    assert client.get(f"{API}/processes/atlantis/proposals").status_code == 404
    client.force_login(people.officer)  # its managers see it, as on the site
    assert client.get(f"{API}/processes/draft").status_code == 200


def test_proposals_filter_search_order_and_page(client, process):
    hidden = Proposal.objects.get(title="Bike lanes")
    assert by_title(client.get(f"{API}/processes/green-mostar/proposals?ordering=supported")) == [
        "A new playground",
        "Bike lanes",
        "Trees on Rondo",
    ]
    assert by_title(client.get(f"{API}/processes/green-mostar/proposals?ordering=commented"))[0] == "Trees on Rondo"
    assert by_title(client.get(f"{API}/processes/green-mostar/proposals?q=rondo")) == ["Trees on Rondo"]
    Proposal.objects.filter(pk=hidden.pk).update(state="accepted")
    assert by_title(client.get(f"{API}/processes/green-mostar/proposals?state=accepted")) == ["Bike lanes"]
    page = client.get(f"{API}/processes/green-mostar/proposals?ordering=supported&limit=2&offset=2").json()
    assert page["count"] == 3 and [item["title"] for item in page["items"]] == ["Trees on Rondo"]
    item = page["items"][0]
    assert item["url"] == f"/en/participation/green-mostar/proposals/{item['id']}/"
    assert "author" not in item
    Proposal.objects.filter(pk=hidden.pk).update(visibility="hidden")
    assert "Bike lanes" not in by_title(client.get(f"{API}/processes/green-mostar/proposals"))
    assert client.get(f"{API}/processes/green-mostar/proposals?state=nonsense").status_code == 422
    assert client.get(f"{API}/processes/green-mostar/proposals?limit=1000").json()["count"] == 2


def test_the_proposal_list_costs_the_same_queries_for_more_proposals(
    client, process, people, django_assert_num_queries
):
    path = f"{API}/processes/green-mostar/proposals"
    # the process with features, phases and capabilities; the count; the page with categories, communities...
    with django_assert_num_queries(6):
        client.get(path)
    for number in range(10):
        proposals.create_proposal(process, author=people.resident, title=f"More {number}", body="More.")
    with django_assert_num_queries(6):
        assert len(client.get(path).json()["items"]) == 13


def test_one_proposal_with_its_history_and_endorsements(client, process, people, world):
    proposal = Proposal.objects.get(title="Trees on Rondo")
    proposals.endorse(proposal, world.own, by=people.org_member)
    proposals.change_state(proposal, "accepted", by=people.officer, reason="Good idea.")
    response = client.get(f"{API}/proposals/{proposal.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "accepted" and data["process"] == "green-mostar"
    assert data["endorsed_by"] == ["Centar za građanske inicijative"]
    assert [(h["old_state"], h["new_state"], h["reason"]) for h in data["history"]] == [
        ("submitted", "accepted", "Good idea.")
    ]
    Proposal.objects.filter(pk=proposal.pk).update(visibility="pending")
    assert client.get(f"{API}/proposals/{proposal.pk}").json() == {"detail": "There is no such proposal."}


def test_polls_and_their_results_when_public(client, process, people):
    after_closing = make_poll(process, Poll.ShowResults.AFTER_CLOSING)
    make_poll(process, title="Without questions").questions.all().delete()
    (listed,) = client.get(f"{API}/processes/green-mostar/polls").json()
    assert listed["id"] == after_closing.pk and listed["open"] is True
    assert [c["text"] for c in listed["questions"][0]["choices"]] == ["A park", "A car park"]

    response = client.get(f"{API}/polls/{after_closing.pk}/results")
    assert response.status_code == 403
    assert response.json() == {"detail": "The results will be shown when the poll closes."}
    Poll.objects.filter(pk=after_closing.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=3), closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    Ballot.objects.create(poll=after_closing, voter_key="paper-1", source="paper", cast_on=timezone.localdate())
    results = client.get(f"{API}/polls/{after_closing.pk}/results").json()
    assert results["closed"] is True and results["ballots"] == {"web": 0, "bench": 0, "paper": 1}
    assert [c["text"] for c in results["questions"][0]["choices"]] == ["A park", "A car park"]


def test_results_with_their_updates(client, make_process):
    process = make_process(title="Finished", features=("proposals", "results"))
    result = Result.objects.create(process=process, title="New park", progress=60, budget="1000.00")
    ResultUpdate.objects.create(
        result=result, date=datetime.date(2025, 3, 1), text="Half.", progress=50, status="progress"
    )
    ResultUpdate.objects.create(
        result=result, date=datetime.date(2025, 4, 1), text="More.", progress=60, status="progress"
    )
    (item,) = client.get(f"{API}/processes/finished/results").json()
    assert (item["title"], item["progress"], item["budget"]) == ("New park", 60, "1000.00")
    assert [update["text"] for update in item["updates"]] == ["More.", "Half."]
    assert client.get(f"{API}/processes/finished/polls").status_code == 404  # the process has no polls


# --- Writing -------------------------------------------------------------------------------------------------------


def test_writes_need_a_session(client, process):
    proposal = Proposal.objects.first()
    for path in ("/processes/green-mostar/proposals", f"/proposals/{proposal.pk}/support"):
        response = post(client, path, {"title": "x", "body": "y"})
        assert response.status_code == 401 and response.json() == {"detail": "Log in to do this."}


def test_writes_need_the_csrf_token(process, people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.citizen)
    response = post(browser, "/processes/green-mostar/proposals", {"title": "Benches", "body": "More benches."})
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    browser.get("/en/participation/notifications/")  # any page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = post(
        browser,
        "/processes/green-mostar/proposals",
        {"title": "Benches", "body": "More benches."},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_creating_a_proposal(client, process, people):
    client.force_login(people.resident)
    category = Category.objects.get()
    response = post(
        client,
        "/processes/green-mostar/proposals",
        {"kind": "problem", "title": "Broken lamp", "body": "The lamp on Fejića is broken.", "category": category.pk},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["title"], data["category"], data["state"]) == (
        "problem",
        "Broken lamp",
        "Parks",
        "submitted",
    )
    created = Proposal.objects.get(pk=data["id"])
    assert created.author == people.resident and following.is_following(people.resident, created)


def test_a_proposal_with_bad_fields_is_refused_whole(client, process, people):
    client.force_login(people.resident)
    before = Proposal.objects.count()
    response = post(client, "/processes/green-mostar/proposals", {"title": "x" * 151, "body": "", "category": 999})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"title", "body", "category"} <= set(errors)
    assert "150" in errors["title"][0]
    assert post(client, "/processes/green-mostar/proposals", {"title": 5}).status_code == 422  # no body at all
    assert Proposal.objects.count() == before


def test_refusals_say_what_would_help(client, make_process, people):
    make_process(title="Residents only", capabilities={"proposals.submit": "resident", "supports.support": "resident"})
    client.force_login(people.citizen)
    response = post(client, "/processes/residents-only/proposals", {"title": "Benches", "body": "More benches."})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("You need to be a verified resident of Mostar")
    client.force_login(people.resident)
    assert post(client, "/processes/residents-only/proposals", {"title": "Benches", "body": "More."}).status_code == 201


def test_the_same_text_twice_is_refused(client, process, people):
    client.force_login(people.resident)
    first = post(client, "/processes/green-mostar/proposals", {"title": "Benches", "body": "More benches, please."})
    again = post(client, "/processes/green-mostar/proposals", {"title": "Benches!", "body": "More benches, please."})
    assert first.status_code == 201 and again.status_code == 409
    assert again.json()["detail"] == "You have already sent exactly this text. Repeated messages are not accepted."


def test_supporting_once(client, process, people):
    proposal = Proposal.objects.get(title="Trees on Rondo")
    client.force_login(people.resident)
    response = post(client, f"/proposals/{proposal.pk}/support")
    assert response.status_code == 201 and response.json()["supports"] == 1
    again = post(client, f"/proposals/{proposal.pk}/support")
    assert again.status_code == 409 and again.json()["detail"] == "You already support this proposal."
    withdrawn = client.delete(f"{API}/proposals/{proposal.pk}/support")
    assert withdrawn.status_code == 200 and withdrawn.json()["supports"] == 0
    assert client.delete(f"{API}/proposals/{proposal.pk}/support").status_code == 409


def test_support_refusals(client, make_process, process, people):
    client.force_login(people.citizen)
    closed = Proposal.objects.get(title="Bike lanes")
    Proposal.objects.filter(pk=closed.pk).update(state="done")
    response = post(client, f"/proposals/{closed.pk}/support")
    assert response.status_code == 409 and "no longer" in response.json()["detail"]
    assert post(client, "/proposals/999999/support").status_code == 404
    no_supports = make_process(title="No supports", features=("proposals",))
    other = proposals.create_proposal(no_supports, author=people.citizen, title="Alone", body="Alone.")
    assert post(client, f"/proposals/{other.pk}/support").status_code == 404
    client.force_login(people.unverified)
    limited = make_process(title="Verified only", capabilities={"supports.support": "verified"})
    verified_only = proposals.create_proposal(limited, author=people.citizen, title="Lights", body="Lights.")
    response = post(client, f"/proposals/{verified_only.pk}/support")
    assert response.status_code == 403 and response.json()["detail"].startswith("Verify your e-mail address")


def test_voting_once_and_seeing_the_results_after(client, process, people):
    poll = make_poll(process)
    question = poll.questions.get()
    park = question.choices.get(text="A park")
    client.force_login(people.citizen)
    assert client.get(f"{API}/polls/{poll.pk}/results").status_code == 403

    invalid = post(client, f"/polls/{poll.pk}/votes", {"answers": {str(question.pk): 999_999}})
    assert invalid.status_code == 422 and invalid.json()["errors"] == {
        str(question.pk): ["Please choose one of the answers offered."]
    }
    response = post(client, f"/polls/{poll.pk}/votes", {"answers": {str(question.pk): park.pk}})
    assert response.status_code == 201
    assert response.json()["results"] == f"/api/v1/participation/polls/{poll.pk}/results"
    again = post(client, f"/polls/{poll.pk}/votes", {"answers": {str(question.pk): park.pk}})
    assert again.status_code == 409 and again.json()["detail"] == "You have already voted in this poll."

    results = client.get(f"{API}/polls/{poll.pk}/results").json()
    assert results["ballots"]["web"] == 1 and results["questions"][0]["choices"][0]["counts"]["web"] == 1


def test_a_closed_poll_takes_no_votes(client, process, people):
    poll = make_poll(
        process,
        opens_at=timezone.now() - datetime.timedelta(days=3),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    question = poll.questions.get()
    client.force_login(people.citizen)
    response = post(client, f"/polls/{poll.pk}/votes", {"answers": {str(question.pk): question.choices.first().pk}})
    assert response.status_code == 409 and response.json()["detail"].startswith("This poll closed on")
    assert not Ballot.objects.exists()
