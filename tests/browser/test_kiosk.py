"""The kiosk in Chromium at a bench's screen size (1080 x 1920, portrait, touch): a technician starts the screen
with the bench's credential, a citizen votes by touch or by keyboard and sees the results with the bench's ballots
apart; with the network cut (Playwright's offline mode) answers wait in the browser's storage and arrive exactly
once when it is back, also when an acknowledgement is lost; language, text size and the inactivity reset; large
targets; axe-core (WCAG 2.1 A and AA) on the home and ballot screens, with the strict CSP and no console errors.
"""

import time

import pytest
from playwright.sync_api import expect

from benches.kiosk_setup import citizen_campaign, open_poll, open_process, sign_in

from .helpers import BROWSER_TEST, assert_visible_focus, axe_violations, describe_violations, gettext_in

pytestmark = BROWSER_TEST

PORTRAIT = {"viewport": {"width": 1080, "height": 1920}, "has_touch": True}
LANDSCAPE = {"viewport": {"width": 1280, "height": 800}, "has_touch": True}
MIN_TARGET = 48  # px, WCAG 2.5.5's 44 and then some: the screen is touched from a seated position


@pytest.fixture
def bench(world):
    """A provisioned bench in Zahum (Mostar), with an open poll and problem reports, and the credential."""
    from civiclink.benches import credentials
    from civiclink.benches.models import Bench, Status
    from civiclink.places.models import LocalCommunity

    community = LocalCommunity.objects.create(municipality=world.home, name="Zahum", slug="zahum")
    bench = Bench.objects.create(community=community, name="Rondo", status=Status.ACTIVE)
    bench, credential = credentials.provision(credentials.issue_claim(bench))
    process = open_process(world.home, title="Uređenje mahale")
    poll = open_poll(process, title="A new playground?", choices=("Yes", "No"))
    return bench, credential, poll


@pytest.fixture
def screen(new_context, live_server, bench, settings):
    """The bench's screen, started with its credential and switched to English."""
    settings.BENCH_KIOSK_COOLDOWN_SECONDS = 1
    the_bench, credential, _poll = bench
    page = new_context(**PORTRAIT).new_page()
    page.goto(f"/kiosk/{the_bench.pk}/")
    expect(page).to_have_url(f"{live_server.url}/kiosk/{the_bench.pk}/start/")
    page.get_by_label(gettext_in("bs", "Bench credential")).fill(credential)
    page.get_by_role("button", name=gettext_in("bs", "Start")).tap()
    expect(page).to_have_url(f"{live_server.url}/kiosk/{the_bench.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "bs")
    page.get_by_role("button", name="English").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    return page


def eventually(check, timeout: float = 10) -> None:
    """Wait until `check()` is true: for what the page does in the background (the outbox)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"still not true after {timeout} s"
        time.sleep(0.1)


def bench_ballots(poll) -> int:
    from civiclink.participation.models import Ballot, Source

    return Ballot.objects.filter(poll=poll, source=Source.BENCH).count()


def outbox(page, bench) -> list:
    return page.evaluate(f"JSON.parse(localStorage.getItem('civiclink.kiosk.{bench.pk}.outbox') || '[]')")


def pool(page, bench, poll) -> list:
    return page.evaluate(
        f"JSON.parse(localStorage.getItem('civiclink.kiosk.{bench.pk}.tokens.poll.{poll.pk}') || '[]')"
    )


def small_targets(page) -> list[str]:
    """Buttons, links and answer labels smaller than `MIN_TARGET` in either direction."""
    return page.evaluate(
        """min => Array.from(document.querySelectorAll('button, a, label.kiosk-choice, input[type=text], textarea'))
          .filter(element => element.offsetParent !== null)
          .map(element => [element, element.getBoundingClientRect()])
          .filter(([, box]) => box.width < min || box.height < min)
          .map(([element, box]) => `${element.outerHTML.slice(0, 80)}: ${box.width}x${box.height}`)""",
        MIN_TARGET,
    )


def test_a_citizen_votes_by_touch_and_sees_the_results(screen, bench, console):
    the_bench, _credential, poll = bench
    screen.get_by_role("link", name="A new playground?").tap()
    screen.get_by_text("Yes", exact=True).tap()
    screen.get_by_role("button", name="Send my vote").tap()
    expect(screen.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(screen.get_by_text("Your answer has been counted.")).to_be_visible()
    expect(screen.get_by_role("heading", name="Results so far")).to_be_visible()
    expect(screen.get_by_text("1 ballot in all: Web 0, Smart bench 1, Paper 0.")).to_be_visible()
    assert bench_ballots(poll) == 1 and outbox(screen, the_bench) == []
    assert not small_targets(screen), small_targets(screen)
    assert not console, console


def test_a_citizen_votes_by_keyboard(screen, bench, console):
    _the_bench, _credential, poll = bench
    link = screen.get_by_role("link", name="A new playground?")
    link.focus()
    assert_visible_focus(screen)
    screen.keyboard.press("Enter")
    no = screen.get_by_role("radio", name="No")
    no.focus()
    screen.keyboard.press("Space")
    expect(no).to_be_checked()
    screen.get_by_role("button", name="Send my vote").focus()
    assert_visible_focus(screen)
    screen.keyboard.press("Enter")
    expect(screen.get_by_role("heading", name="Results so far")).to_be_visible()
    assert bench_ballots(poll) == 1
    assert not console, console


def test_answers_given_offline_arrive_exactly_once(screen, bench):
    the_bench, _credential, poll = bench
    screen.get_by_role("link", name="A new playground?").tap()
    expect(screen.get_by_role("heading", name="A new playground?")).to_be_visible()
    eventually(lambda: len(pool(screen, the_bench, poll)) == 5)  # spare tokens for offline answers
    screen.context.set_offline(True)
    screen.get_by_text("Yes", exact=True).tap()
    screen.get_by_role("button", name="Send my vote").tap()
    saved = screen.get_by_role("heading", name="Thank you! Your answer is saved.")
    expect(saved).to_be_visible()
    expect(screen.locator("#kiosk-outbox")).to_contain_text("1")
    next_person = screen.get_by_role("button", name="Next person")
    expect(next_person).to_be_enabled()  # after the cool-down
    next_person.tap()
    screen.get_by_text("No", exact=True).tap()
    screen.get_by_role("button", name="Send my vote").tap()
    expect(saved).to_be_visible()
    assert len(outbox(screen, the_bench)) == 2 and bench_ballots(poll) == 0
    assert len({message["data"]["token"] for message in outbox(screen, the_bench)}) == 2

    screen.context.set_offline(False)  # the browser's "online" event sends what waits
    eventually(lambda: not outbox(screen, the_bench))
    expect(screen.locator("#kiosk-outbox")).to_be_hidden()
    assert bench_ballots(poll) == 2
    screen.reload()  # sends whatever waits: nothing
    assert bench_ballots(poll) == 2


def test_a_lost_acknowledgement_is_sent_again_and_stored_once(screen, bench):
    the_bench, _credential, poll = bench
    screen.get_by_role("link", name="A new playground?").tap()
    expect(screen.get_by_role("heading", name="A new playground?")).to_be_visible()

    def store_then_lose_the_answer(route):
        route.fetch()  # the server stores the batch ...
        route.abort()  # ... and the bench never hears back

    screen.route("**/messages", store_then_lose_the_answer)
    screen.get_by_text("Yes", exact=True).tap()
    screen.get_by_role("button", name="Send my vote").tap()
    expect(screen.get_by_role("heading", name="Thank you! Your answer is saved.")).to_be_visible()
    assert bench_ballots(poll) == 1 and len(outbox(screen, the_bench)) == 1
    screen.unroute("**/messages")
    screen.evaluate("window.dispatchEvent(new Event('online'))")  # rather than wait for the periodic retry
    eventually(lambda: not outbox(screen, the_bench))  # a duplicate: done
    assert bench_ballots(poll) == 1


def test_language_text_size_and_the_inactivity_reset(screen, bench, monkeypatch):
    from civiclink.benches import kiosk

    monkeypatch.setattr(kiosk, "IDLE_SECONDS", 2)
    monkeypatch.setattr(kiosk, "IDLE_WARNING_SECONDS", 3)
    html = screen.locator("html")
    root_size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    normal = screen.evaluate(root_size)
    screen.get_by_role("button", name="Hrvatski").tap()
    expect(html).to_have_attribute("lang", "hr")
    screen.get_by_role("button", name=gettext_in("hr", "Largest", "text size")).tap()
    expect(html).to_have_class("kiosk-text-largest")
    assert screen.evaluate(root_size) >= 1.4 * normal
    expect(screen.get_by_role("heading", name=gettext_in("hr", "Have your say"))).to_be_visible()

    dialog = screen.get_by_role("dialog", name=gettext_in("hr", "Are you still there?"))
    expect(dialog).to_be_visible(timeout=5_000)
    screen.get_by_role("button", name=gettext_in("hr", "I need more time")).tap()
    expect(dialog).to_be_hidden()
    expect(html).to_have_attribute("lang", "hr")  # more time: nothing was reset
    expect(dialog).to_be_visible(timeout=5_000)
    expect(html).to_have_attribute("lang", "bs", timeout=6_000)  # back to the start, as the next person finds it
    expect(html).to_have_class("kiosk-text-normal")


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_kiosk_meets_wcag_aa(new_context, live_server, bench, world, console, size):
    from django.conf import settings
    from django.test import Client

    the_bench, _credential, poll = bench
    campaign = citizen_campaign(world.home)
    client = Client()
    sign_in(client, the_bench, language=None)  # as the start screen leaves it
    context = new_context(**size)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    found = {}
    paths = [
        f"/kiosk/{the_bench.pk}/",
        f"/kiosk/{the_bench.pk}/polls/{poll.pk}/",
        f"/kiosk/{the_bench.pk}/questionnaire/{campaign.pk}/",
        f"/kiosk/{the_bench.pk}/problems/{poll.process_id}/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert "style-src 'self'" in response.headers.get("content-security-policy", "")
        problems = []
        if violations := axe_violations(page):
            problems.append(describe_violations(violations))
        if small := small_targets(page):
            problems.append("targets under 48 px:\n" + "\n".join(small))
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            problems.append("scrolls sideways")
        if problems:
            found[path] = problems
    assert not found, "\n\n".join(f"{path}:\n" + "\n".join(problems) for path, problems in found.items())
    assert not console, console
