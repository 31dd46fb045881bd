"""One demo account per role, all with the same password, printed by `civiclink demo`."""

from allauth.account.models import EmailAddress
from django.db import transaction

from civiclink.accounts.models import Role, User
from civiclink.accounts.roles import grant_platform_role
from civiclink.places.models import MunicipalRole, Organisation, OrganisationMembership

DEMO_PASSWORD = "civiclink-demo-2026"

# e-mail, first name, last name, what the account may do
ACCOUNTS = [
    ("citizen@demo.civiclink.local", "Amra", "Hodžić", "citizen, no role"),
    ("cso-member@demo.civiclink.local", "Dario", "Perić", "member of UM Stari most"),
    ("cso-admin@demo.civiclink.local", "Jelena", "Savić", "administrator of CGI Neretva"),
    ("officer@demo.civiclink.local", "Emir", "Kovačević", "municipal officer, Mostar"),
    ("councillor@demo.civiclink.local", "Milica", "Jovanović", "councillor, Trebinje"),
    ("evaluator@demo.civiclink.local", "Ivana", "Marić", "evaluator"),
    ("trainer@demo.civiclink.local", "Nenad", "Stojanović", "trainer"),
    ("moderator@demo.civiclink.local", "Lejla", "Begić", "moderator"),
    ("staff@demo.civiclink.local", "Goran", "Tomić", "project staff (back office)"),
    ("admin@demo.civiclink.local", "Admin", "CivicLink", "superuser"),
]


@transaction.atomic
def load() -> list[tuple[str, str]]:
    users = {}
    for email, first, last, _ in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            factory = User.objects.create_superuser if email.startswith("admin@") else User.objects.create_user
            user = factory(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users[email.split("@")[0]] = user
    OrganisationMembership.objects.get_or_create(
        user=users["cso-member"], organisation=Organisation.objects.get(short_name="UM Stari most")
    )
    OrganisationMembership.objects.get_or_create(
        user=users["cso-admin"],
        organisation=Organisation.objects.get(short_name="CGI Neretva"),
        defaults={"role": OrganisationMembership.Role.ADMIN},
    )
    MunicipalRole.objects.get_or_create(
        user=users["officer"], municipality_id=_municipality("mostar"), role=MunicipalRole.Role.OFFICER
    )
    MunicipalRole.objects.get_or_create(
        user=users["councillor"], municipality_id=_municipality("trebinje"), role=MunicipalRole.Role.COUNCILLOR
    )
    for key, role in [("evaluator", Role.EVALUATOR), ("trainer", Role.TRAINER), ("moderator", Role.MODERATOR)]:
        grant_platform_role(users[key], role)
    grant_platform_role(users["staff"], Role.STAFF)
    grant_platform_role(users["admin"], Role.STAFF)
    return [(email, description) for email, _, _, description in ACCOUNTS]


def _municipality(slug: str) -> int:
    from civiclink.places.models import Municipality

    return Municipality.objects.values_list("pk", flat=True).get(slug=slug)
