"""Shared fixtures: a small directory (two municipalities, organisations, coalitions with statements), one user
per role, and helpers for services (Redis) that a developer's machine may lack but CI must have."""

import os
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from support import PASSWORD


@pytest.fixture(autouse=True, scope="session")
def _static_root():
    """WhiteNoise warns on every request handler when STATIC_ROOT is missing; tests serve through the finders."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_isolated_tests(settings):
    """The same start for every test, whatever the developer's environment says (REDIS_URL, STAFF_MFA_REQUIRED,
    CIVICLINK_TASKS): tests that need another configuration set it themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the suite creates many users
    settings.STAFF_MFA_REQUIRED = False
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # REDIS_URL would make it cached_db
    settings.TASK_BACKEND = "immediate"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()  # allauth's rate limits count in the cache, which outlives a test


def service_available(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def require_service():
    """`require_service("Redis", "127.0.0.1", 6379)`: skip without the server, but fail in CI (env CI set)."""

    def require(name: str, host: str, port: int) -> None:
        if service_available(host, port):
            return
        message = f"{name} is not reachable at {host}:{port}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must provide it.")
        pytest.skip(message)

    return require


@pytest.fixture
def shared_cache(settings, require_service):
    """A real Redis as the cache (a database of its own, emptied around the test): pages are cached only in a
    cache that every process shares."""
    from civiclink.core import pagecache

    require_service("Redis", "127.0.0.1", 6379)
    pagecache._memo["until"] = 0.0  # a version remembered from another test's cache
    settings.CACHES = {
        "default": {"BACKEND": "civiclink.core.cache.SharedClientRedisCache", "LOCATION": "redis://127.0.0.1:6379/14"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(django_user_model):
    """A user with a verified primary e-mail address (allauth refuses to log in unverified ones)."""
    from allauth.account.models import EmailAddress

    counter = iter(range(1, 10_000))

    def make(email: str | None = None, password: str = PASSWORD, superuser: bool = False, **fields):
        email = email or f"person{next(counter)}@example.org"
        factory = django_user_model.objects.create_superuser if superuser else django_user_model.objects.create_user
        user = factory(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def make_municipality():
    from civiclink.places.models import Municipality

    def make(name: str, **fields):
        from django.utils.text import slugify

        from civiclink.core.i18n import search_key

        fields.setdefault("entity", "FBiH")
        return Municipality.objects.create(name=name, slug=slugify(search_key(name)), **fields)

    return make


@pytest.fixture
def make_organisation():
    """An organisation; verified unless told otherwise; `sectors` are slugs, `network` makes it a network member."""
    import datetime

    from django.utils.text import slugify

    from civiclink.core.i18n import search_key
    from civiclink.places.models import NetworkMembership, Organisation, Sector

    counter = iter(range(1, 100_000))

    def make(legal_name: str, municipality, sectors=(), network=False, verified=True, **fields):
        number = next(counter)
        fields.setdefault("slug", slugify(search_key(legal_name)))
        fields.setdefault("registration_number", f"RU-{number}/TEST")
        organisation = Organisation.objects.create(
            legal_name=legal_name, municipality=municipality, verified=verified, **fields
        )
        if sectors:
            organisation.sectors.set(Sector.objects.filter(slug__in=sectors))
        if network:
            NetworkMembership.objects.create(organisation=organisation, joined_on=datetime.date(2024, 1, 1))
        return organisation

    return make


@pytest.fixture
def world(make_municipality, make_organisation):
    """Mostar ("home") and Trebinje ("away"), and in them:

    - own: verified, in the open-municipalities coalition, not yet in the network (its admin may join);
    - own_pending: unverified, with the same members as `own`;
    - other: verified network member in Trebinje, in the green-rivers coalition;
    - other_pending: unverified, without members.
    Each coalition has one statement that nobody has signed.
    """
    import datetime

    from civiclink.places.models import Coalition, CoalitionMembership, JointStatement

    home = make_municipality("Mostar", region="Herzegovina-Neretva Canton", population=105800)
    away = make_municipality("Trebinje", name_cyrillic="Требиње", entity="RS", language="sr")
    own = make_organisation("Centar za građanske inicijative", home, sectors=["good-governance"], short_name="CGI")
    own_pending = make_organisation("Udruženje „Novi početak”", home, verified=False)
    other = make_organisation("Una zajedno", away, sectors=["environment"], network=True)
    other_pending = make_organisation("Ekološko društvo „Leotar”", away, verified=False)
    founded = datetime.date(2023, 1, 1)
    open_coalition = Coalition.objects.create(
        name="Coalition for Open Municipalities",
        slug="open-municipalities",
        purpose="Open budgets.",
        founded_on=founded,
    )
    rivers = Coalition.objects.create(name="Green Rivers", slug="green-rivers", purpose="Rivers.", founded_on=founded)
    CoalitionMembership.objects.create(coalition=open_coalition, organisation=own, joined_on=founded)
    CoalitionMembership.objects.create(coalition=rivers, organisation=other, joined_on=founded)
    statement = JointStatement.objects.create(
        coalition=open_coalition,
        title="Readable budgets",
        slug="readable-budgets",
        body="Publish.",
        published_on=founded,
    )
    rivers_statement = JointStatement.objects.create(
        coalition=rivers, title="No dams", slug="no-dams", body="Stop.", published_on=founded
    )
    return SimpleNamespace(
        home=home,
        away=away,
        own=own,
        own_pending=own_pending,
        other=other,
        other_pending=other_pending,
        coalition=open_coalition,
        rivers=rivers,
        statement=statement,
        rivers_statement=rivers_statement,
    )


@pytest.fixture
def role_user(world, make_user):
    """`role_user("org_admin")`: a user holding that role in `world` (None for "anonymous")."""
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role
    from civiclink.places.models import MunicipalRole, OrganisationMembership

    def make(role: str):
        if role == "anonymous":
            return None
        user = make_user(f"{role.replace('_', '-')}@example.org", superuser=role == "superuser")
        if role in {"org_member", "org_admin"}:
            membership_role = OrganisationMembership.Role.ADMIN if role == "org_admin" else "member"
            for organisation in (world.own, world.own_pending):
                OrganisationMembership.objects.create(user=user, organisation=organisation, role=membership_role)
        elif role in {"officer", "councillor"}:
            MunicipalRole.objects.create(user=user, municipality=world.home, role=role)
        elif role in {"evaluator", "trainer", "moderator", "staff"}:
            grant_platform_role(user, Role(role))
        return user

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Tests marked `postgres` need concurrent transactions. Elsewhere they are skipped before their fixtures run:
    a transactional test skipped from inside would still flush the database, and with it the content types that
    the next tests' serialized rollback (the browser tests) restores."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs concurrent transactions: runs in the PostgreSQL pass (DATABASE_URL=postgres://...)")


def pytest_collection_modifyitems(items):
    """The browser tests run first, on the database as the migrations left it. Their serialized rollback restores
    its rows with their original ids; after a transactional test elsewhere, whose flush re-creates the content types
    under new ids, that restore would clash with them."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)
