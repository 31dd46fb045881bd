"""The public pages of processes and proposals, as a visitor uses them: the list of processes, a process's
proposals (filters, search, orders, pages), the about page, a proposal's page, and the forms and buttons to
submit, edit, support, endorse and answer. A visitor who may not act is told what would let them; bad input
comes back with a clear error and nothing saved; the main pages cost a fixed number of queries."""

import datetime
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civiclink.core.i18n import search_key
from civiclink.moderation.models import Visibility
from civiclink.participation import queries
from civiclink.participation.models import (
    Category,
    Comment,
    Endorsement,
    Phase,
    PhaseCapability,
    Proposal,
    ProposalState,
    StateChange,
    Support,
)
from civiclink.places.models import LocalCommunity

from .test_proposals import make_proposal

pytestmark = pytest.mark.django_db

FEATURES = ("proposals", "comments", "supports")


def url(name: str, process, *args) -> str:
    return reverse(f"participation:{name}", args=[process.slug, *args])


def titles(response) -> list[str]:
    return [proposal.title for proposal in response.context["page"].object_list]


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def process(make_process):
    return make_process(features=FEATURES)


# --- The list of processes and the about page -------------------------------------------------------------------------


def test_the_index_lists_published_processes_by_municipality(client, make_process, world):
    make_process(features=FEATURES, title="Parkovi Mostara")
    make_process(features=FEATURES, title="Trebinje bira", municipality=world.away)
    make_process(features=FEATURES, title="Nacrt", published=False)

    everything = text_of(client.get(reverse("participation:index")))
    assert "Parkovi Mostara" in everything and "Trebinje bira" in everything and "Nacrt" not in everything
    trebinje = text_of(client.get(reverse("participation:index"), {"municipality": world.away.slug}))
    assert "Trebinje bira" in trebinje and "Parkovi Mostara" not in trebinje
    unknown = client.get(reverse("participation:index"), {"municipality": "atlantis"})
    assert unknown.status_code == 200 and "Parkovi Mostara" in text_of(unknown)


def test_a_draft_process_is_not_found_by_the_public(client, make_process):
    draft = make_process(features=FEATURES, published=False)
    assert client.get(url("process", draft)).status_code == 404
    assert client.get(url("about", draft)).status_code == 404


def test_the_about_page_shows_the_phases_and_what_each_allows(client, process):
    later = Phase.objects.create(
        process=process,
        name="Odluka",
        starts_at=timezone.now() + datetime.timedelta(days=40),
        ends_at=timezone.now() + datetime.timedelta(days=50),
    )
    PhaseCapability.objects.create(phase=later, feature="polls", action="vote", audience="anyone")  # not enabled
    page = text_of(client.get(url("about", process)))
    assert "Participation level" in page and "Consultation" in page and "Agenda setting" in page
    assert "Proposals" in page and "Odluka" in page
    assert "<strong>Support a proposal</strong>: Registered users" in page
    assert "<strong>Report a problem or make a proposal</strong>: Registered users" in page
    assert 'aria-current="step"' in page
    assert "Vote in a poll" not in page  # the process does not use polls
    assert "This phase is for information: there is nothing to submit." in page


# --- The process page: what visitors may do -----------------------------------------------------------------------


def test_anonymous_visitors_are_told_to_log_in_and_get_no_form(client, process):
    make_proposal(process, title="Klupe u parku")
    response = client.get(url("process", process))
    page = text_of(response)
    assert "Klupe u parku" in page
    assert "Log in to report a problem or make a proposal." in page
    assert "Log in to support a proposal." in page
    assert "csrfmiddlewaretoken" not in page and 'method="post"' not in page
    assert not response.cookies  # so that the page cache may share it


def test_signed_in_citizens_get_the_buttons(client, process, people):
    supported, other = make_proposal(process), make_proposal(process)
    Support.objects.create(proposal=supported, user=people.citizen)
    client.force_login(people.citizen)
    page = text_of(client.get(url("process", process)))
    assert "Report a problem" in page and "Make a proposal" in page and "Log in to" not in page
    assert url("proposal_withdraw", process, supported.pk) in page
    assert url("proposal_support", process, other.pk) in page
    assert url("proposal_support", process, supported.pk) not in page


def test_a_phase_that_does_not_allow_supports_says_when_they_open(client, make_process, people):
    process = make_process(features=FEATURES, capabilities={"proposals.submit": "registered"})
    later = Phase.objects.create(
        process=process,
        name="Supports",
        starts_at=timezone.now() + datetime.timedelta(days=40),
        ends_at=timezone.now() + datetime.timedelta(days=50),
    )
    PhaseCapability.objects.create(phase=later, feature="supports", action="support", audience="registered")
    proposal = make_proposal(process)
    client.force_login(people.citizen)
    for page in (
        text_of(client.get(url("process", process))),
        text_of(client.get(url("proposal", process, proposal.pk))),
    ):
        assert "You will be able to support a proposal from " in page
        assert url("proposal_support", process, proposal.pk) not in page


def test_residents_only_tells_others_how_to_become_one(client, make_process, people, world):
    process = make_process(features=FEATURES, capabilities={"supports.support": "resident"})
    make_proposal(process)
    client.force_login(people.citizen)
    page = text_of(client.get(url("process", process)))
    assert "You need to be a verified resident of Mostar to support a proposal." in page
    assert reverse("participation:residency", args=[world.home.slug]) in page
    assert "It is not possible to report a problem or make a proposal in this phase of the process." in page


def test_the_remaining_supports_are_shown_where_there_is_a_limit(client, make_process, people):
    process = make_process(features=FEATURES, settings={"supports": {"limit": 3}})
    Support.objects.create(proposal=make_proposal(process), user=people.citizen)
    from civiclink.participation.models import SupportAllowance

    SupportAllowance.objects.create(process=process, user=people.citizen, used=1)
    client.force_login(people.citizen)
    assert "You can support 2 more proposals in this process." in text_of(client.get(url("process", process)))


# --- Filters, search, orders and pages ------------------------------------------------------------------------------


@pytest.fixture
def varied(process, world):
    """Two categories, a local community and proposals of both kinds in several states."""
    roads = Category.objects.create(process=process, name="Ceste", position=1)
    parks = Category.objects.create(process=process, name="Parkovi", position=2)
    bijeli_brijeg = LocalCommunity.objects.create(municipality=world.home, name="Bijeli Brijeg", slug="bijeli-brijeg")
    LocalCommunity.objects.create(municipality=world.away, name="Gornje Police", slug="gornje-police")
    rows = {
        "pothole": make_proposal(process, kind="problem", title="Rupa na cesti u Žepču", category=roads),
        "lights": make_proposal(process, kind="problem", title="Ulična rasvjeta", category=roads),
        "trees": make_proposal(process, title="Drvored", category=parks, community=bijeli_brijeg),
        "square": make_proposal(process, title="Novi trg", state=ProposalState.ACCEPTED, answer="Yes."),
        "spam": make_proposal(process, title="Skriveno", category=roads, visibility=Visibility.HIDDEN),
    }
    return {"roads": roads, "parks": parks, "community": bijeli_brijeg, **rows}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"Rupa na cesti u Žepču", "Ulična rasvjeta", "Drvored", "Novi trg"}),
        ({"kind": "problem"}, {"Rupa na cesti u Žepču", "Ulična rasvjeta"}),
        ({"state": "accepted"}, {"Novi trg"}),
        ({"category": "roads"}, {"Rupa na cesti u Žepču", "Ulična rasvjeta"}),
        ({"community": "community"}, {"Drvored"}),
        ({"kind": "proposal", "category": "parks"}, {"Drvored"}),
        # A value that is no valid filter is ignored, not an error page.
        ({"category": "ceste", "state": "archived", "kind": 7, "sort": "loudest", "page": "last"}, None),
    ],
)
def test_filters(client, process, varied, query, expected):
    query = {key: varied[value].pk if value in varied else value for key, value in query.items()}
    response = client.get(url("process", process), query)
    assert response.status_code == 200
    everything = {"Rupa na cesti u Žepču", "Ulična rasvjeta", "Drvored", "Novi trg"}
    assert set(titles(response)) == (everything if expected is None else expected)


def test_the_filters_show_how_many_each_would_show(client, process, varied):
    page = text_of(client.get(url("process", process)))
    for label in ("Problem (2)", "Proposal (2)", "Submitted (3)", "Accepted (1)", "Ceste (2)", "Parkovi (1)"):
        assert label in page
    assert "Bijeli Brijeg (1)" in page and "Gornje Police" not in page  # only the municipality's communities
    assert "Skriveno" not in page  # hidden proposals are neither listed nor counted


@pytest.mark.parametrize("words", ["zepcu", "ŽEPČU", "Жепчу", "cesti zepcu", "  Rupa  "])
def test_search_ignores_case_diacritics_and_script(client, process, varied, words):
    assert titles(client.get(url("process", process), {"q": words})) == ["Rupa na cesti u Žepču"]


def test_search_without_a_match_says_so(client, process, varied):
    response = client.get(url("process", process), {"q": "aerodrom"})
    assert titles(response) == []
    assert "No proposal matches these filters." in text_of(response)


def test_orders(client, process):
    old = make_proposal(process, title="Old")
    popular = make_proposal(process, title="Popular")
    talked = make_proposal(process, title="Talked about")
    Proposal.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    Proposal.objects.filter(pk=popular.pk).update(support_count=9, comment_count=1)
    Proposal.objects.filter(pk=talked.pk).update(support_count=2, comment_count=7)

    assert titles(client.get(url("process", process))) == ["Talked about", "Popular", "Old"]
    assert titles(client.get(url("process", process), {"sort": "supported"})) == ["Popular", "Talked about", "Old"]
    assert titles(client.get(url("process", process), {"sort": "commented"})) == ["Talked about", "Popular", "Old"]


def test_the_random_order_is_stable_for_a_day_and_pages_do_not_overlap(client, process):
    created = {make_proposal(process).title for _ in range(25)}
    first = titles(client.get(url("process", process), {"sort": "random"}))
    assert titles(client.get(url("process", process), {"sort": "random"})) == first
    second = titles(client.get(url("process", process), {"sort": "random", "page": 2}))
    assert len(first) == 20 and len(second) == 5 and set(first) | set(second) == created

    today, tomorrow = timezone.localdate(), timezone.localdate() + datetime.timedelta(days=1)
    assert list(queries.proposal_list(process, sort="random", day=today)) == list(
        queries.proposal_list(process, sort="random", day=today)
    )
    assert list(queries.proposal_list(process, sort="random", day=tomorrow)) != list(
        queries.proposal_list(process, sort="random", day=today)
    )
    process.seed = 2  # a manager reshuffles
    assert list(queries.proposal_list(process, sort="random", day=today)) != list(
        queries.proposal_list(process.__class__.objects.get(pk=process.pk), sort="random", day=today)
    )


def test_pages_of_twenty(client, process):
    for _ in range(45):
        make_proposal(process)
    assert len(titles(client.get(url("process", process)))) == 20
    last = client.get(url("process", process), {"page": 3})
    assert len(titles(last)) == 5 and "Page 3 of 3" in text_of(last)
    assert len(titles(client.get(url("process", process), {"page": 99}))) == 5
    assert len(titles(client.get(url("process", process), {"page": "x"}))) == 20


# --- A proposal's page ------------------------------------------------------------------------------------------------


def test_the_proposal_page_shows_the_proposal_its_answer_history_and_comments(client, process, people, world):
    proposal = make_proposal(
        process,
        title="Pješački prelaz",
        body="Kod škole.",
        author=people.org_member,
        organisation=world.own,
        address="Ulica Kralja Tvrtka",
        latitude="43.343500",
        longitude="17.807900",
    )
    Endorsement.objects.create(proposal=proposal, organisation=world.own)
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.ACCEPTED, answer="Gradimo ga u maju.")
    StateChange.objects.create(proposal=proposal, old_state="submitted", new_state="accepted", reason="U budžetu.")
    page = text_of(client.get(url("proposal", process, proposal.pk)))
    assert "<h1>Pješački prelaz</h1>" in page and "Kod škole." in page and "CGI" in page
    assert "Ulica Kralja Tvrtka" in page and "mlat=43.343500" in page
    assert "Gradimo ga u maju." in page and "from “Submitted” to “Accepted”" in page and "U budžetu." in page
    assert 'id="comments"' in page
    assert "Supports are closed for this proposal." in page
    assert "csrfmiddlewaretoken" not in page


def test_a_proposal_of_another_process_is_not_found(client, make_process):
    mine, other = make_process(features=FEATURES), make_process(features=FEATURES)
    proposal = make_proposal(other)
    assert client.get(url("proposal", mine, proposal.pk)).status_code == 404


def test_a_process_without_proposals_has_no_proposal_pages(client, make_process):
    process = make_process(features=("polls",), description="Anketa o javnom prevozu.")
    overview = text_of(client.get(url("process", process)))
    assert "Anketa o javnom prevozu." in overview and "Read about this process and its phases" in overview
    assert "problems and proposals" not in overview
    assert client.get(url("proposal_new", process)).status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.PENDING, Visibility.HIDDEN])
def test_a_hidden_proposal_shows_a_placeholder_to_others_and_the_reason_to_its_author(
    client, process, people, visibility
):
    proposal = make_proposal(
        process, title="Uvredljiv naslov", author=people.citizen, visibility=visibility, moderation_reason="Uvrede."
    )
    assert "Uvredljiv naslov" not in text_of(client.get(url("process", process)))

    placeholder = text_of(client.get(url("proposal", process, proposal.pk)))
    assert "Uvredljiv naslov" not in placeholder and "hidden by the moderators" in placeholder
    client.force_login(people.resident)
    assert "Uvredljiv naslov" not in text_of(client.get(url("proposal", process, proposal.pk)))

    client.force_login(people.citizen)
    own = text_of(client.get(url("proposal", process, proposal.pk)))
    assert "Uvredljiv naslov" in own and "The moderators have hidden your proposal" in own and "Uvrede." in own
    client.force_login(people.moderator)
    assert "This proposal is hidden from the public." in text_of(client.get(url("proposal", process, proposal.pk)))


# --- Submitting -------------------------------------------------------------------------------------------------------


def png(extra_bytes: int = 0, image_format: str = "PNG", name: str = "photo.png") -> SimpleUploadedFile:
    """A small real image; `extra_bytes` of padding after its end make the file as large as a test needs."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue() + b"\0" * extra_bytes, content_type=f"image/{image_format}")


def valid(**changes) -> dict:
    data = {"kind": "problem", "title": "Rupa na cesti", "body": "Duboka rupa ispred pošte, već mjesec dana."}
    return {**data, **changes}


def test_a_citizen_reports_a_problem(client, process, people):
    client.force_login(people.citizen)
    form = client.get(url("proposal_new", process), {"kind": "problem"})
    assert "<h1>Report a problem</h1>" in text_of(
        form
    ) and 'value="problem" required id="id_kind_0" checked' in text_of(form)
    response = client.post(url("proposal_new", process), valid(photo=png(), photo_alt="Rupa na asfaltu"))
    proposal = Proposal.objects.get()
    assert response.status_code == 303 and response["Location"] == url("proposal", process, proposal.pk)
    assert (proposal.author, proposal.kind, proposal.state) == (people.citizen, "problem", "submitted")
    page = text_of(client.get(response["Location"]))
    assert "Thank you. Your contribution is published." in page and 'alt="Rupa na asfaltu"' in page


def test_a_cso_member_submits_on_behalf_of_their_organisation(client, process, people, world):
    client.force_login(people.org_member)
    client.post(url("proposal_new", process), valid(organisation=world.own.pk))
    assert Proposal.objects.get().organisation == world.own


def test_anonymous_visitors_are_asked_to_log_in_before_the_form(client, process):
    response = client.get(url("proposal_new", process))
    page = text_of(response)
    assert "Log in to report a problem or make a proposal." in page and 'name="title"' not in page
    refused = client.post(url("proposal_new", process), valid())
    assert refused.status_code == 403 and not Proposal.objects.exists()


def test_where_anyone_may_submit_anonymous_visitors_are_rate_limited(client, make_process, settings):
    settings.MODERATION_ANONYMOUS_RATE_LIMIT = "1/h"
    process = make_process(features=FEATURES, capabilities={"proposals.submit": "anyone"})
    assert client.post(url("proposal_new", process), valid()).status_code == 303
    assert Proposal.objects.get().author is None
    again = client.post(url("proposal_new", process), valid(title="Druga rupa", body="Još jedna."))
    assert again.status_code == 403 and "You have sent a lot in a short time." in text_of(again)
    assert Proposal.objects.count() == 1 and "Još jedna." in text_of(again)


def test_the_same_text_twice_is_refused(client, process, people):
    client.force_login(people.citizen)
    client.post(url("proposal_new", process), valid())
    again = client.post(url("proposal_new", process), valid(title="Isti tekst"))
    assert again.status_code == 403 and "You have already sent exactly this text." in text_of(again)
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"title": "x" * 151}, "Ensure this value has at most 150 characters (it has 151)."),
        ({"title": ""}, "This field is required."),
        ({"body": "x" * 10_001}, "Ensure this value has at most 10000 characters (it has 10001)."),
        ({"kind": "petition"}, "Select a valid choice. petition is not one of the available choices."),
        ({"category": "roads"}, "Select a valid choice."),
        ({"latitude": "north", "longitude": "17.8"}, "Enter a number."),
        ({"latitude": "95", "longitude": "17.8"}, "The latitude must be between -90 and 90."),
        ({"latitude": "43.34"}, "Give both the latitude and the longitude, or neither."),
        ({"photo": "big", "photo_alt": "Rupa"}, "The photo may be at most 5 MB. Please choose a smaller one."),
        ({"photo": "text", "photo_alt": "Rupa"}, "Upload a valid image."),
        ({"photo": "gif", "photo_alt": "Rupa"}, "The photo must be a JPEG, PNG or WebP image."),
        ({"photo": "png"}, "Describe the photo for people who cannot see it."),
        ({"organisation": "other"}, "Select a valid choice."),  # not a member of it
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, make_process, people, world, changes, error):
    process = make_process(features=FEATURES)
    other = make_process(features=FEATURES)
    uploads = {
        "big": lambda: png(extra_bytes=5 * 1024 * 1024),
        "text": lambda: SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png"),
        "gif": lambda: png(image_format="GIF", name="photo.gif"),
        "png": png,
    }
    Category.objects.create(process=process, name="Ceste")
    references = {
        "roads": lambda: Category.objects.create(process=other, name="Ceste").pk,
        "other": lambda: world.other.pk,
    }
    changes = {
        key: uploads[value]() if key == "photo" else references[value]() if value in references else value
        for key, value in changes.items()
    }
    client.force_login(people.org_member)
    response = client.post(url("proposal_new", process), valid(**changes))
    assert response.status_code == 400
    page = text_of(response)
    assert error in page.replace("&#x27;", "'") and "Please correct the marked fields." in page
    assert not Proposal.objects.exists()
    if "body" not in changes:
        assert "Duboka rupa ispred pošte" in page  # the draft survives


def test_a_closed_phase_refuses_the_proposal_and_keeps_the_draft(client, make_process, people):
    process = make_process(features=FEATURES, capabilities={"supports.support": "registered"})
    client.force_login(people.citizen)
    page = text_of(client.get(url("proposal_new", process)))
    assert "It is not possible to report a problem or make a proposal in this phase of the process." in page
    assert 'name="title"' not in page
    response = client.post(url("proposal_new", process), valid())
    assert response.status_code == 403 and not Proposal.objects.exists()
    assert "It is not possible to report a problem or make a proposal in this phase" in text_of(response)
    assert "Duboka rupa ispred pošte" in text_of(response)


# --- Editing ----------------------------------------------------------------------------------------------------------


def test_the_author_edits_while_the_proposal_is_submitted(client, process, people):
    proposal = make_proposal(process, author=people.citizen)
    assert client.get(url("proposal_edit", process, proposal.pk)).status_code == 302  # to the login page
    client.force_login(people.resident)
    assert client.get(url("proposal_edit", process, proposal.pk)).status_code == 403

    client.force_login(people.citizen)
    assert "Edit your proposal" in text_of(client.get(url("proposal", process, proposal.pk)))
    response = client.post(url("proposal_edit", process, proposal.pk), valid(title="Ispravljen naslov"))
    assert response.status_code == 303 and Proposal.objects.get(pk=proposal.pk).title == "Ispravljen naslov"
    too_long = client.post(url("proposal_edit", process, proposal.pk), valid(title="y" * 200))
    assert too_long.status_code == 400 and Proposal.objects.get(pk=proposal.pk).title == "Ispravljen naslov"

    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.EVALUATION)
    assert client.post(url("proposal_edit", process, proposal.pk), valid(title="Kasno")).status_code == 403
    assert "Edit your proposal" not in text_of(client.get(url("proposal", process, proposal.pk)))


# --- Supporting, endorsing, answering -----------------------------------------------------------------------------


def test_support_and_withdraw(client, process, people):
    proposal = make_proposal(process)
    client.force_login(people.citizen)
    back = url("process", process) + "?sort=supported#proposal-1"
    response = client.post(url("proposal_support", process, proposal.pk), {"next": back})
    assert response.status_code == 303 and response["Location"] == back
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1
    page = text_of(client.get(url("proposal", process, proposal.pk)))
    assert "You support this." in page and url("proposal_withdraw", process, proposal.pk) in page

    elsewhere = client.post(url("proposal_withdraw", process, proposal.pk), {"next": "https://example.com/"})
    assert elsewhere["Location"] == url("proposal", process, proposal.pk)  # never off the site
    assert Proposal.objects.get(pk=proposal.pk).support_count == 0 and not Support.objects.exists()
    assert client.get(url("proposal_support", process, proposal.pk)).status_code == 405


def test_anonymous_supporters_are_sent_to_log_in(client, process):
    proposal = make_proposal(process)
    response = client.post(url("proposal_support", process, proposal.pk))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not Support.objects.exists()


def test_a_refused_support_says_why_and_saves_nothing(client, make_process, people):
    closed = make_process(features=FEATURES, capabilities={"proposals.submit": "registered"})
    limited = make_process(features=FEATURES, settings={"supports": {"limit": 1}})
    client.force_login(people.citizen)

    proposal = make_proposal(closed)
    response = client.post(url("proposal_support", closed, proposal.pk))
    assert response.status_code == 403
    assert "It is not possible to support a proposal in this phase of the process." in text_of(response)

    first, second = make_proposal(limited), make_proposal(limited)
    client.post(url("proposal_support", limited, first.pk))
    response = client.post(url("proposal_support", limited, second.pk))
    assert response.status_code == 403 and "You have already used all 1 supports of this process." in text_of(response)
    assert list(Support.objects.values_list("proposal", flat=True)) == [first.pk]

    decided = make_proposal(limited, state=ProposalState.DONE, answer="Done.")
    response = client.post(url("proposal_withdraw", limited, decided.pk))
    assert response.status_code == 403 and "can no longer be given or withdrawn" in text_of(response)


def test_a_hidden_proposal_cannot_be_supported(client, process, people):
    proposal = make_proposal(process, visibility=Visibility.PENDING)
    client.force_login(people.citizen)
    assert client.post(url("proposal_support", process, proposal.pk)).status_code == 404
    assert not Support.objects.exists()


def test_a_cso_endorses_and_withdraws(client, process, people, world):
    proposal = make_proposal(process)
    client.force_login(people.citizen)
    refused = client.post(url("proposal_endorse", process, proposal.pk), {"organisation": world.own.pk})
    assert refused.status_code == 403
    assert "Only members of a civil-society organisation can endorse a proposal" in text_of(refused)

    client.force_login(people.org_member)
    page = text_of(client.get(url("proposal", process, proposal.pk)))
    assert "Endorse on behalf of CGI" in page and "Novi početak" not in page  # unverified: not theirs to use
    not_theirs = client.post(url("proposal_endorse", process, proposal.pk), {"organisation": world.other.pk})
    assert not_theirs.status_code == 403 and "Choose an organisation you belong to." in text_of(not_theirs)
    assert not Endorsement.objects.exists()

    assert client.post(url("proposal_endorse", process, proposal.pk), {"organisation": world.own.pk}).status_code == 303
    assert "Withdraw the endorsement of CGI" in text_of(client.get(url("proposal", process, proposal.pk)))
    client.post(url("proposal_endorse", process, proposal.pk), {"organisation": world.own.pk, "action": "withdraw"})
    assert not Endorsement.objects.exists()


def test_the_municipality_answers_and_moves_the_proposal(client, process, people):
    proposal = make_proposal(process)
    answer = url("proposal_answer", process, proposal.pk)
    client.force_login(people.citizen)
    assert client.post(answer, {"answer": "Ne.", "state": "rejected", "reason": "Ne."}).status_code == 403
    assert "Answer on behalf of the municipality" not in text_of(client.get(url("proposal", process, proposal.pk)))

    client.force_login(people.officer)
    missing = client.post(answer, {"answer": "Nije moguće.", "state": "rejected", "reason": ""})
    assert missing.status_code == 400 and "Give the reason for rejecting the proposal" in text_of(missing)
    assert "Nije moguće." in text_of(missing)  # the draft answer survives
    wrong = client.post(answer, {"answer": "Da.", "state": "approved"})
    assert wrong.status_code == 400 and "Select a valid choice." in text_of(wrong)
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.state, stored.answer) == ("submitted", "") and not StateChange.objects.exists()

    response = client.post(answer, {"answer": "Prihvaćeno, radovi u maju.", "state": "accepted", "reason": "Budžet."})
    assert response.status_code == 303
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.state, stored.answer) == ("accepted", "Prihvaćeno, radovi u maju.")
    assert StateChange.objects.get().reason == "Budžet."
    page = text_of(client.get(url("proposal", process, proposal.pk)))
    assert "The answer has been published." in page and "In progress" in page

    client.post(answer, {"answer": "Prihvaćeno, radovi u maju.", "state": "progress"})
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.IN_PROGRESS


def test_managers_may_turn_an_accepted_proposal_into_a_result(client, make_process, people):
    process = make_process(features=(*FEATURES, "results"))
    proposal = make_proposal(process, state=ProposalState.ACCEPTED, answer="Yes.")
    client.force_login(people.officer)
    page = text_of(client.get(url("proposal", process, proposal.pk)))
    assert "Create a result from this proposal" in page
    assert reverse("participation:result_from_proposal", args=[process.slug, proposal.pk]) in page


# --- Fixed query counts and the page cache ----------------------------------------------------------------------------


@pytest.fixture
def crowded(request, make_process, make_user, people, world):
    """A process with `n` proposals (with categories, communities, authors and organisations) and, on the first
    one, `n` comments by `n` people, half of them replies, and `n` endorsements and state changes."""
    from civiclink.places.models import Organisation

    n = request.param
    process = make_process(features=FEATURES, settings={"supports": {"limit": 100, "threshold": 500}})
    categories = [Category.objects.create(process=process, name=f"Kategorija {i}") for i in range(3)]
    communities = LocalCommunity.objects.bulk_create(
        LocalCommunity(municipality=world.home, name=f"Zajednica {i}", slug=f"zajednica-{i}") for i in range(3)
    )
    authors = [make_user() for _ in range(n)]
    organisations = Organisation.objects.bulk_create(
        Organisation(legal_name=f"Udruženje {i}", slug=f"udruzenje-{i}", registration_number=f"RU-{i}",
                     municipality=world.home, verified=True, verified_at=timezone.now())
        for i in range(n)
    )  # fmt: skip
    proposals = Proposal.objects.bulk_create(
        Proposal(
            process=process,
            title=f"Prijedlog {i}",
            body="Tekst.",
            search_text=search_key(f"Prijedlog {i} Tekst."),
            author=authors[i],
            organisation=organisations[i] if i % 2 else None,
            category=categories[i % 3],
            community=communities[i % 3],
            support_count=i,
            comment_count=n if i == 0 else 0,
        )
        for i in range(n)
    )
    first = proposals[0]
    Support.objects.bulk_create(Support(proposal=proposal, user=people.citizen) for proposal in proposals[::2])
    Endorsement.objects.bulk_create(Endorsement(proposal=first, organisation=o) for o in organisations)
    StateChange.objects.bulk_create(
        StateChange(proposal=first, old_state="submitted", new_state="submitted", reason=f"{i}") for i in range(n)
    )
    kind = ContentType.objects.get_for_model(Proposal)
    tops = Comment.objects.bulk_create(
        Comment(content_type=kind, object_id=first.pk, process=process, author=authors[i], body=f"Komentar {i}")
        for i in range(n // 2)
    )
    Comment.objects.bulk_create(
        Comment(content_type=kind, object_id=first.pk, process=process, author=authors[i], body="Odgovor",
                parent=tops[i % len(tops)])
        for i in range(n - n // 2)
    )  # fmt: skip
    return process, first


SIZES = [5, 60]
# (page, visitor) -> queries. Pinned: a new query is a deliberate change of this table; one per row fails for 60.
EXPECTED = {
    ("process", "anonymous"): 9,
    ("process", "citizen"): 20,
    ("process, filtered", "anonymous"): 10,
    ("process, filtered", "citizen"): 21,
    ("proposal", "anonymous"): 10,
    ("proposal", "citizen"): 20,
}
# A signed-in visitor whose list (filters, counts, cards) comes from the shared cache: no list queries, one for
# which of the cards they support; the footer comes from the shared cache too.
SIGNED_IN_LIST_HIT = 15


@pytest.mark.parametrize("crowded", SIZES, indirect=True)
@pytest.mark.parametrize("visitor", ["anonymous", "citizen"])
@pytest.mark.parametrize("page", ["process", "process, filtered", "proposal"])
def test_queries_do_not_grow_with_proposals_and_comments(
    client, crowded, people, visitor, page, django_assert_num_queries
):
    process, first = crowded
    if visitor == "citizen":
        client.force_login(people.citizen)
    address = {
        "process": url("process", process),
        "process, filtered": url("process", process) + "?q=prijedlog&kind=proposal&sort=random",
        "proposal": url("proposal", process, first.pk),
    }[page]
    assert client.get(address).status_code == 200  # warm-up: content types, the site footer

    with django_assert_num_queries(EXPECTED[page, visitor]):
        response = client.get(address)
    assert response.status_code == 200


def test_anonymous_pages_are_shared_until_a_support_changes_them(
    client, process, people, shared_cache, django_capture_on_commit_callbacks, django_assert_num_queries
):
    proposal = make_proposal(process, title="Česma na trgu")
    pages = [url("process", process), url("proposal", process, proposal.pk), url("about", process)]
    for address in pages:
        first = client.get(address)
        with django_assert_num_queries(0):  # a page from the cache asks nothing of the database
            second = client.get(address)
        assert getattr(first, "context", None) is not None and getattr(second, "context", None) is None
        assert first.content == second.content

    citizen = client.__class__()
    citizen.force_login(people.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert citizen.post(url("proposal_support", process, proposal.pk)).status_code == 303
    assert "1 support" in text_of(client.get(pages[0]))
    assert "<strong>1</strong> person supports this" in text_of(client.get(pages[1]))


def form_token(page: str, action: str) -> str:
    """The CSRF token of the form that posts to `action`."""
    form = rf'action="{re.escape(action)}"[^>]*><input type="hidden" name="csrfmiddlewaretoken" value="(\w+)"'
    return re.search(form, page)[1]


def test_signed_in_visitors_share_the_list_and_each_gets_their_own_support_forms(
    process, people, shared_cache, django_assert_num_queries
):
    supported, other = make_proposal(process, title="Klupe u parku"), make_proposal(process, title="Česma")
    Support.objects.create(proposal=supported, user=people.citizen)
    citizen, resident = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    citizen.force_login(people.citizen)
    resident.force_login(people.resident)

    first = citizen.get(url("process", process))
    assert "page" in first.context  # the list was rendered, and is now cached for everyone
    with django_assert_num_queries(SIGNED_IN_LIST_HIT - 1):  # no limit of supports here: no allowance to read
        second = resident.get(url("process", process))
    assert "page" not in second.context  # ... and came from the cache

    mine, theirs = text_of(first), text_of(second)
    for page in (mine, theirs):
        assert "Klupe u parku" in page and "Česma" in page and "2 problems and proposals" in page
    assert (
        url("proposal_withdraw", process, supported.pk) in mine and url("proposal_support", process, other.pk) in mine
    )
    assert url("proposal_support", process, supported.pk) in theirs and "You support this." not in theirs
    assert "<!--support:" not in mine + theirs

    # Each form carries its own visitor's token: the citizen's is refused for the resident, the resident's works.
    support = url("proposal_support", process, other.pk)
    assert resident.post(support, {"csrfmiddlewaretoken": form_token(mine, support)}).status_code == 403
    assert resident.post(support, {"csrfmiddlewaretoken": form_token(theirs, support)}).status_code == 303
    assert Support.objects.filter(user=people.resident).count() == 1


def test_a_support_or_a_new_proposal_changes_the_shared_list_for_everyone(
    client, process, people, shared_cache, django_capture_on_commit_callbacks
):
    proposal = make_proposal(process, title="Klupe u parku")
    citizen, resident = Client(), Client()
    citizen.force_login(people.citizen)
    resident.force_login(people.resident)
    for visitor in (citizen, resident):
        assert "0 supports" in text_of(visitor.get(url("process", process)))

    with django_capture_on_commit_callbacks(execute=True):
        assert resident.post(url("proposal_support", process, proposal.pk)).status_code == 303
    mine, theirs = text_of(citizen.get(url("process", process))), text_of(resident.get(url("process", process)))
    assert "1 support" in mine and "You support this." not in mine
    assert "1 support" in theirs and "You support this." in theirs

    with django_capture_on_commit_callbacks(execute=True):
        make_proposal(process, title="Novi trg")
    for visitor in (citizen, resident, client):
        assert "Novi trg" in text_of(visitor.get(url("process", process)))
    searched = text_of(citizen.get(url("process", process), {"q": "trg"}))  # another query, another fragment
    assert "Novi trg" in searched and "Klupe u parku" not in searched


@pytest.mark.parametrize("crowded", SIZES, indirect=True)
def test_a_signed_in_visitor_served_the_cached_list_asks_fewer_queries(
    client, crowded, people, shared_cache, django_assert_num_queries
):
    process, _ = crowded
    client.force_login(people.citizen)
    assert client.get(url("process", process)).status_code == 200  # renders and caches the list
    with django_assert_num_queries(SIGNED_IN_LIST_HIT):
        response = client.get(url("process", process))
    assert "page" not in response.context and text_of(response).count('<li class="card proposal-card"') == min(
        queries.PAGE_SIZE, process.proposals.count()
    )
    assert EXPECTED["process", "citizen"] > SIGNED_IN_LIST_HIT
