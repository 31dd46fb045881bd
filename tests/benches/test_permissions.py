"""Who may open each page of the staff dashboard: staff (every bench), an officer of the bench's municipality,
an officer elsewhere, a plain user, an anonymous visitor (sent to log in). Open data is for everyone."""

import pytest

from civiclink.benches.models import Bench
from civiclink.places.models import MunicipalRole

pytestmark = pytest.mark.django_db

VISITORS = ["staff", "officer", "officer_elsewhere", "user", "anonymous"]
OFFICERS = {"staff", "officer"}
# (name, method, path with {pk}, who may) — the rest get 403, anonymous visitors a redirect to log in
PAGES = [
    ("fleet", "get", "/en/benches/", {"staff", "officer", "officer_elsewhere"}),
    ("new bench", "get", "/en/benches/new/", {"staff", "officer", "officer_elsewhere"}),
    ("bench", "get", "/en/benches/{pk}/", OFFICERS),
    ("edit", "get", "/en/benches/{pk}/edit/", OFFICERS),
    ("configuration", "get", "/en/benches/{pk}/configuration/", OFFICERS),
    ("claim page", "get", "/en/benches/{pk}/claim/", OFFICERS),
    ("claim code", "post", "/en/benches/{pk}/claim/", OFFICERS),
    ("rotate page", "get", "/en/benches/{pk}/rotate/", OFFICERS),
    ("rotate", "post", "/en/benches/{pk}/rotate/", OFFICERS),
    ("revoke page", "get", "/en/benches/{pk}/revoke/", OFFICERS),
    ("revoke", "post", "/en/benches/{pk}/revoke/", OFFICERS),
    ("status", "post", "/en/benches/{pk}/status/", OFFICERS),
    ("tamper", "post", "/en/benches/{pk}/tamper/", OFFICERS),
    ("photo", "get", "/en/benches/{pk}/photos/new/", OFFICERS),
    ("refused messages", "get", "/en/benches/refused/", {"staff"}),
    ("open data", "get", "/en/benches/data/", set(VISITORS)),
    ("open data file", "get", "/en/benches/data/{pk}/hourly.csv", set(VISITORS)),
]


@pytest.fixture
def visitor(request, role_user, make_user, world, client):
    role = request.param
    if role == "officer_elsewhere":
        user = make_user("elsewhere@example.org")
        MunicipalRole.objects.create(user=user, municipality=world.away, role=MunicipalRole.Role.OFFICER)
    else:
        user = role_user(role)
    if user is not None:
        client.force_login(user)
    return role


@pytest.mark.parametrize("visitor", VISITORS, indirect=True)
@pytest.mark.parametrize(("name", "method", "path", "allowed"), PAGES, ids=[page[0] for page in PAGES])
def test_who_may_open_what(client, make_bench, visitor, name, method, path, allowed):
    bench, _ = make_bench()
    answer = getattr(client, method)(path.format(pk=bench.pk), {"status": "maintenance"} if name == "status" else {})
    if visitor in allowed:
        assert answer.status_code in {200, 303}, answer.status_code
    elif visitor == "anonymous":
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    else:
        assert answer.status_code == 403
    if visitor not in allowed and method == "post":
        bench.refresh_from_db()
        assert bench.status == "active" and bench.secret_hash and bench.revoked_at is None


@pytest.mark.parametrize("visitor", ["officer", "officer_elsewhere"], indirect=True)
def test_an_officer_sees_the_benches_of_their_municipality_only(client, make_bench, visitor, world):
    from civiclink.places.models import LocalCommunity

    make_bench("Mostar bench")
    away = LocalCommunity.objects.create(municipality=world.away, name="Hrupjela", slug="hrupjela")
    make_bench("Trebinje bench", community=away)
    names = {item["bench"].name for item in client.get("/en/benches/").context["page"].object_list}
    assert names == ({"Mostar bench"} if visitor == "officer" else {"Trebinje bench"})


@pytest.mark.parametrize("visitor", ["officer"], indirect=True)
def test_an_officer_registers_benches_in_their_municipality_only(client, visitor, world, community):
    from civiclink.places.models import LocalCommunity

    away = LocalCommunity.objects.create(municipality=world.away, name="Hrupjela", slug="hrupjela")
    form = client.get("/en/benches/new/").context["form"]
    assert list(form.fields["community"].queryset) == [community]
    answer = client.post("/en/benches/new/", {"community": away.pk, "name": "Sneaky", "reporting_interval": 300})
    assert answer.status_code == 200 and not Bench.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize(("role", "shown"), [("staff", True), ("officer", True), ("user", False)])
def test_the_back_office_menu_links_to_the_fleet_for_those_who_may_see_it(rf, role_user, role, shown):
    from civiclink.benches.wagtail_hooks import fleet_menu_item

    request = rf.get("/admin/")
    request.user = role_user(role)
    item = fleet_menu_item()
    assert item.is_shown(request) is shown and item.url == "/en/benches/"
