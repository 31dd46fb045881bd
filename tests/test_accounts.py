"""Accounts: signing up, the person's own data (export and deletion), login rate limits, staff access and
two-factor authentication for the back office."""

import json
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core import mail

from civiclink.accounts.models import PlatformRole, Role, User
from civiclink.accounts.roles import STAFF_GROUP, grant_platform_role, revoke_platform_role
from civiclink.places.models import MunicipalRole, NetworkMembership, OrganisationMembership, StatementSignature
from support import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"


def signup_data(email: str) -> dict:
    return {
        "first_name": "Amra",
        "last_name": "Hodžić",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


# --- Signing up -----------------------------------------------------------------------------------------------


def test_signup_creates_the_account_and_asks_to_confirm_the_address(client):
    response = client.post(SIGNUP, signup_data("amra@example.org"))

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = User.objects.get(email="amra@example.org")
    assert (user.first_name, user.last_name, user.language) == ("Amra", "Hodžić", "en")
    assert [message.to for message in mail.outbox] == [["amra@example.org"]]
    assert re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body)


def test_signup_from_a_page_in_another_language_writes_to_the_person_in_it(client):
    client.post("/mk/accounts/signup/", signup_data("ana@example.org"))

    assert User.objects.get(email="ana@example.org").language == "mk"


@pytest.mark.parametrize("email", ["amra@example.org", "Amra@Example.ORG", " AMRA@example.org "])
def test_signup_with_an_address_that_has_an_account_creates_no_second_account(client, make_user, email):
    existing = make_user("amra@example.org")

    response = client.post(SIGNUP, signup_data(email))

    # allauth does not tell a stranger that the address has an account (enumeration): the response looks like a
    # successful signup, and the owner of the address is told by e-mail instead.
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert list(User.objects.all()) == [existing]
    assert [message.to for message in mail.outbox] == [["amra@example.org"]]
    assert "already" in mail.outbox[0].subject.lower()
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD) and existing.first_name == ""  # nothing of the stranger's was kept


def test_e_mails_speak_for_civiclink(client):
    client.post(SIGNUP, signup_data("amra@example.org"))
    message = mail.outbox[0]
    assert "example.com" not in message.subject + message.body
    assert "CivicLink" in message.subject


# --- The person's own data ------------------------------------------------------------------------------------


@pytest.fixture
def active_person(world, make_user):
    """A user with a bit of everything: CSO admin, councillor, evaluator, 2FA, network contact and a signature."""
    person = make_user("jelena@example.org", first_name="Jelena", last_name="Savić")
    OrganisationMembership.objects.create(user=person, organisation=world.other, role="admin")
    MunicipalRole.objects.create(user=person, municipality=world.away, role="councillor")
    grant_platform_role(person, Role.EVALUATOR)
    TOTP.activate(person, generate_totp_secret())
    NetworkMembership.objects.filter(organisation=world.other).update(contact_person=person)
    StatementSignature.objects.create(statement=world.rivers_statement, organisation=world.other, signed_by=person)
    return person


def test_export_gives_everything_held_about_the_person(client, world, active_person):
    client.force_login(active_person)

    response = client.post("/en/account/data/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    account = data["account"]
    assert (account["email"], account["first_name"], account["last_name"]) == ("jelena@example.org", "Jelena", "Savić")
    assert account["email_addresses"] == [{"email": "jelena@example.org", "verified": True, "primary": True}]
    assert account["platform_roles"] == ["evaluator"]
    assert account["two_factor_methods"] == ["totp"]
    directory = data["directory"]
    assert [(m["organisation"], m["role"]) for m in directory["organisation_memberships"]] == [("Una zajedno", "admin")]
    assert [(r["municipality"], r["role"]) for r in directory["municipal_roles"]] == [("Trebinje", "councillor")]
    assert directory["network_contact_for"] == ["Una zajedno"]
    assert [(s["statement"], s["organisation"]) for s in directory["statements_signed"]] == [("No dams", "Una zajedno")]
    assert "password" not in response.content.decode()


def test_export_is_only_by_post(client, active_person):
    client.force_login(active_person)
    assert client.get("/en/account/data/").status_code == 405


def test_export_contains_nobody_elses_data(client, world, active_person, make_user):
    stranger = make_user("stranger@example.org")
    client.force_login(stranger)
    data = json.loads(client.post("/en/account/data/").content)
    assert data["account"]["email"] == "stranger@example.org"
    assert all(not values for values in data["directory"].values())
    assert "jelena" not in json.dumps(data).lower()


def test_deleting_the_account_anonymises_it_and_keeps_public_contributions(client, world, active_person):
    client.force_login(active_person)
    pk = active_person.pk

    response = client.post("/en/account/delete/", {"confirm": "on", "password": PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(pk=pk)
    assert user.email == f"deleted-{pk}@deleted.invalid"
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.is_active and not user.has_usable_password()
    assert not OrganisationMembership.objects.filter(user=user).exists()
    assert not MunicipalRole.objects.filter(user=user).exists()
    assert not PlatformRole.objects.filter(user=user).exists()
    assert not user.authenticator_set.exists()
    assert NetworkMembership.objects.get(organisation=world.other).contact_person is None
    signature = StatementSignature.objects.get(statement=world.rivers_statement)
    assert signature.organisation == world.other and signature.signed_by is None  # the CSO's act stays public
    # The person is logged out and cannot log in again.
    assert client.get("/en/account/").status_code == 302
    login = client.post(LOGIN, {"login": "jelena@example.org", "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in client.session


def test_when_the_last_administrator_leaves_the_longest_standing_member_takes_over(client, world, make_user):
    leaving = make_user("leaving@example.org")
    OrganisationMembership.objects.create(user=leaving, organisation=world.other, role="admin")
    first = OrganisationMembership.objects.create(user=make_user("first@example.org"), organisation=world.other)
    OrganisationMembership.objects.create(user=make_user("second@example.org"), organisation=world.other)
    client.force_login(leaving)

    client.post("/en/account/delete/", {"confirm": "on", "password": PASSWORD})

    admins = OrganisationMembership.objects.filter(organisation=world.other, role="admin")
    assert list(admins.values_list("pk", flat=True)) == [first.pk]


def test_deleting_needs_the_password_and_the_confirmation(client, active_person):
    client.force_login(active_person)
    for data in ({"confirm": "on", "password": "wrong"}, {"password": PASSWORD}):
        response = client.post("/en/account/delete/", data)
        assert response.status_code == 200
        assert response.context["form"].errors
    active_person.refresh_from_db()
    assert active_person.is_active and active_person.email == "jelena@example.org"


def test_a_staff_member_who_leaves_loses_the_back_office(client, role_user):
    staff = role_user("staff")
    client.force_login(staff)
    client.post("/en/account/delete/", {"confirm": "on", "password": PASSWORD})
    staff.refresh_from_db()
    assert not staff.is_staff and not staff.groups.exists()


def test_a_superuser_cannot_delete_their_own_account(client, role_user):
    admin = role_user("superuser")
    client.force_login(admin)

    assert client.get("/en/account/delete/").status_code == 403
    response = client.post("/en/account/delete/", {"confirm": "on", "password": PASSWORD})

    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.is_active and admin.is_superuser and admin.email == "superuser@example.org"


# --- Logging in -----------------------------------------------------------------------------------------------


def test_login_works(client, make_user):
    user = make_user("amra@example.org")
    response = client.post(LOGIN, {"login": "AMRA@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_logins_lock_the_account_for_a_while(client, make_user):
    """ACCOUNT_RATE_LIMITS["login_failed"]: after 5 wrong passwords for one address even the right one is refused."""
    make_user("amra@example.org")
    for _ in range(5):
        response = client.post(LOGIN, {"login": "amra@example.org", "password": "wrong-password"})
        assert "are not correct" in response.content.decode()

    response = client.post(LOGIN, {"login": "amra@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_burst_of_logins_from_one_address_gets_429(client):
    """ACCOUNT_RATE_LIMITS["login"] = 30 per minute per IP: the 31st attempt is answered 429 Too Many Requests."""
    statuses = [
        client.post(LOGIN, {"login": f"guess{n}@example.org", "password": "guess"}).status_code for n in range(31)
    ]
    assert statuses == [200] * 30 + [429]
    # Another address is not affected.
    other = client.post(LOGIN, {"login": "x@example.org", "password": "guess"}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


# --- Staff and the back office --------------------------------------------------------------------------------


def test_the_staff_role_opens_and_closes_the_back_office(client, make_user):
    user = make_user()
    client.force_login(user)
    assert client.get("/admin/").status_code == 403

    grant_platform_role(user, Role.STAFF)
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name=STAFF_GROUP).exists()
    assert Group.objects.get(name=STAFF_GROUP).permissions.filter(codename="access_admin").exists()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200

    revoke_platform_role(user, Role.STAFF)
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.filter(name=STAFF_GROUP).exists()
    client.force_login(user)
    assert client.get("/admin/").status_code == 403


def test_a_signed_in_user_without_rights_is_not_sent_round_in_circles(client, make_user):
    """Wagtail sends users without back-office rights to the login page, which sends signed-in users back."""
    client.force_login(make_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1


@pytest.fixture
def mfa_required(settings):
    settings.STAFF_MFA_REQUIRED = True


@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_staff_without_two_factor_are_sent_to_set_it_up(client, role_user, mfa_required, role):
    client.force_login(role_user(role))

    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert re.fullmatch(r"/[a-z-]+/accounts/2fa/totp/activate/\?next=/admin/pages/", response["Location"])


@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_staff_with_two_factor_get_in(client, role_user, mfa_required, role):
    user = role_user(role)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", ["user", "org_admin", "moderator", "evaluator"])
def test_two_factor_is_not_demanded_of_non_staff(client, role_user, mfa_required, role):
    client.force_login(role_user(role))
    assert client.get("/en/account/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 403  # no back office for them, but no 2FA set-up either
    assert client.get("/en/organisations/").status_code == 200


def test_without_the_requirement_staff_get_in_without_two_factor(client, role_user, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(role_user("staff"))
    assert client.get("/admin/").status_code == 200


def test_the_profile_shows_the_roles_and_saves_the_name(client, world, role_user):
    user = role_user("org_admin")
    client.force_login(user)
    page = client.get("/en/account/").content.decode()
    assert world.own.legal_name in page and world.own_pending.legal_name in page

    # The language of e-mails was never chosen: the form shows the site's (Bosnian), which is what the user gets.
    assert re.search(r'<option value="bs" selected>', page) and '<option value=""' not in page

    response = client.post("/en/account/", {"first_name": "Jelena", "last_name": "Savić", "language": "xx"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()

    response = client.post("/en/account/", {"first_name": "Jelena", "last_name": "Savić", "language": "sr"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.get_full_name(), user.language, user.email_language) == ("Jelena Savić", "sr", "sr")
