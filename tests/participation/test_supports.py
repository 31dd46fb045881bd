"""Supports: one per person per proposal, a limit per person per process, a threshold that sends a proposal to
evaluation, and counts that stay exact when many requests arrive at once (PostgreSQL)."""

import pytest

from civiclink.participation import supports
from civiclink.participation.models import Proposal, ProposalState, StateChange, Support, SupportAllowance
from civiclink.participation.supports import SupportRefused
from support import at_once

from .test_proposals import make_proposal


@pytest.fixture
def supported_process(make_process, fresh):
    """`supported_process(limit=..., threshold=...)`: a process whose running phase lets registered users support,
    read as the views read it."""

    def make(**settings):
        return fresh(make_process(settings={"supports": settings}))

    return make


def read(proposal, process):
    """The proposal as a request reads it: fresh from the database, with the process that knows its features."""
    found = Proposal.objects.get(pk=proposal.pk)
    found.process = process
    return found


def count_of(proposal) -> int:
    return Proposal.objects.get(pk=proposal.pk).support_count


@pytest.mark.django_db
class TestOneRequestAtATime:
    def test_one_support_per_person(self, supported_process, people):
        process = supported_process()
        proposal = read(make_proposal(process), process)
        assert supports.support(proposal, people.citizen)
        assert not supports.support(proposal, people.citizen)
        assert supports.support(proposal, people.resident)
        assert count_of(proposal) == 2 == Support.objects.filter(proposal=proposal).count()

    def test_withdrawing_takes_the_support_back_once(self, supported_process, people):
        process = supported_process()
        proposal = read(make_proposal(process), process)
        supports.support(proposal, people.citizen)
        assert supports.withdraw(proposal, people.citizen)
        assert not supports.withdraw(proposal, people.citizen)
        assert count_of(proposal) == 0 and not Support.objects.exists()

    def test_the_limit_per_person_counts_current_supports(self, supported_process, people):
        process = supported_process(limit=2)
        first, second, third = (read(make_proposal(process), process) for _ in range(3))
        supports.support(first, people.citizen)
        supports.support(second, people.citizen)
        assert supports.allowance_left(process, people.citizen) == 0
        with pytest.raises(SupportRefused, match="already used all 2 supports"):
            supports.support(third, people.citizen)
        assert count_of(third) == 0 and not Support.objects.filter(proposal=third).exists()

        supports.withdraw(first, people.citizen)
        assert supports.allowance_left(process, people.citizen) == 1
        assert supports.support(third, people.citizen)
        assert SupportAllowance.objects.get(user=people.citizen).used == 2

    def test_supporting_twice_does_not_use_the_allowance(self, supported_process, people):
        process = supported_process(limit=1)
        proposal = read(make_proposal(process), process)
        supports.support(proposal, people.citizen)
        assert not supports.support(proposal, people.citizen)
        assert SupportAllowance.objects.get(user=people.citizen).used == 1

    def test_the_threshold_sends_the_proposal_to_evaluation_once(self, supported_process, people):
        process = supported_process(threshold=2)
        proposal = read(make_proposal(process), process)
        supports.support(proposal, people.citizen)
        assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SUBMITTED
        supports.support(proposal, people.resident)
        supports.support(proposal, people.org_member)  # still supportable while under evaluation
        assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.EVALUATION
        change = StateChange.objects.get(proposal=proposal)
        assert (change.old_state, change.new_state, change.automatic) == ("submitted", "evaluation", True)
        assert change.reason == "The proposal reached 2 supports."

    @pytest.mark.parametrize("state", ["accepted", "rejected", "progress", "done"])
    def test_only_proposals_still_open_can_be_supported(self, supported_process, people, state):
        process = supported_process()
        proposal = read(make_proposal(process, state=state, answer="Decided."), process)
        with pytest.raises(SupportRefused, match="can no longer be given or withdrawn"):
            supports.support(proposal, people.citizen)
        with pytest.raises(SupportRefused):
            supports.withdraw(proposal, people.citizen)
        assert count_of(proposal) == 0 and not Support.objects.exists()

    def test_a_proposal_decided_meanwhile_takes_no_support(self, supported_process, people):
        process = supported_process()
        proposal = read(make_proposal(process), process)
        Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.ACCEPTED)  # the page was older
        with pytest.raises(SupportRefused):
            supports.support(proposal, people.citizen)
        assert count_of(proposal) == 0 and not Support.objects.exists()

    def test_anonymous_visitors_are_asked_to_log_in_even_where_anyone_may_support(self, make_process, fresh):
        from django.contrib.auth.models import AnonymousUser

        process = fresh(make_process(capabilities={"supports.support": "anyone"}))
        result = supports.may_support(AnonymousUser(), process)
        assert not result.allowed and result.reason == "Log in to support a proposal."


# --- Concurrent requests (PostgreSQL) ---------------------------------------------------------------------------------


def _support_at_once(process, pairs):
    """Each (proposal, user) supports in its own thread; all start together."""

    def run(barrier, proposal, user):
        proposal = read(proposal, process)
        barrier.wait()
        return "supported" if supports.support(proposal, user) else "already"

    return at_once(run, pairs, {SupportRefused: "refused"})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_people_at_once_make_eight_supports(supported_process, make_user):
    process = supported_process()
    proposal = make_proposal(process)
    users = [make_user() for _ in range(8)]
    assert _support_at_once(process, [(proposal, user) for user in users]) == ["supported"] * 8
    assert count_of(proposal) == 8 == Support.objects.count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_eight_times_at_once_makes_one_support(supported_process, people):
    process = supported_process(limit=3)
    proposal = make_proposal(process)
    outcomes = _support_at_once(process, [(proposal, people.citizen)] * 8)
    assert outcomes == ["already"] * 7 + ["supported"]
    assert count_of(proposal) == 1 == Support.objects.count()
    assert SupportAllowance.objects.get(user=people.citizen).used == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_limit_of_two_holds_against_five_supports_at_once(supported_process, people):
    process = supported_process(limit=2)
    proposals = [make_proposal(process) for _ in range(5)]
    outcomes = _support_at_once(process, [(proposal, people.citizen) for proposal in proposals])
    assert outcomes == ["refused"] * 3 + ["supported"] * 2
    assert Support.objects.filter(user=people.citizen).count() == 2
    assert sum(count_of(proposal) for proposal in proposals) == 2
    assert SupportAllowance.objects.get(user=people.citizen).used == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossing_the_threshold_at_once_changes_the_state_once(supported_process, make_user):
    process = supported_process(threshold=3)
    proposal = make_proposal(process)
    users = [make_user() for _ in range(8)]
    assert _support_at_once(process, [(proposal, user) for user in users]) == ["supported"] * 8
    assert count_of(proposal) == 8
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.EVALUATION
    assert StateChange.objects.filter(proposal=proposal).count() == 1
