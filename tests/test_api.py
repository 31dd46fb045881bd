"""The open-data API under /api/v1/: its OpenAPI description, municipalities and verified organisations."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "CivicLink API"
    assert {"/api/v1/municipalities", "/api/v1/municipalities/{slug}", "/api/v1/organisations"} <= set(
        document["paths"]
    )
    parameters = {p["name"] for p in document["paths"]["/api/v1/organisations"]["get"]["parameters"]}
    assert {"q", "sector", "municipality", "network", "limit", "offset"} <= parameters


def test_municipalities(client, world, make_organisation):
    from civiclink.places.models import LocalCommunity

    LocalCommunity.objects.create(municipality=world.away, name="Police", slug="police")
    response = client.get("/api/v1/municipalities")

    assert response.status_code == 200
    by_slug = {m["slug"]: m for m in response.json()}
    assert list(by_slug) == ["mostar", "trebinje"]
    assert by_slug["trebinje"] | {"latitude": None} == {
        "name": "Trebinje",
        "name_cyrillic": "Требиње",
        "slug": "trebinje",
        "entity": "RS",
        "region": "",
        "population": None,
        "latitude": None,
        "longitude": None,
        "website": "",
        "community_count": 1,
        "organisation_count": 1,  # verified ones only: "Una zajedno", not "Leotar"
    }
    assert by_slug["mostar"]["organisation_count"] == 1
    assert by_slug["mostar"]["population"] == 105800


def test_one_municipality_with_its_communities_in_order(client, world):
    from civiclink.places.models import LocalCommunity

    for name in ("Zasad", "Police", "Gradska zona"):
        LocalCommunity.objects.create(municipality=world.away, name=name, slug=name.lower().replace(" ", "-"))

    response = client.get("/api/v1/municipalities/trebinje")

    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Trebinje" and data["community_count"] == 3
    assert [c["name"] for c in data["communities"]] == ["Gradska zona", "Police", "Zasad"]
    assert set(data["communities"][0]) == {"name", "name_cyrillic", "slug", "population"}


@pytest.mark.parametrize("path", ["/api/v1/municipalities/atlantis", "/api/v1/organisations?sector=no-such-sector"])
def test_unknown_slugs_are_404(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


@pytest.fixture
def listed(world, make_organisation):
    make_organisation("Omladinski centar „Krivaja”", world.home, sectors=["youth", "sport"], network=True)
    make_organisation("Udruženje „Platani”", world.away, sectors=["culture"], description="Čitalački klubovi")
    return world


def slugs(response) -> list[str]:
    assert response.status_code == 200
    return [organisation["slug"] for organisation in response.json()["items"]]


def test_organisations(client, listed):
    response = client.get("/api/v1/organisations")

    data = response.json()
    assert data["count"] == 4
    krivaja = next(o for o in data["items"] if o["legal_name"] == "Omladinski centar „Krivaja”")
    assert krivaja["municipality"] == "mostar"
    assert krivaja["sectors"] == ["sport", "youth"]
    assert krivaja["network_member"] is True
    assert set(krivaja) == {
        "slug",
        "legal_name",
        "short_name",
        "registration_number",
        "municipality",
        "sectors",
        "website",
        "founded_year",
        "network_member",
        "description",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["centar-za-gradjanske-inicijative", "omladinski-centar-krivaja", "udruzenje-platani", "una-zajedno"]),
        ("?q=citalacki", ["udruzenje-platani"]),
        ("?q=Центар", ["centar-za-gradjanske-inicijative", "omladinski-centar-krivaja"]),
        ("?sector=youth", ["omladinski-centar-krivaja"]),
        ("?municipality=trebinje", ["udruzenje-platani", "una-zajedno"]),
        ("?network=true", ["omladinski-centar-krivaja", "una-zajedno"]),
        ("?network=true&municipality=trebinje", ["una-zajedno"]),
        ("?q=zzz", []),
    ],
)
def test_organisation_filters(client, listed, query, expected):
    assert slugs(client.get(f"/api/v1/organisations{query}")) == expected


def test_organisation_pagination(client, listed):
    first = client.get("/api/v1/organisations?limit=3").json()
    rest = client.get("/api/v1/organisations?limit=3&offset=3").json()
    assert first["count"] == rest["count"] == 4
    assert len(first["items"]) == 3 and len(rest["items"]) == 1
    assert {o["slug"] for o in first["items"]}.isdisjoint(o["slug"] for o in rest["items"])
    assert client.get("/api/v1/organisations?limit=0").status_code == 422


def test_unverified_organisations_are_never_in_the_api(client, listed):
    seen = client.get("/api/v1/organisations?limit=100").json()["items"]
    seen += client.get("/api/v1/organisations?q=Leotar").json()["items"]
    seen += client.get("/api/v1/organisations?municipality=mostar").json()["items"]
    names = {organisation["legal_name"] for organisation in seen}
    assert names and not names & {listed.own_pending.legal_name, listed.other_pending.legal_name}
