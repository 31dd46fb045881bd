"""`civiclink demo`: a database with the programme's directory, one account per role and the pages in every
language; running it again changes nothing.

The demo takes seconds to load, so one test loads it and checks it piece by piece (subtests), then runs it again.
"""

import io

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision, Site

from civiclink.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from civiclink.accounts.models import PlatformRole, User
from civiclink.governance import models as governance
from civiclink.governance import scoring
from civiclink.pages.models import HomePage, StandardPage
from civiclink.places import models as places

pytestmark = pytest.mark.django_db

COUNTED = [
    User,
    EmailAddress,
    PlatformRole,
    places.OrganisationMembership,
    places.MunicipalRole,
    places.Municipality,
    places.LocalCommunity,
    places.Organisation,
    places.NetworkMembership,
    places.Coalition,
    places.CoalitionMembership,
    places.JointStatement,
    places.StatementSignature,
    governance.Campaign,
    governance.Response,
    governance.Answer,
    governance.IndicatorAssessment,
    governance.Measure,
    Page,
    Revision,
    Locale,
    Site,
]
LANGUAGES = [code for code, _ in settings.LANGUAGES]


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def run_demo() -> str:
    output = io.StringIO()
    call_command("demo", no_serve=True, stdout=output)
    return output.getvalue()


def check_directory():
    assert places.Municipality.objects.count() == 12
    assert places.Organisation.objects.filter(verified=True).count() >= 40
    assert places.Coalition.objects.count() == 2
    assert places.JointStatement.objects.exists()
    assert places.NetworkMembership.objects.count() >= 10
    assert places.LocalCommunity.objects.filter(municipality__slug="trebinje").exists()


def check_accounts(printed: str):
    users = {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith="@demo.civiclink.local")}
    assert set(users) == {email.split("@")[0] for email, _, _, _ in ACCOUNTS}
    # The people behind the demo's proposals, supports and ballots cannot log in and hold no platform role.
    generated = User.objects.exclude(pk__in=[user.pk for user in users.values()])
    assert not any(user.has_usable_password() or user.is_staff or user.platform_roles.exists() for user in generated)
    for email, _, _, _ in ACCOUNTS:
        assert email in printed  # shown to the person trying the demo
    assert DEMO_PASSWORD in printed
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified  # they can log in at once

    def platform_roles(key):
        return set(users[key].platform_roles.values_list("role", flat=True))

    assert not platform_roles("citizen") and not users["citizen"].organisation_memberships.exists()
    assert users["cso-member"].organisation_memberships.get().role == "member"
    assert users["cso-admin"].organisation_memberships.get().role == "admin"
    assert users["officer"].municipal_roles.get().role == "officer"
    assert users["councillor"].municipal_roles.get().role == "councillor"
    for role in ("evaluator", "trainer", "moderator"):
        assert platform_roles(role) == {role}
        assert not users[role].is_staff
    assert platform_roles("staff") == {"staff"} and users["staff"].is_staff and not users["staff"].is_superuser
    assert users["admin"].is_superuser


def check_pages():
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) == set(LANGUAGES)
    assert HomePage.objects.count() == len(LANGUAGES)
    assert StandardPage.objects.filter(slug="privacy").count() == len(LANGUAGES)
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    titles = {language: HomePage.objects.get(locale__language_code=language).title for language in ("bs", "en", "sr")}
    assert len(set(titles.values())) == 3, titles  # really translated, not copies


def check_governance(client):
    """The programme's needs assessment in all 12 municipalities, and one 2023-based campaign in progress."""
    finished = governance.Campaign.objects.filter(cycle__benchmark__key="eloge-2008")
    assert finished.count() == 12
    assert set(finished.values_list("decision", flat=True)) == {"recognition"}
    assert set(finished.values_list("phase", flat=True)) == {"monitoring"}
    mostar = finished.get(municipality__slug="mostar")
    results = scoring.compute(mostar)
    assert results.responses["citizens"] >= 150 and results.responses["councillors"] >= 15
    assert all(result.combined is not None for result in results.principles)
    assert len({round(result.combined) for result in results.principles}) > 4  # plausible variation
    assert {measure.status for measure in mostar.measures.all()} >= {"done", "in_progress", "planned"}
    current = governance.Campaign.objects.get(cycle__benchmark__key="eloge-2023")
    assert current.phase == "assessment" and current.self_assessment_submitted_at is None
    assert client.get(f"/bs/governance/campaigns/{mostar.pk}/results/").status_code == 200
    assert client.get(f"/sr/governance/campaigns/{current.pk}/survey/").status_code == 200


def check_home_page(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert HomePage.objects.get(locale__language_code=language).title in page


def test_demo(client, subtests):
    printed = run_demo()

    with subtests.test("directory"):
        check_directory()
    with subtests.test("one account per role"):
        check_accounts(printed)
    with subtests.test("pages in every language"):
        check_pages()
    with subtests.test("governance campaigns"):
        check_governance(client)
    for language in LANGUAGES:
        with subtests.test("home page", language=language):
            check_home_page(client, language)

    before = counts()
    run_demo()
    assert counts() == before, "running the demo again must change nothing"
