"""The permission matrix: every role against every participation rule, asked through `rules.has_perm` exactly as
views, templates and the API ask it. Each table row says who is allowed; everyone else must be refused."""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civiclink.participation.features import registry
from civiclink.places.models import MunicipalRole

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "unverified",
    "citizen",
    "resident",  # a verified resident of Mostar
    "org_member",  # a member of a verified CSO
    "officer",  # an officer of Mostar, where the processes are
    "officer_elsewhere",  # an officer of Trebinje
    "moderator",
    "staff",
)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
VERIFIED = SIGNED_IN - {"unverified"}

# Who passes each audience a phase can open an action to.
AUDIENCES = {
    "anyone": EVERYONE,
    "registered": SIGNED_IN,
    "verified": VERIFIED,
    "resident": frozenset({"resident"}),
    "cso": frozenset({"org_member"}),
    "closed": frozenset(),  # no running phase opens the action
}

# The citizens' actions, one rule each, generated from the registry like the rules themselves.
ACTIONS = {
    f"participation.{action.name}": (feature.key, action.name) for feature in registry for action in feature.actions
}

# The rules about processes themselves: who may, for a published process and for a draft.
PROCESS_RULES = {
    "participation.view_process": {"published": EVERYONE, "draft": {"officer", "staff"}},
    "participation.manage_process": {"published": {"officer", "staff"}, "draft": {"officer", "staff"}},
    "participation.answer_proposal": {"published": {"officer", "staff"}, "draft": {"officer", "staff"}},
    "participation.moderate": {
        "published": {"officer", "moderator", "staff"},
        "draft": {"officer", "moderator", "staff"},
    },
}
# Rules without an object, or with a municipality (Mostar) as object.
OTHER_RULES = {
    "participation.add_process": {"officer", "officer_elsewhere", "staff"},
    "participation.verify_residents": {"officer", "staff"},
}


@pytest.fixture
def everyone(people, make_user, world):
    """{role: user} for every role of the matrix (AnonymousUser for "anonymous")."""
    elsewhere = make_user("officer-trebinje@example.org")
    MunicipalRole.objects.create(user=elsewhere, municipality=world.away, role="officer")
    users = {role: getattr(people, role, None) for role in ROLES}
    users["anonymous"] = AnonymousUser()
    users["officer_elsewhere"] = elsewhere
    return users


def allowed(everyone, perm: str, obj=None) -> set[str]:
    return {role for role, user in everyone.items() if rules.has_perm(perm, user, obj)}


def test_the_matrix_covers_every_action_of_the_registry():
    assert set(ACTIONS) == {
        "participation.submit",
        "participation.endorse",
        "participation.comment",
        "participation.support",
        "participation.vote",
        "participation.attend",
    }


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("perm", ACTIONS)
def test_citizens_actions_follow_the_audience_of_the_running_phase(everyone, make_process, fresh, perm, audience):
    feature, action = ACTIONS[perm]
    opened = {} if audience == "closed" else {f"{feature}.{action}": audience}
    process = fresh(make_process(capabilities=opened))
    assert allowed(everyone, perm, process) == AUDIENCES[audience]


@pytest.mark.parametrize("perm", ACTIONS)
def test_nothing_is_allowed_between_phases_even_to_anyone(everyone, make_process, fresh, perm):
    feature, action = ACTIONS[perm]
    process = make_process(capabilities={f"{feature}.{action}": "anyone"})
    process.phases.update(
        starts_at=timezone.now() - datetime.timedelta(days=9), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert allowed(everyone, perm, fresh(process)) == set()


@pytest.mark.parametrize("perm", ACTIONS)
def test_nothing_is_allowed_in_a_feature_the_process_does_not_use(everyone, make_process, fresh, perm):
    feature, action = ACTIONS[perm]
    unused = tuple(key for key in ("proposals", "comments", "supports", "polls", "meetings") if key != feature)
    process = make_process(features=unused, capabilities={f"{feature}.{action}": "anyone"})
    assert allowed(everyone, perm, fresh(process)) == set()


@pytest.mark.parametrize("state", ["published", "draft"])
@pytest.mark.parametrize("perm", PROCESS_RULES)
def test_rules_about_a_process(everyone, make_process, fresh, perm, state):
    process = fresh(make_process(published=state == "published"))
    assert allowed(everyone, perm, process) == PROCESS_RULES[perm][state]


@pytest.mark.parametrize("perm", OTHER_RULES)
def test_creating_processes_and_verifying_residents_of_mostar(everyone, world, perm):
    obj = world.home if perm == "participation.verify_residents" else None
    assert allowed(everyone, perm, obj) == OTHER_RULES[perm]


def test_verifying_residents_is_per_municipality(everyone, world):
    assert allowed(everyone, "participation.verify_residents", world.away) == {"officer_elsewhere", "staff"}


def test_a_blocked_user_is_refused_every_action_even_one_open_to_anyone(everyone, make_process, fresh, people):
    from civiclink.moderation.actions import block

    block(people.citizen, moderator=people.moderator, reason="Spam")
    process = fresh(
        make_process(capabilities={f"{feature}.{action}": "anyone" for feature, action in ACTIONS.values()})
    )
    for perm in ACTIONS:
        assert allowed(everyone, perm, process) == EVERYONE - {"citizen"}, perm
