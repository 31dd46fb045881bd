"""Contact fixtures: two topics answered by different staff, a valid form submission and helpers to post it.
English messages, like the other apps' tests."""

import time
from types import SimpleNamespace

import pytest
from django.utils import translation

URL = "/{language}/contact/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def desk(make_user):
    """Topics "General questions" (answered by `general_staff`) and "Press" (by `press_staff`, and a press
    mailbox), a citizen, and a superuser."""
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role
    from civiclink.contact.models import Topic

    general_staff = make_user("general-staff@example.org", first_name="Goran", last_name="Tomić")
    press_staff = make_user("press-staff@example.org")
    for user in (general_staff, press_staff):
        grant_platform_role(user, Role.STAFF)
    general = Topic.objects.create(
        name="Opća pitanja", language="bs", translations={"en": {"name": "General questions"}}, order=1
    )
    press = Topic.objects.create(
        name="Za medije",
        language="bs",
        translations={"en": {"name": "Press"}},
        notify_addresses="press@example.org",
        order=2,
    )
    general.responsible.add(general_staff)
    press.responsible.add(press_staff)
    return SimpleNamespace(
        general=general,
        press=press,
        general_staff=general_staff,
        press_staff=press_staff,
        citizen=make_user("citizen@example.org", first_name="Amra", last_name="Hodžić"),
        superuser=make_user("root@example.org", superuser=True),
    )


@pytest.fixture
def form_data(desk):
    """`form_data(**changes)`: a submission that passes every check (its form was shown ten seconds ago)."""
    from civiclink.contact.receiving import new_stamp

    def make(**changes):
        data = {
            "name": "Selma Hadžić",
            "email": "selma@example.ba",
            "topic": desk.general.pk,
            "subject": "Joining the programme",
            "body": "How can our municipality join the programme?",
            "website": "",
            "stamp": new_stamp(time.time() - 10),
        }
        return data | changes

    return make


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """`send(data, language="en", address="203.0.113.1")`: post the form; the e-mails queued on commit leave."""

    def post(data, language="en", address="203.0.113.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL.format(language=language), data, REMOTE_ADDR=address)

    return post
