"""Every directory page costs the same number of SQL queries whether it shows a few rows or many.

Each page is requested in a small and a large directory (5 against 60 organisations with several sectors each,
more communities, coalition members and signatures), as an anonymous visitor and as a signed-in CSO administrator.
The numbers are pinned: a new query on a page is a deliberate change of this table, and a query per row (N+1)
fails the "many" case. Each count is taken on a second request, so that per-process caches (content types, the
site footer) are warm as in production.
"""

import datetime

import pytest
from django.utils import timezone

from civiclink.core.i18n import search_key
from civiclink.places.models import (
    Coalition,
    CoalitionMembership,
    JointStatement,
    LocalCommunity,
    NetworkMembership,
    Organisation,
    OrganisationMembership,
    Sector,
    StatementSignature,
)

pytestmark = pytest.mark.django_db

SIZES = {"few": 5, "many": 60}
FOUNDED = datetime.date(2024, 1, 1)

# (page, visitor) -> queries per request. Signed in adds the session, the user and the user's roles.
EXPECTED = {
    ("municipality list", "anonymous"): 2,
    ("municipality list", "admin"): 4,
    ("directory", "anonymous"): 6,
    ("directory", "admin"): 8,
    ("directory, filtered", "anonymous"): 8,
    ("directory, filtered", "admin"): 10,
    ("organisation profile", "anonymous"): 4,
    ("organisation profile", "admin"): 8,
    ("municipality profile", "anonymous"): 6,
    ("municipality profile", "admin"): 10,
    ("network", "anonymous"): 4,
    ("network", "admin"): 6,
    ("coalition", "anonymous"): 4,
    ("coalition", "admin"): 6,
    ("statement", "anonymous"): 4,
    ("statement", "admin"): 10,
}

PAGES = {
    "municipality list": "/en/municipalities/",
    "directory": "/en/organisations/",
    "directory, filtered": "/en/organisations/?q=udruzenje&sector=youth&municipality=mostar&network=on",
    "organisation profile": "/en/organisations/udruzenje-0/",
    "municipality profile": "/en/municipalities/mostar/",
    "network": "/en/network/",
    "coalition": "/en/network/coalition-0/",
    "statement": "/en/network/coalition-0/statement/",
}


@pytest.fixture
def directory(request, make_municipality, make_user):
    """`n` verified organisations (every other one in the network), all in Mostar, four sectors each; the first is
    in n // 5 + 1 coalitions; coalition-0 has all of them as members, and its statement is signed by all but the
    first. Returns an admin of the first organisation (which may still sign). Built in bulk: it is only data."""
    n = SIZES[request.param]
    mostar = make_municipality("Mostar")
    make_municipality("Trebinje", entity="RS")
    LocalCommunity.objects.bulk_create(
        LocalCommunity(municipality=mostar, name=f"Zajednica {i}", slug=f"zajednica-{i}") for i in range(n // 3 + 2)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Udruženje {i}",
            slug=f"udruzenje-{i}",
            registration_number=f"RU-{i}",
            municipality=mostar,
            verified=i < n,
            verified_at=timezone.now() if i < n else None,
            search_text=search_key(f"Udruženje {i}"),
        )
        for i in range(n + 1)  # the last one is not verified
    )[:n]
    sectors = list(Sector.objects.order_by("slug"))
    Organisation.sectors.through.objects.bulk_create(
        Organisation.sectors.through(organisation=organisation, sector=sectors[(i + k - 3) % len(sectors)])
        for i, organisation in enumerate(organisations)
        for k in range(4)
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(organisation=organisation, joined_on=FOUNDED) for organisation in organisations[::2]
    )
    for c in range(n // 5 + 1):
        coalition = Coalition.objects.create(
            name=f"Coalition {c}", slug=f"coalition-{c}", purpose="Together.", founded_on=FOUNDED
        )
        members = organisations if c == 0 else organisations[:1]
        CoalitionMembership.objects.bulk_create(
            CoalitionMembership(coalition=coalition, organisation=o, joined_on=FOUNDED) for o in members
        )
        statement = JointStatement.objects.create(
            coalition=coalition, title="Statement", slug="statement", body="Text.", published_on=FOUNDED
        )
        if c == 0:
            StatementSignature.objects.bulk_create(
                StatementSignature(statement=statement, organisation=o) for o in organisations[1:]
            )
    admin = make_user("admin@example.org")
    OrganisationMembership.objects.create(user=admin, organisation=organisations[0], role="admin")
    assert Organisation.objects.filter(verified=True, sectors__slug="youth", network_membership__isnull=False).exists()
    return admin


@pytest.mark.parametrize("directory", list(SIZES), indirect=True)
@pytest.mark.parametrize("visitor", ["anonymous", "admin"])
@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_the_rows(client, directory, visitor, page, django_assert_num_queries):
    if visitor == "admin":
        client.force_login(directory)
    url = PAGES[page]
    assert client.get(url).status_code == 200  # warm-up

    with django_assert_num_queries(EXPECTED[page, visitor]):
        response = client.get(url)

    assert response.status_code == 200
