"""Browser tests: Chromium driven by Playwright against pytest-django's live server.

The browser is Debian's Chromium (never a downloaded one). Without it the tests are skipped on a developer's
machine but fail in CI (the CI environment variable is set), so that a broken CI image cannot pass silently.

Every test runs on a transactional database with serialized rollback: the live server thread needs committed
data, and the data migrations' rows (sectors, Wagtail's root page and locale) are restored before each test.
"""

import os
from pathlib import Path

import pytest

from .helpers import ConsoleLog

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing; install Debian's chromium package to run the browser tests."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium, django_db_setup, django_db_blocker):
    """Chromium, for the tests of this package; Playwright is stopped after the last of them.

    Playwright's sync API keeps an asyncio event loop running in the main thread while it is started. Django then
    refuses ORM calls there unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and hands out other connection objects: its
    connections are thread-local, but per async context when a loop runs. The test database's serialized contents
    (for the serialized rollback) sit on the connection that created it, so they are handed to the new one.

    The serialized rollback flushes the database after each test without recreating the content types; the last
    test's flush would leave the tests that run after this package an empty database, unlike a fresh one. So the
    database is put back as the migrations left it.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            with django_db_blocker.unblock():
                for alias, contents in serialized.items():
                    connections[alias].creation.deserialize_db_from_string(contents)
                # Opened while the loop ran: an open connection would keep PostgreSQL from dropping the database.
                connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def console():
    return ConsoleLog()


def _new_context(browser, live_server, console, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)

    def on_console(message):
        if message.type == "error":
            console.append(f"{message.text} [{message.location.get('url')}]")

    def watch(page):
        page.on("console", on_console)
        page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))

    context.on("page", watch)
    return context


@pytest.fixture
def new_context(browser, live_server, console):
    """Open further browser contexts (another device, a mail client) whose console goes to the same log."""
    contexts = []

    def open_context(**options):
        contexts.append(_new_context(browser, live_server, console, **options))
        return contexts[-1]

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context(viewport={"width": 1280, "height": 900}).new_page()


@pytest.fixture
def directory():
    """The demo directory: 12 municipalities, 40 verified CSOs, the network and its coalitions (about 0.5 s)."""
    from civiclink.places import demo

    demo.load()


@pytest.fixture
def home_pages():
    """The Wagtail home page and free pages in every language (about 2 s: only for tests that need them)."""
    from civiclink.pages import demo

    demo.load()


@pytest.fixture
def log_in_as(live_server):
    """`log_in_as(context, user)`: a signed-in session without going through the form (and its rate limit)."""
    from django.conf import settings
    from django.test import Client

    def log_in(context, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return log_in
