"""E-mail leaves the request through the task queue: sending only enqueues; the worker delivers.

The worker runs its real loop (`civiclink worker --batch`). It checks the database connection between tasks the
way a long-running process must, which would drop the connection of a test wrapped in a transaction: these tests
therefore run with real commits (transactional database).
"""

import signal

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from civiclink.accounts.models import Role
from civiclink.accounts.roles import grant_platform_role
from civiclink.places.models import Sector

pytestmark = pytest.mark.django_db(transaction=True)

QUEUED_TO_OUTBOX = {
    "default": {"BACKEND": "civiclink.core.mail.TaskEmailBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
}


@pytest.fixture
def queued_mail(settings):
    """Production's mail set-up (TaskEmailBackend on the database queue), delivering to the test outbox."""
    settings.MAILERS = QUEUED_TO_OUTBOX
    settings.TASK_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # resets django.tasks' backends


@pytest.fixture
def run_worker():
    """Run `civiclink worker --batch` and put back the signal handlers it installs for its graceful shutdown."""
    handled = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]

    def run():
        saved = {number: signal.getsignal(number) for number in handled}
        try:
            call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return run


def newsletter() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Javna rasprava o budžetu",
        body="Pozivamo vas na javnu raspravu.\n\nCivicLink",
        from_email="CivicLink <noreply@civiclink.local>",
        to=["amra@example.org", "Dario Perić <dario@example.org>"],
        cc=["vijece@mostar.example.ba"],
        bcc=["arhiva@civiclink.local"],
        reply_to=["info@civiclink.local"],
        headers={"X-CivicLink-Topic": "budget"},
    )
    message.attach_alternative("<p>Pozivamo vas na <strong>javnu raspravu</strong>.</p>", "text/html")
    return message


def test_sending_queues_and_the_worker_delivers(queued_mail, run_worker):
    assert newsletter().send() == 1

    assert mail.outbox == []  # not delivered during the request
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    assert queued.task_path == "civiclink.core.mail.deliver_email"

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    delivered, sent = mail.outbox[0], newsletter()
    assert delivered.subject == sent.subject
    assert delivered.body == sent.body
    assert delivered.from_email == sent.from_email
    assert delivered.to == sent.to
    assert delivered.cc == sent.cc
    assert delivered.bcc == sent.bcc
    assert delivered.reply_to == sent.reply_to
    assert delivered.extra_headers == {"X-CivicLink-Topic": "budget"}
    assert [tuple(alternative) for alternative in delivered.alternatives] == [
        ("<p>Pozivamo vas na <strong>javnu raspravu</strong>.</p>", "text/html")
    ]
    assert set(delivered.recipients()) == {
        "amra@example.org",
        "Dario Perić <dario@example.org>",
        "vijece@mostar.example.ba",
        "arhiva@civiclink.local",
    }

    run_worker()  # nothing left: a second run delivers nothing twice
    assert len(mail.outbox) == 1


def test_an_undeliverable_message_is_kept_as_a_failed_task(queued_mail, run_worker, settings):
    settings.MAILERS = QUEUED_TO_OUTBOX | {
        "delivery": {  # nothing listens there
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    newsletter().send()

    run_worker()

    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert "ConnectionRefusedError" in str(failed.task_result.errors[0].exception_class)
    assert failed.args_kwargs["args"][0]["subject"] == "Javna rasprava o budžetu"  # the message is not lost
    assert mail.outbox == []


def test_registering_an_organisation_tells_staff_by_e_mail(queued_mail, run_worker, client, make_user, world):
    staff = make_user("staff@example.org")
    grant_platform_role(staff, Role.STAFF)
    former = make_user("former-staff@example.org", is_active=False)
    grant_platform_role(former, Role.STAFF)
    client.force_login(make_user("registrant@example.org"))

    response = client.post(
        "/en/organisations/register/",
        {
            "legal_name": "Udruženje „Dabrica”",
            "registration_number": "RU-77/2010",
            "municipality": world.home.pk,
            "sectors": [Sector.objects.get_or_create(slug="culture", defaults={"name": "Culture"})[0].pk],
            "language": "bs",
        },
    )
    assert response.status_code == 302
    assert mail.outbox == []

    run_worker()

    assert [message.to for message in mail.outbox] == [["staff@example.org"]]  # not the deactivated account
    assert "Udruženje „Dabrica”" in mail.outbox[0].subject
    assert "/admin/" in mail.outbox[0].body


def test_without_a_worker_immediate_tasks_deliver_at_once(settings):
    """`civiclink demo` runs tasks in the web process: mail goes out while sending."""
    settings.MAILERS = QUEUED_TO_OUTBOX
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    newsletter().send()

    assert [message.subject for message in mail.outbox] == ["Javna rasprava o budžetu"]
    assert not DBTaskResult.objects.exists()
