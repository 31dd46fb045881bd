"""Problems and proposals as data: who may submit on whose behalf, editing while submitted, the municipality's
answers and state changes kept as a public history, and CSO endorsements."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from civiclink.participation import following, proposals
from civiclink.participation.models import Endorsement, Proposal, ProposalState, StateChange
from civiclink.participation.proposals import ProposalError

pytestmark = pytest.mark.django_db


_numbers = itertools.count(1)


def make_proposal(process, **fields) -> Proposal:
    """A visible proposal, written straight to the database (the other test modules import it too)."""
    number = next(_numbers)
    fields.setdefault("title", f"Proposal {number}")
    fields.setdefault("body", f"Why proposal {number} matters.")
    return Proposal.objects.create(process=process, **fields)


def test_a_proposal_is_stored_searchable_and_followed_by_its_author(make_process, people):
    process = make_process()
    proposal = proposals.create_proposal(
        process, author=people.citizen, kind="problem", title="Rupa na cesti u Žepču", body="Opasno."
    )
    assert proposal.author == people.citizen and proposal.state == ProposalState.SUBMITTED
    assert "zepcu" in proposal.search_text
    assert following.is_following(people.citizen, proposal)


def test_only_members_speak_for_an_organisation(make_process, people, world):
    process = make_process()
    on_behalf = proposals.create_proposal(
        process, author=people.org_member, title="Park", body="Trees.", organisation=world.own
    )
    assert on_behalf.organisation == world.own
    with pytest.raises(ProposalError, match="verified organisation you belong to"):
        proposals.create_proposal(process, author=people.citizen, title="Park", body="Trees.", organisation=world.own)
    with pytest.raises(ProposalError):  # an unverified organisation speaks for nobody yet
        proposals.create_proposal(
            process, author=people.org_member, title="Park", body="More trees.", organisation=world.own_pending
        )
    assert Proposal.objects.count() == 1


def test_an_anonymous_proposal_has_no_author_nor_organisation(make_process, world):
    process = make_process()
    proposal = proposals.create_proposal(
        process, author=AnonymousUser(), title="Bench", body="Broken.", organisation=world.own
    )
    assert proposal.author is None and proposal.organisation is None


def test_the_author_edits_until_evaluation_starts(make_process, people):
    process = make_process()
    proposal = make_proposal(process, author=people.citizen)
    proposals.update(proposal, by=people.citizen, title="Kružni tok kod Rondoa")
    proposal.refresh_from_db()
    assert proposal.title == "Kružni tok kod Rondoa" and "kruzni tok" in proposal.search_text

    with pytest.raises(ProposalError):
        proposals.update(proposal, by=people.resident, title="Not mine")
    proposals.change_state(proposal, ProposalState.EVALUATION, by=people.officer)
    with pytest.raises(ProposalError, match="until its evaluation starts"):
        proposals.update(proposal, by=people.citizen, title="Too late")
    proposal.refresh_from_db()
    assert proposal.title == "Kružni tok kod Rondoa"


def test_an_edit_loses_against_an_evaluation_that_started_meanwhile(make_process, people):
    process = make_process()
    proposal = make_proposal(process, author=people.citizen)
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.EVALUATION)  # the author's page is older
    with pytest.raises(ProposalError, match="can no longer change"):
        proposals.update(proposal, by=people.citizen, title="Changed")
    assert Proposal.objects.get(pk=proposal.pk).title != "Changed"


def test_state_changes_are_recorded_with_their_reason(make_process, people):
    process = make_process()
    proposal = make_proposal(process)
    assert proposals.change_state(proposal, ProposalState.ACCEPTED, by=people.officer, reason="In the budget.")
    assert not proposals.change_state(proposal, ProposalState.ACCEPTED, by=people.officer)
    proposals.change_state(proposal, ProposalState.IN_PROGRESS, by=people.officer)
    history = list(StateChange.objects.filter(proposal=proposal).values_list("old_state", "new_state", "reason"))
    assert history == [("submitted", "accepted", "In the budget."), ("accepted", "progress", "")]
    assert StateChange.objects.filter(changed_by=people.officer, automatic=False).count() == 2
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.IN_PROGRESS


def test_a_rejection_needs_a_reason_which_answers_the_proposal(make_process, people):
    process = make_process()
    proposal = make_proposal(process)
    with pytest.raises(ProposalError, match="reason for rejecting"):
        proposals.change_state(proposal, ProposalState.REJECTED, by=people.officer, reason="  ")
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SUBMITTED
    assert not StateChange.objects.exists()

    proposals.change_state(proposal, ProposalState.REJECTED, by=people.officer, reason="Private land.")
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.state, stored.answer) == (ProposalState.REJECTED, "Private land.")
    assert stored.answered_at is not None


def test_the_database_refuses_a_rejection_without_an_answer(make_process):
    proposal = make_proposal(make_process())
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.REJECTED)


def test_a_state_that_does_not_exist_is_refused(make_process, people):
    proposal = make_proposal(make_process())
    with pytest.raises(ProposalError):
        proposals.change_state(proposal, "archived", by=people.officer)


def test_a_state_changed_by_someone_else_meanwhile_is_not_overwritten(make_process, people):
    proposal = make_proposal(make_process())
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.ACCEPTED)  # another officer, a second ago
    with pytest.raises(ProposalError, match="meanwhile"):
        proposals.change_state(proposal, ProposalState.EVALUATION, by=people.officer)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.ACCEPTED


def test_the_answer_is_published_once_per_text(make_process, people):
    proposal = make_proposal(make_process())
    with pytest.raises(ProposalError):
        proposals.answer(proposal, "   ", by=people.officer)
    assert proposals.answer(proposal, "We will repair it in May.", by=people.officer)
    assert not proposals.answer(proposal, "We will repair it in May.", by=people.officer)
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.answer == "We will repair it in May." and stored.answered_at is not None


def test_csos_endorse_once_and_only_through_their_members(make_process, people, world):
    proposal = make_proposal(make_process())
    assert proposals.endorse(proposal, world.own, by=people.org_member)
    assert not proposals.endorse(proposal, world.own, by=people.org_member)
    with pytest.raises(ProposalError):
        proposals.endorse(proposal, world.other, by=people.org_member)
    with pytest.raises(ProposalError):
        proposals.unendorse(proposal, world.own, by=people.citizen)
    assert list(Endorsement.objects.values_list("organisation", "endorsed_by")) == [
        (world.own.pk, people.org_member.pk)
    ]

    assert proposals.unendorse(proposal, world.own, by=people.org_member)
    assert not proposals.unendorse(proposal, world.own, by=people.org_member)
    assert not Endorsement.objects.exists()


def test_followers_hear_of_answers_and_state_changes_but_not_the_officer(make_process, people):
    from civiclink.participation.models import Notification

    process = make_process()
    proposal = proposals.create_proposal(process, author=people.citizen, title="Semafor", body="Na raskrsnici.")
    following.follow(people.officer, proposal)
    proposals.answer(proposal, "Postavljamo ga.", by=people.officer)
    proposals.change_state(proposal, ProposalState.ACCEPTED, by=people.officer)
    told = list(Notification.objects.values_list("user", "event"))
    assert told == [(people.citizen.pk, "answered"), (people.citizen.pk, "state")]
