"""The directory as organisations and visitors use it: registering a CSO (and what happens with bad input), the
listing with its filters, verification, the network, joint statements and members."""

import io
import os

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from civiclink.accounts.models import Role
from civiclink.accounts.roles import grant_platform_role
from civiclink.places import network, registration
from civiclink.places.forms import OrganisationForm
from civiclink.places.membership import LastAdministrator, remove_member
from civiclink.places.models import Organisation, OrganisationMembership, Sector, StatementSignature
from civiclink.places.registration import DuplicateRegistration, register_organisation
from support import at_once

pytestmark = pytest.mark.django_db

REGISTER = "/{language}/organisations/register/"


def png(size=(64, 64), noise=False) -> bytes:
    """A real PNG; with noise it does not compress, so (1000, 1000) makes about 3 MB."""
    width, height = size
    image = Image.frombytes("RGB", size, os.urandom(width * height * 3)) if noise else Image.new("RGB", size, "#3366aa")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.fixture
def registrant(client, make_user):
    user = make_user("registrant@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def form_data(world):
    return {
        "legal_name": "Udruženje građana „Most za Jablanicu”",
        "short_name": "Most za Jablanicu",
        "registration_number": "rs-2024/117",
        "municipality": world.home.pk,
        "sectors": [sector.pk for sector in Sector.objects.filter(slug__in=["youth", "local-development"])],
        "email": "info@most.example.org",
        "website": "https://most.example.org",
        "founded_year": "2016",
        "language": "bs",
        "description": "Okupljamo građane oko malih javnih radova.",
    }


# --- Registering ----------------------------------------------------------------------------------------------


def test_registration_creates_an_unverified_organisation_administered_by_the_registrant(
    client, registrant, form_data, make_user
):
    staff = make_user("staff@example.org")
    grant_platform_role(staff, Role.STAFF)
    form_data["logo"] = SimpleUploadedFile("logo.png", png(), content_type="image/png")

    response = client.post(REGISTER.format(language="en"), form_data)

    organisation = Organisation.objects.get(legal_name=form_data["legal_name"])
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url().replace("/bs/", "/en/", 1)
    assert organisation.registration_number == "RS-2024/117"  # normalised
    assert organisation.slug == "most-za-jablanicu"
    assert not organisation.verified
    assert sorted(organisation.sectors.values_list("slug", flat=True)) == ["local-development", "youth"]
    assert organisation.logo.name.startswith("organisations/")
    assert OrganisationMembership.objects.get(organisation=organisation).user == registrant
    assert OrganisationMembership.objects.get(organisation=organisation).role == "admin"
    # Staff are told to verify it.
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert form_data["legal_name"] in mail.outbox[0].subject
    # Until then it is not listed, and only its members and staff can open its page.
    assert form_data["legal_name"] not in names_on(client.get("/en/organisations/"))
    assert client.get(response["Location"]).status_code == 200
    client.logout()
    assert client.get(response["Location"]).status_code == 404


def test_staff_are_told_of_a_registration_in_the_language_each_chose(client, registrant, form_data, make_user):
    for email, language in (("ana@example.org", "mk"), ("besa@example.org", "sq"), ("zoran@example.org", "sq")):
        grant_platform_role(make_user(email, language=language), Role.STAFF)

    client.post(REGISTER.format(language="en"), form_data)

    subjects = {tuple(message.to): message.subject for message in mail.outbox}
    name = form_data["legal_name"]
    assert subjects == {
        ("ana@example.org",): f"Нова организација чека верификација: {name}",
        ("besa@example.org", "zoran@example.org"): f"Organizatë e re për verifikim: {name}",
    }


def test_staff_verify_and_the_organisation_is_listed(client, world, role_user):
    client.force_login(role_user("staff"))
    assert world.other_pending.legal_name not in names_on(client.get("/en/organisations/"))

    response = client.post(f"/en/organisations/{world.other_pending.slug}/verify/")

    assert response.status_code == 302
    world.other_pending.refresh_from_db()
    assert world.other_pending.verified and world.other_pending.verified_at is not None
    assert world.other_pending.legal_name in names_on(client.get("/en/organisations/"))


BAD_INPUT = {
    "missing fields": (
        {"legal_name": "", "registration_number": "", "municipality": "", "sectors": [], "language": ""},
        ["legal_name", "registration_number", "municipality", "sectors", "language"],
        "This field is required.",
    ),
    "bad registration number": (
        {"registration_number": "RU #17"},
        ["registration_number"],
        "Enter the registration number as it appears in the register: digits, letters, dots, dashes.",
    ),
    "too short registration number": (
        {"registration_number": "1"},
        ["registration_number"],
        "Enter the registration number as it appears in the register: digits, letters, dots, dashes.",
    ),
    "oversized logo": (
        {"logo": lambda: SimpleUploadedFile("logo.png", png((1000, 1000), noise=True), content_type="image/png")},
        ["logo"],
        "The image may be at most 2 MB.",
    ),
    "logo that is not an image": (
        {"logo": lambda: SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture", content_type="image/png")},
        ["logo"],
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
    ),
    "duplicate registration number": (
        {"registration_number": "RU-1001/DEMO"},
        ["registration_number"],
        "An organisation with this registration number is already registered.",
    ),
    "duplicate registration number, other spacing and case": (
        {"registration_number": " ru-1001/demo "},
        ["registration_number"],
        "An organisation with this registration number is already registered.",
    ),
    "duplicate registration number, inner spaces": (
        {"registration_number": "RU-1001 / DEMO"},
        ["registration_number"],
        "An organisation with this registration number is already registered.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_registration_rejects_bad_input(client, registrant, world, form_data, make_organisation, case):
    changes, fields, message = BAD_INPUT[case]
    make_organisation("Udruženje mladih „Stari most”", world.home, registration_number="RU-1001/DEMO")
    before = Organisation.objects.count()
    form_data |= {key: value() if callable(value) else value for key, value in changes.items()}

    response = client.post(REGISTER.format(language="en"), form_data)

    assert response.status_code == 200
    assert Organisation.objects.count() == before
    form = response.context["form"]
    assert sorted(form.errors) == sorted(fields)
    assert message in form.errors[fields[0]]
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page  # the error summary
    # What the person typed is still there.
    assert 'value="info@most.example.org"' in page and 'value="https://most.example.org"' in page
    if form_data["legal_name"]:
        assert f'value="{form_data["legal_name"]}"' in page
    if changes.get("registration_number"):
        assert f'value="{changes["registration_number"]}"' in page


def test_registration_errors_are_in_the_visitors_language(client, registrant, world, form_data, make_organisation):
    make_organisation("Udruženje mladih „Stari most”", world.home, registration_number="RU-1001/DEMO")
    form_data |= {"legal_name": "", "registration_number": " ru-1001/demo "}

    page = client.post(REGISTER.format(language="bs"), form_data).content.decode()

    assert '<html lang="bs"' in page
    assert "Ovo polje se mora popuniti." in page  # Django's own Bosnian catalogue
    duplicate = "An organisation with this registration number is already registered."
    assert gettext_in("bs", duplicate) != duplicate, "the message is missing from the Bosnian catalogue"
    assert gettext_in("bs", duplicate) in page
    assert duplicate not in page


def test_a_registration_number_taken_while_the_form_was_checked_is_refused(world, form_data, make_user):
    """Two people register the same CSO at once: the form check passed for both, the database refuses one."""
    user = make_user()
    form = OrganisationForm(form_data)
    assert form.is_valid()
    Organisation.objects.create(
        legal_name="The other registration", slug="other", registration_number="RS-2024/117", municipality=world.home
    )

    with pytest.raises(DuplicateRegistration):
        register_organisation(form, user)

    assert not OrganisationMembership.objects.filter(user=user).exists()
    assert Organisation.objects.filter(registration_number="RS-2024/117").count() == 1


def test_a_slug_taken_while_registering_goes_to_the_next_free_one(world, form_data, make_user, monkeypatch):
    """Two CSOs of the same name register at once: both picked the same free slug; the later one moves on."""
    user = make_user()
    form = OrganisationForm(form_data)
    assert form.is_valid()
    taken = Organisation.objects.create(
        legal_name="Same name", slug="same-name", registration_number="RS-1/1", municipality=world.home
    )
    picks = iter(["same-name"])  # what the racing request saw as free, then the real choice
    real_unique_slug = registration.unique_slug
    monkeypatch.setattr(registration, "unique_slug", lambda *args: next(picks, None) or real_unique_slug(*args))

    organisation = register_organisation(form, user)

    assert organisation.slug != taken.slug
    assert OrganisationMembership.objects.get(user=user).organisation == organisation


def test_the_admin_edits_the_profile(client, world, role_user, form_data):
    client.force_login(role_user("org_admin"))
    form_data |= {"registration_number": world.own.registration_number, "description": "Nova verzija opisa."}

    response = client.post(f"/en/organisations/{world.own.slug}/edit/", form_data)

    assert response.status_code == 302
    world.own.refresh_from_db()
    assert world.own.description == "Nova verzija opisa."
    assert world.own.search_text.endswith("nova verzija opisa.")


# --- The listing ----------------------------------------------------------------------------------------------


@pytest.fixture
def listing(world, make_organisation):
    make_organisation("Omladinski centar „Krivaja”", world.home, sectors=["youth", "sport"], network=True)
    make_organisation("Udruženje „Platani”", world.away, sectors=["culture", "education"])
    return world


def names_on(response) -> list[str]:
    return [organisation.legal_name for organisation in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Centar za građanske inicijative", "Omladinski centar „Krivaja”", "Udruženje „Platani”", "Una zajedno"]),
        ({"sector": "youth"}, ["Omladinski centar „Krivaja”"]),
        ({"municipality": "trebinje"}, ["Udruženje „Platani”", "Una zajedno"]),
        ({"network": "on"}, ["Omladinski centar „Krivaja”", "Una zajedno"]),
        ({"network": "on", "municipality": "mostar"}, ["Omladinski centar „Krivaja”"]),
        ({"q": "centar"}, ["Centar za građanske inicijative", "Omladinski centar „Krivaja”"]),
        ({"q": "gradjanske"}, ["Centar za građanske inicijative"]),
        ({"q": "nobody"}, []),
        ({"sector": "no-such-sector"}, []),  # an invalid filter is an empty form, not a server error
    ],
)
def test_directory_filters(client, listing, query, expected):
    response = client.get("/en/organisations/", query)
    assert response.status_code == 200
    if query.get("sector") == "no-such-sector":
        assert "sector" in response.context["form"].errors
        return
    assert names_on(response) == expected


def test_unverified_organisations_are_never_listed(client, listing):
    for query in ({}, {"municipality": "mostar"}, {"municipality": "trebinje"}, {"network": "on"}):
        listed = names_on(client.get("/en/organisations/", query))
        assert listed and not any("Novi početak" in name or "Leotar" in name for name in listed)
    for query in ({"q": "Novi"}, {"q": "Leotar"}):
        assert names_on(client.get("/en/organisations/", query)) == []


def test_directory_pages_keep_the_filters(client, listing, settings):
    settings.CIVICLINK_PAGE_SIZE = 1
    response = client.get("/en/organisations/", {"q": "centar", "page": 2})
    assert names_on(response) == ["Omladinski centar „Krivaja”"]
    assert response.context["page"].paginator.num_pages == 2
    assert "q=centar&amp;page=1" in response.content.decode()


def test_htmx_gets_only_the_results(client, listing):
    response = client.get("/en/organisations/", {"sector": "youth"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert "Omladinski centar „Krivaja”" in page


# --- Network and statements -----------------------------------------------------------------------------------


def test_an_admin_joins_the_network(client, world, role_user):
    client.force_login(role_user("org_admin"))
    client.post(f"/en/organisations/{world.own.slug}/join-network/")
    world.own.refresh_from_db()
    assert world.own.is_network_member
    assert world.own.legal_name in client.get("/en/network/").content.decode()
    # Once a member, the offer is gone.
    page = client.get(f"/en/organisations/{world.own.slug}/").content.decode()
    assert f"/organisations/{world.own.slug}/join-network/" not in page


def test_an_admin_co_signs_a_statement_once(client, world, role_user):
    admin = role_user("org_admin")
    client.force_login(admin)
    url = world.statement.get_absolute_url().replace("/bs/", "/en/", 1)
    assert "Co-sign this statement" in client.get(url).content.decode()

    response = client.post(url, {"organisation": world.own.pk})

    assert response.status_code == 302
    signature = StatementSignature.objects.get(statement=world.statement)
    assert (signature.organisation, signature.signed_by) == (world.own, admin)
    page = client.get(url).content.decode()
    assert world.own.legal_name in page
    assert "Signed by 1 of 1 member organisation" in page
    assert "Co-sign this statement" not in page  # nothing left to sign for
    assert client.post(url, {"organisation": world.own.pk}).status_code == 403
    assert network.sign_statement(world.statement, world.own, admin) == signature  # idempotent
    assert StatementSignature.objects.count() == 1


def test_an_admin_cannot_sign_for_an_organisation_outside_the_coalition(client, world, role_user, make_organisation):
    admin = role_user("org_admin")
    outsider = make_organisation("Outsider", world.home)
    OrganisationMembership.objects.create(user=admin, organisation=outsider, role="admin")
    client.force_login(admin)
    url = world.statement.get_absolute_url().replace("/bs/", "/en/", 1)

    response = client.post(url, {"organisation": outsider.pk})

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not StatementSignature.objects.exists()


# --- Members and municipal profiles ---------------------------------------------------------------------------


def test_an_admin_adds_a_member_by_e_mail(client, world, role_user, make_user):
    client.force_login(role_user("org_admin"))
    newcomer = make_user("Newcomer@Example.org")
    url = f"/en/organisations/{world.own.slug}/members/"

    response = client.post(url, {"action": "add", "email": "NEWCOMER@example.org", "role": "member"})

    assert response.status_code == 302
    assert OrganisationMembership.objects.get(organisation=world.own, user=newcomer).role == "member"
    unknown = client.post(url, {"action": "add", "email": "nobody@example.org", "role": "member"})
    assert unknown.status_code == 200
    assert "email" in unknown.context["form"].errors


def test_an_organisation_keeps_its_last_administrator(client, world, role_user):
    admin = role_user("org_admin")
    membership = OrganisationMembership.objects.get(user=admin, organisation=world.own)
    with pytest.raises(LastAdministrator):
        remove_member(membership)
    client.force_login(admin)
    client.post(
        f"/en/organisations/{world.own.slug}/members/",
        {"action": "role", "membership": membership.pk, "role": "member"},
    )
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_an_officer_edits_the_municipality_profile(client, world, role_user):
    client.force_login(role_user("officer"))
    response = client.post(
        "/en/municipalities/mostar/edit/",
        {"website": "https://mostar.example.ba", "language": "bs", "description": "Grad na Neretvi."},
    )
    assert response.status_code == 302
    world.home.refresh_from_db()
    assert (world.home.website, world.home.description) == ("https://mostar.example.ba", "Grad na Neretvi.")
    assert "Grad na Neretvi." in client.get("/en/municipalities/mostar/").content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_registering_one_number_at_the_same_moment(make_municipality, make_user):
    """Both pass the form's check before either has saved; PostgreSQL's unique index lets exactly one through."""
    municipality = make_municipality("Mostar")
    sector, _ = Sector.objects.get_or_create(slug="youth", defaults={"name": "Youth"})

    def register(both_checked, name):
        form = OrganisationForm(
            {
                "legal_name": name,
                "registration_number": "RU-5/2025",
                "municipality": municipality.pk,
                "sectors": [sector.pk],
                "language": "bs",
            }
        )
        valid = form.is_valid()
        both_checked.wait()
        if not valid:
            return f"invalid: {form.errors.as_json()}"
        register_organisation(form, make_user())
        return "registered"

    outcomes = at_once(register, [("Prva",), ("Druga",)], {DuplicateRegistration: "duplicate"})
    assert outcomes == ["duplicate", "registered"]
    assert Organisation.objects.filter(registration_number="RU-5/2025").count() == 1
    assert OrganisationMembership.objects.count() == 1
