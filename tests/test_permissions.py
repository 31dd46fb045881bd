"""Who may do what: every role against the directory, network and account actions, as a rule and over HTTP.

The rule (`rules.has_perm`) is what the permission says. `user.has_perm` is what views and templates ask; it agrees
with the rule except for superusers, to whom Django grants every permission. The HTTP check asks the view itself:
allowed -> the page (200) or the action done (302 back to the object); anonymous -> the login page or 403;
signed in without the right -> 403.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from civiclink.places.models import NetworkMembership, Organisation
from support import ROLES

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = frozenset({"staff", "superuser"})


@dataclass(frozen=True)
class Action:
    permission: str
    target: str | None  # attribute of the `world` fixture the permission is checked on
    allowed: frozenset  # roles for which the rule holds
    method: str
    url: Callable
    data: Callable = lambda world: {}
    anonymous: str = "login"  # what the view does with an anonymous visitor: "login" or "forbidden"
    refused: int = 403  # the status of a refusal; 404 where the object's existence is itself private
    done: Callable | None = None  # after an allowed POST: did the action take effect?


def org_url(name, suffix=""):
    return lambda world: f"/en/organisations/{getattr(world, name).slug}/{suffix}"


def statement_url(name):
    return lambda world: getattr(world, name).get_absolute_url().replace("/bs/", "/en/", 1)


ACTIONS = {
    "view a verified organisation": Action(
        "places.view_organisation", "other", EVERYONE, "get", org_url("other"), anonymous="forbidden"
    ),
    "view own unverified organisation": Action(
        "places.view_organisation",
        "own_pending",
        {"org_member", "org_admin"} | STAFF,
        "get",
        org_url("own_pending"),
        anonymous="forbidden",
        refused=404,
    ),
    "view another unverified organisation": Action(
        "places.view_organisation",
        "other_pending",
        STAFF,
        "get",
        org_url("other_pending"),
        anonymous="forbidden",
        refused=404,
    ),
    "register an organisation": Action(
        "places.add_organisation", None, SIGNED_IN, "get", lambda world: "/en/organisations/register/"
    ),
    "edit own organisation": Action(
        "places.change_organisation", "own", {"org_admin"} | STAFF, "get", org_url("own", "edit/")
    ),
    "edit another organisation": Action("places.change_organisation", "other", STAFF, "get", org_url("other", "edit/")),
    "verify an organisation": Action(
        "places.verify_organisation",
        "other_pending",
        STAFF,
        "post",
        org_url("other_pending", "verify/"),
        done=lambda world: Organisation.objects.get(pk=world.other_pending.pk).verified,
    ),
    "join the network": Action(
        "places.join_network",
        "own",
        {"org_admin"} | STAFF,
        "post",
        org_url("own", "join-network/"),
        done=lambda world: NetworkMembership.objects.filter(organisation=world.own).exists(),
    ),
    "sign for a coalition member": Action(
        "places.sign_statement",
        "statement",
        {"org_admin"},
        "post",
        statement_url("statement"),
        data=lambda world: {"organisation": world.own.pk},
        anonymous="forbidden",
        done=lambda world: world.statement.signatures.filter(organisation=world.own).exists(),
    ),
    "sign for an organisation outside the coalition": Action(
        "places.sign_statement",
        "rivers_statement",
        frozenset(),
        "post",
        statement_url("rivers_statement"),
        data=lambda world: {"organisation": world.own.pk},
        anonymous="forbidden",
    ),
    "change own municipality": Action(
        "places.change_municipality",
        "home",
        {"officer"} | STAFF,
        "get",
        lambda world: "/en/municipalities/mostar/edit/",
    ),
    "change another municipality": Action(
        "places.change_municipality", "away", STAFF, "get", lambda world: "/en/municipalities/trebinje/edit/"
    ),
    "open the back office": Action("wagtailadmin.access_admin", None, STAFF, "get", lambda world: "/admin/"),
    "export own data": Action("accounts.export_own_data", None, SIGNED_IN, "post", lambda world: "/en/account/data/"),
    "delete own account": Action(
        "accounts.delete_own_account", None, SIGNED_IN - {"superuser"}, "get", lambda world: "/en/account/delete/"
    ),
}

CASES = [pytest.param(role, action, id=f"{action}-{role}") for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("role", "action"), CASES)
def test_permission(role, action, world, role_user, client):
    spec = ACTIONS[action]
    user = role_user(role)
    target = getattr(world, spec.target) if spec.target else None
    args = (target,) if target is not None else ()

    # The rule, and what views and templates ask: Django grants superusers every permission, whatever the rule.
    assert rules.has_perm(spec.permission, user or AnonymousUser(), *args) is (role in spec.allowed)
    assert (user or AnonymousUser()).has_perm(spec.permission, *args) is (role in spec.allowed or role == "superuser")

    # The view.
    if user is not None:
        client.force_login(user)
    response = getattr(client, spec.method)(spec.url(world), spec.data(world))
    if role in spec.allowed:
        if spec.method == "get" or spec.done is None:
            assert response.status_code == 200
        else:
            assert response.status_code == 302
            assert "/accounts/login/" not in response["Location"]
            assert spec.done(world)
        return
    if role == "anonymous" and spec.anonymous == "login":
        assert response.status_code == 302
        assert re.match(r"/[a-z-]+/accounts/login/\?next=", response["Location"])
    else:
        assert response.status_code == spec.refused
        assert f"{spec.refused}.html" in [template.name for template in response.templates], "the site's own page"
    if spec.done is not None:
        assert not spec.done(world), "a refused action must not take effect"
