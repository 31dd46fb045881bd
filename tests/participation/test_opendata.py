"""Open data of a process: CSV and JSON at stable addresses, under CC BY 4.0, without personal data or anything
hidden, poll counts only after closing, drafts not at all, and a number of queries that does not grow with the
data."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from civiclink.participation.models import (
    Ballot,
    Category,
    Choice,
    Comment,
    Poll,
    Proposal,
    Question,
    Result,
    ResultUpdate,
    Vote,
)

pytestmark = pytest.mark.django_db

LICENCE_LINK = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(body(response))))


def document(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def add_proposals(process, author, organisation, count: int, **fields) -> list[Proposal]:
    category, _created = Category.objects.get_or_create(process=process, name="Parks")
    return [
        Proposal.objects.create(
            process=process,
            title=f"Proposal {number}",
            body=f"Body {number}, written by Amra Hodžić, amra@example.org",
            category=category,
            author=author,
            organisation=organisation,
            **fields,
        )
        for number in range(count)
    ]


def comment(proposal, author, body: str, **fields) -> Comment:
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Proposal),
        object_id=proposal.pk,
        process=proposal.process,
        author=author,
        body=body,
        **fields,
    )


def closed_poll(process, votes: dict[str, int], **fields) -> Poll:
    now = timezone.now()
    fields.setdefault("opens_at", now - datetime.timedelta(days=10))
    fields.setdefault("closes_at", now - datetime.timedelta(days=1))
    poll = Poll.objects.create(process=process, title="Where should the new park go?", **fields)
    question = Question.objects.create(poll=poll, text="Choose a place")
    choice = Choice.objects.create(question=question, text="By the river")
    Choice.objects.create(question=question, text="Downtown")
    sources = [source for source, total in votes.items() for _vote in range(total)]
    for number, source in enumerate(sources):
        ballot = Ballot.objects.create(poll=poll, voter_key=f"key-{number}", source=source, cast_on=now.date())
        Vote.objects.create(ballot=ballot, poll=poll, question=question, choice=choice, source=source)
    return poll


@pytest.fixture
def data(make_process, people, world):
    process = make_process(title="Green Mostar")
    shown, answered = add_proposals(process, people.citizen, world.own, 2)
    Proposal.objects.filter(pk=answered.pk).update(answer="We will do it.", answered_at=timezone.now())
    (hidden,) = add_proposals(process, people.citizen, None, 1, visibility="hidden")
    visible = comment(shown, people.resident, "I agree, says resident@example.org", stance="for")
    comment(shown, people.officer, "Official answer", parent=visible, official=True)
    comment(shown, people.resident, "Removed by a moderator", visibility="hidden")
    comment(shown, people.resident, "Deleted by its author", deleted_at=timezone.now())
    comment(hidden, people.resident, "On a hidden proposal")
    closed_poll(process, {"web": 3, "paper": 2})
    closed_poll(
        process,
        {"web": 5},
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    result = Result.objects.create(process=process, proposal=answered, title="New park", progress=40, budget="12500.50")
    ResultUpdate.objects.create(
        result=result, date=datetime.date(2025, 5, 1), text="Started.", progress=40, status="progress"
    )
    return process


def url(process, name: str) -> str:
    return f"/en/participation/{process.slug}/data/{name}"


def test_the_index_lists_the_datasets_with_the_licence(client, data):
    response = client.get(url(data, ""))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page and "CC BY 4.0" in page
    for name in ("proposals", "comments", "polls", "results"):
        assert f'href="{url(data, name)}.csv"' in page and f'href="{url(data, name)}.json"' in page


def test_proposals_in_both_formats_without_authors_or_hidden_ones(client, data):
    table = rows(client.get(url(data, "proposals.csv")))
    assert [row["title"] for row in table] == ["Proposal 0", "Proposal 1"]
    assert list(table[0]) == [
        "id",
        "kind",
        "title",
        "body",
        "category",
        "community",
        "organisation",
        "state",
        "supports",
        "comments",
        "created",
        "answered",
        "answer",
    ]
    assert table[1]["answer"] == "We will do it." and table[1]["answered"].startswith(str(timezone.now().year))
    assert table[0]["organisation"] == "Centar za građanske inicijative" and table[0]["category"] == "Parks"

    json_document = document(client.get(url(data, "proposals.json")))
    assert json_document["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert json_document["licence"]["name"] == "CC BY 4.0"
    assert [item["title"] for item in json_document["items"]] == ["Proposal 0", "Proposal 1"]
    assert json_document["items"][0]["supports"] == 0 and json_document["items"][0]["answered"] is None
    serialised = json.dumps(json_document)
    assert "citizen@example.org" not in serialised and "author" not in serialised


def test_comments_leave_out_hidden_deleted_and_their_authors(client, data):
    table = rows(client.get(url(data, "comments.csv")))
    assert [row["body"] for row in table] == ["I agree, says resident@example.org", "Official answer"]
    assert table[1]["parent"] == table[0]["id"] and table[1]["official"] == "true"
    assert table[0]["stance"] == "for" and table[0]["parent"] == ""
    items = document(client.get(url(data, "comments.json")))["items"]
    assert set(items[0]) == {"id", "proposal", "parent", "stance", "official", "created", "body"}
    assert items[1]["official"] is True and items[1]["parent"] == items[0]["id"]


def test_poll_counts_per_source_only_once_closed(client, data):
    table = rows(client.get(url(data, "polls.csv")))
    counts = {(row["choice_text"], row["source"]): int(row["count"]) for row in table}
    assert counts == {
        ("By the river", "web"): 3,
        ("By the river", "bench"): 0,
        ("By the river", "paper"): 2,
        ("Downtown", "web"): 0,
        ("Downtown", "bench"): 0,
        ("Downtown", "paper"): 0,
    }  # the open poll's five votes are not public yet
    items = document(client.get(url(data, "polls.json")))["items"]
    assert items[0]["poll_title"] == "Where should the new park go?" and items[0]["count"] == 3


def test_results_with_budget_and_updates(client, data):
    (row,) = rows(client.get(url(data, "results.csv")))
    assert (row["title"], row["progress"], row["budget"], row["updates"]) == ("New park", "40", "12500.50", "1")
    (item,) = document(client.get(url(data, "results.json")))["items"]
    assert item["budget"] == 12500.5 and item["proposal"] == Proposal.objects.get(title="Proposal 1").pk


def test_files_state_the_licence_and_may_be_read_from_other_sites(client, data):
    for name in ("proposals.csv", "comments.json", "polls.csv", "results.json"):
        response = client.get(url(data, name))
        assert response.status_code == 200 and response.streaming
        assert response["Link"] == LICENCE_LINK
        assert response["Access-Control-Allow-Origin"] == "*"
    assert not body(client.get(url(data, "proposals.csv"))).startswith("#")  # no comment lines


def test_drafts_unknown_datasets_and_switched_off_features_are_404(client, make_process, people, data):
    draft = make_process(title="Draft", published=False)
    client.force_login(people.officer)  # even its managers: a draft's data are not open
    assert client.get(url(draft, "")).status_code == 404
    assert client.get(url(draft, "proposals.csv")).status_code == 404
    assert client.get(url(data, "authors.csv")).status_code == 404
    assert client.get(url(data, "proposals.xml")).status_code == 404
    no_polls = make_process(title="Only proposals", features=("proposals",))
    assert client.get(url(no_polls, "polls.json")).status_code == 404
    assert "polls.csv" not in client.get(url(no_polls, "")).content.decode()


@pytest.mark.parametrize("name", ["proposals.csv", "comments.json", "polls.json", "results.csv"])
def test_the_number_of_queries_does_not_grow_with_the_data(
    client, data, people, world, name, django_assert_num_queries
):
    def queries_for() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            body(client.get(url(data, name)))
        return len(captured)

    before = queries_for()
    more = add_proposals(data, people.citizen, world.own, 30)
    for proposal in more:
        comment(proposal, people.resident, "More")
    closed_poll(data, {"bench": 4})
    Result.objects.create(process=data, title="Another", progress=10)
    assert queries_for() == before
    with django_assert_num_queries(before):
        body(client.get(url(data, name)))
