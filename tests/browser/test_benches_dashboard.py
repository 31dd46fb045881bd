"""The smart benches' dashboard in Chromium: staff register a bench and get its claim code with the keyboard
alone, and the fleet page and a bench's page meet WCAG 2.1 AA (axe) under the strict Content Security Policy."""

import re
import uuid

import pytest

from .helpers import BROWSER_TEST, assert_no_axe_violations, skipped_heading_levels, tab_to

pytestmark = BROWSER_TEST


@pytest.fixture
def staff(world, make_user):
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role
    from civiclink.places.models import LocalCommunity

    LocalCommunity.objects.create(municipality=world.home, name="Zahum", slug="zahum")
    user = make_user("staff@example.org", first_name="Amra", last_name="Hodžić")
    grant_platform_role(user, Role.STAFF)
    return user


def test_staff_register_a_bench_and_get_a_claim_code_by_keyboard(page, console, staff, log_in_as):
    from civiclink.benches import credentials
    from civiclink.benches.models import Bench

    log_in_as(page.context, staff)
    page.goto("/en/benches/")
    tab_to(page, page.get_by_role("link", name="Register a bench").first, 40)
    page.keyboard.press("Enter")
    page.wait_for_url("**/benches/new/")
    tab_to(page, page.get_by_label("Local community"), 40)
    page.keyboard.press("ArrowDown")  # the first community after the empty choice
    page.keyboard.press("Tab")
    page.keyboard.type("Kiosk Rondo")
    tab_to(page, page.get_by_label("Latitude"), 5)
    page.keyboard.type("43.3438")
    page.keyboard.press("Tab")
    page.keyboard.type("17.8078")
    tab_to(page, page.get_by_label("noise"), 10)
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Register the bench"), 10)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/benches/[0-9a-f-]{36}/$"))
    bench = Bench.objects.get(name="Kiosk Rondo")
    assert bench.sensors == ["noise"] and float(bench.latitude) == 43.3438

    tab_to(page, page.get_by_role("link", name="Issue a claim code"), 40)
    page.keyboard.press("Enter")
    page.wait_for_url("**/claim/")
    tab_to(page, page.get_by_role("button", name="Issue a claim code"), 40)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    code = page.locator(".claim-code code").inner_text()
    assert re.fullmatch(r"\w{4}-\w{4}", code)
    assert page.locator(".claim-qr svg title").text_content() == f"Claim code {code}"
    assert credentials.provision(code)[0] == bench
    assert not console.csp_violations(), console


def test_the_fleet_and_a_bench_page_meet_wcag_aa(page, console, staff, log_in_as):
    from datetime import UTC, timedelta

    from django.utils import timezone

    from civiclink.benches import credentials, ingest
    from civiclink.benches.models import Bench, BenchHour, Status, Transport
    from civiclink.places.models import LocalCommunity

    community = LocalCommunity.objects.get(slug="zahum")
    benches = [
        Bench.objects.create(
            community=community, name=name, status=status, latitude=43.34 + i / 100, longitude=17.80 + i / 100,
            sensors=["particulates"],
        )
        for i, (name, status) in enumerate(
            [("Rondo", Status.ACTIVE), ("Bulevar", Status.ACTIVE), ("Luka", Status.MAINTENANCE),
             ("Novi", Status.PLANNED)]
        )
    ]  # fmt: skip
    bench, _credential = credentials.provision(credentials.issue_claim(benches[0]))
    sent = timezone.now() - timedelta(minutes=1)
    message = {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "type": "telemetry",
        "ts": sent.isoformat(),
        "data": {"battery": 12.0, "solar_w": 5.0},
    }
    ingest.store_one_bench(bench, [message], Transport.HTTP)
    # The history ends before the hour the live reading fell in (the hour before now's, in a test's first minute).
    last = sent.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    BenchHour.objects.bulk_create(
        BenchHour(bench=bench, hour=last - timedelta(hours=h), samples=12, battery_n=12, battery_sum=900.0,
                  battery_min=70.0, battery_max=80.0, pm25_n=12, pm25_sum=100.0, answers=h % 3,
                  flagged_answers=h % 2)
        for h in range(1, 24 * 30)
    )  # fmt: skip
    log_in_as(page.context, staff)
    for path in ("/en/benches/", bench.get_absolute_url(), bench.get_absolute_url() + "?period=30d"):
        response = page.goto(path)
        assert response.status == 200 and "style-src 'self'" in response.headers["content-security-policy"]
        page.locator("details").evaluate_all("nodes => nodes.forEach(node => node.open = true)")
        assert_no_axe_violations(page)
        assert not skipped_heading_levels(page), path
    assert not console, console
