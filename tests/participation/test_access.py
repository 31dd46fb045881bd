"""The registry's capability checks: the running phase and its audience decide, and the refusal says what helps."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civiclink.participation import access
from civiclink.participation.access import Need
from civiclink.participation.features import Setting, registry
from civiclink.participation.models import Phase, PhaseCapability

pytestmark = pytest.mark.django_db


def who(user):
    return user or AnonymousUser()


@pytest.mark.parametrize(
    "audience, allowed",
    [
        ("anyone", {"anonymous", "unverified", "citizen", "resident", "org_member", "officer"}),
        ("registered", {"unverified", "citizen", "resident", "org_member", "officer"}),
        ("verified", {"citizen", "resident", "org_member", "officer"}),
        ("resident", {"resident"}),
        ("cso", {"org_member"}),
    ],
)
def test_audiences(make_process, fresh, people, audience, allowed):
    process = fresh(make_process(capabilities={"supports.support": audience}))
    for name in ("anonymous", "unverified", "citizen", "resident", "org_member", "officer"):
        result = access.check(who(getattr(people, name)), process, "supports", "support")
        assert result.allowed == (name in allowed), (audience, name)


def test_refusals_say_what_would_help(make_process, fresh, people, world):
    process = fresh(make_process(capabilities={"supports.support": "resident", "comments.comment": "registered"}))
    anonymous = access.check(AnonymousUser(), process, "comments", "comment")
    assert (anonymous.need, anonymous.reason) == (Need.LOGIN, "Log in to comment.")
    assert anonymous.next_step.endswith("/accounts/login/")
    resident = access.check(people.citizen, process, "supports", "support")
    assert resident.need == Need.RESIDENT
    assert "verified resident of Mostar" in resident.reason
    assert resident.next_step.endswith(f"/residency/{world.home.slug}/")


def test_an_action_no_phase_grants_is_closed_and_says_when_it_opens(make_process, fresh, people):
    process = make_process(capabilities={"comments.comment": "registered"})
    later = Phase.objects.create(
        process=process,
        name="Voting",
        starts_at=timezone.now() + datetime.timedelta(days=40),
        ends_at=timezone.now() + datetime.timedelta(days=50),
    )
    PhaseCapability.objects.create(phase=later, feature="supports", action="support", audience="registered")
    result = access.check(people.citizen, fresh(process), "supports", "support")
    assert result.need == Need.PHASE
    assert result.reason.startswith("You will be able to support a proposal from ")
    assert access.check(people.citizen, fresh(process), "comments", "comment").allowed


def test_outside_every_phase_nothing_is_allowed(make_process, fresh, people):
    process = make_process()
    process.phases.update(
        starts_at=timezone.now() - datetime.timedelta(days=10), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    result = access.check(people.citizen, fresh(process), "comments", "comment")
    assert (result.allowed, result.need) == (False, Need.PHASE)
    assert result.reason == "It is not possible to comment in this phase of the process."


def test_features_the_process_does_not_use_are_refused(make_process, fresh, people):
    process = fresh(make_process(features=("comments",)))
    assert access.check(people.citizen, process, "polls", "vote").need == Need.FEATURE
    assert set(access.capabilities(people.citizen, process)) == {"comments.comment"}


def test_supports_need_the_proposals_feature(make_process, fresh, people):
    process = fresh(make_process(features=("supports",), capabilities={"supports.support": "registered"}))
    assert access.check(people.citizen, process, "supports", "support").need == Need.FEATURE


def test_a_blocked_user_is_refused_and_told(make_process, fresh, people):
    from civiclink.moderation.actions import block

    block(people.citizen, moderator=people.moderator, reason="Spam")
    result = access.check(people.citizen, fresh(make_process()), "comments", "comment")
    assert result.need == Need.BLOCKED


def test_registry_declares_the_features_and_refuses_duplicates():
    assert {feature.key for feature in registry} == {
        "proposals",
        "comments",
        "supports",
        "polls",
        "meetings",
        "results",
    }
    assert registry["supports"].clean_settings({"limit": "3"}) == {"limit": 3, "threshold": None}
    with pytest.raises(ValueError):
        registry.register(registry["polls"])
    with pytest.raises(ValueError):
        Setting("limit", "limit", minimum=1).clean("0")
