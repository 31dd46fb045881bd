"""The alerts job: an alert per new problem, e-mailed once to staff and the officers of the bench's municipality
(in its language), cleared when the problem is gone; two runs at once never send twice."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from benches.messages import event, telemetry
from civiclink.accounts.models import Role
from civiclink.accounts.roles import grant_platform_role
from civiclink.benches import ingest
from civiclink.benches.alerts import send_alerts
from civiclink.benches.models import Alert, Status, Transport
from civiclink.places.models import LocalCommunity, MunicipalRole
from support import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, world):
    """Staff, an officer of Mostar (the benches' municipality), an officer of Trebinje, a plain user."""
    staff = make_user("staff@example.org")
    grant_platform_role(staff, Role.STAFF)
    officer = make_user("officer@example.org")
    MunicipalRole.objects.create(user=officer, municipality=world.home, role=MunicipalRole.Role.OFFICER)
    elsewhere = make_user("elsewhere@example.org")
    MunicipalRole.objects.create(user=elsewhere, municipality=world.away, role=MunicipalRole.Role.OFFICER)
    make_user("citizen@example.org")
    return staff, officer, elsewhere


def send(bench, *messages):
    ingest.store([ingest.Entry(str(bench.pk), list(messages))], Transport.HTTP)


def subject_in(language: str, bench: str, problem: str) -> str:
    """The subject as the catalogue of `language` words it."""
    with translation.override(language):
        return gettext("Bench “%(bench)s”: %(problem)s") % {"bench": bench, "problem": gettext(problem)}


def test_a_new_problem_is_e_mailed_once_to_staff_and_the_municipality_s_officers(make_bench, people, world, mailoutbox):
    bench, _ = make_bench("Kiosk Rondo")  # never heard from: offline
    summary = send_alerts()
    assert summary == {"raised": 1, "cleared": 0, "notified": 1, "emails": 2}
    alert = Alert.objects.get()
    assert alert.bench == bench and alert.kind == "offline" and alert.notified_at is not None
    assert sorted(message.to[0] for message in mailoutbox) == ["officer@example.org", "staff@example.org"]
    message = mailoutbox[0]
    assert message.subject == subject_in(world.home.language, "Kiosk Rondo", "offline")  # Mostar writes Bosnian
    assert "Zahum" in message.body and f"/{world.home.language}/benches/{bench.pk}/" in message.body
    assert send_alerts() == {"raised": 0, "cleared": 0, "notified": 0, "emails": 0}
    assert len(mailoutbox) == 2


def test_an_alert_clears_when_the_problem_is_gone_and_a_new_one_is_raised_if_it_returns(make_bench, people, mailoutbox):
    bench, _ = make_bench()
    send_alerts()
    send(bench, telemetry())
    assert send_alerts()["cleared"] == 1
    assert Alert.objects.get().cleared_at is not None
    later = timezone.now() + timedelta(seconds=3 * bench.reporting_interval + 60)
    assert send_alerts(now=later)["raised"] == 1
    assert Alert.objects.filter(cleared_at__isnull=True).count() == 1 and len(mailoutbox) == 4


def test_each_problem_is_its_own_alert_and_retired_benches_clear(make_bench, people, mailoutbox):
    bench, _ = make_bench()
    send(bench, telemetry(battery=3.0), event("tamper", seq=2))
    assert send_alerts()["raised"] == 2
    assert set(Alert.objects.values_list("kind", flat=True)) == {"low_battery", "tamper"}
    bench.status = Status.RETIRED
    bench.save()
    assert send_alerts()["cleared"] == 2


def test_officers_are_written_to_in_their_municipality_s_language(make_bench, people, world, mailoutbox):
    community = LocalCommunity.objects.create(municipality=world.away, name="Hrupjela", slug="hrupjela")
    make_bench("Klupa", community=community)
    send_alerts()
    assert sorted(message.to[0] for message in mailoutbox) == ["elsewhere@example.org", "staff@example.org"]
    subject = subject_in("sr", "Klupa", "offline")  # Trebinje writes Serbian
    assert [message.subject for message in mailoutbox] == [subject, subject]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_open_and_send_each_alert_once(make_bench, people, mailoutbox):
    make_bench()
    make_bench()

    def run(barrier):
        barrier.wait()
        summary = send_alerts()
        return summary["raised"], summary["notified"]

    outcomes = at_once(run, [()] * 4, {})
    assert sum(raised for raised, _notified in outcomes) == 2
    assert sum(notified for _raised, notified in outcomes) == 2
    assert Alert.objects.count() == 2 and len(mailoutbox) == 4
