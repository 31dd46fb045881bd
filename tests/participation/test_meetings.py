"""Meetings: seats given exactly once up to the capacity (also under concurrent requests), refusals that say why,
the calendar file, the organiser's pages and who may use them."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from civiclink.participation import meetings
from civiclink.participation.models import Meeting, Registration
from support import at_once

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def process(make_process):
    return make_process(features=("meetings", "comments"), title="Stari grad budget")


@pytest.fixture
def make_meeting(process):
    def make(*, starts_in=48 * HOUR, hours=2, **fields):
        starts = timezone.now() + starts_in
        fields.setdefault("title", "Public hearing")
        fields.setdefault("place", "Town hall")
        return Meeting.objects.create(process=process, starts_at=starts, ends_at=starts + hours * HOUR, **fields)

    return make


def url(meeting, action=""):
    return f"/en/participation/{meeting.process.slug}/meetings/{meeting.pk}/{action}"


def seats(meeting):
    meeting.refresh_from_db()
    return meeting.registered_count, Registration.objects.filter(meeting=meeting).count()


# --- Registration --------------------------------------------------------------------------------------------------


def test_registering_takes_one_seat_however_often_asked_and_unregistering_frees_it(make_meeting, people):
    meeting = make_meeting(capacity=3)
    first = meetings.register(meeting, people.citizen)
    assert meetings.register(meeting, people.citizen) == first
    assert seats(meeting) == (1, 1)
    assert meetings.unregister(meeting, people.citizen) is True
    assert meetings.unregister(meeting, people.citizen) is False
    assert seats(meeting) == (0, 0)


def test_a_meeting_without_capacity_has_no_limit(make_meeting, make_user):
    meeting = make_meeting(capacity=None)
    for _ in range(4):
        meetings.register(meeting, make_user())
    assert seats(meeting) == (4, 4)
    assert meetings.seats_left(meeting) is None


def test_the_last_seat_goes_once_and_the_next_person_is_told_the_meeting_is_full(client, make_meeting, people):
    meeting = make_meeting(capacity=1)
    meetings.register(meeting, people.resident)
    with pytest.raises(meetings.MeetingFull):
        meetings.register(meeting, people.citizen)
    assert seats(meeting) == (1, 1)

    client.force_login(people.citizen)
    page = client.get(url(meeting)).content.decode()
    assert "This meeting is full: every seat has been taken." in page
    assert "Register for this meeting" not in page
    response = client.post(url(meeting, "register/"))
    assert response.status_code == 409
    assert "This meeting is full: every seat has been taken." in response.content.decode()
    assert seats(meeting) == (1, 1)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"cancelled": True}, "This meeting has been cancelled."),
        ({"registration_open": False}, "Registration for this meeting is closed."),
        ({"starts_in": -HOUR}, "This meeting has already started, so registration is closed."),
    ],
)
def test_closed_registration_is_refused_with_the_reason(client, make_meeting, people, fields, message):
    meeting = make_meeting(capacity=10, **fields)
    with pytest.raises(meetings.RegistrationClosed, match=message):
        meetings.register(meeting, people.citizen)
    client.force_login(people.citizen)
    assert message in client.get(url(meeting)).content.decode()
    response = client.post(url(meeting, "register/"))
    assert response.status_code == 409
    assert message in response.content.decode()
    assert seats(meeting) == (0, 0)


def test_registering_and_cancelling_through_the_page(client, make_meeting, people):
    meeting = make_meeting(capacity=2)
    client.force_login(people.citizen)
    assert "Register for this meeting" in client.get(url(meeting)).content.decode()

    response = client.post(url(meeting, "register/"), follow=True)
    assert response.redirect_chain == [(url(meeting), 303)]
    page = response.content.decode()
    assert "You are registered for “Public hearing”." in page
    assert "1 seat left" in page and "Cancel my registration" in page

    response = client.post(url(meeting, "unregister/"), follow=True)
    assert "Your registration is cancelled and your seat is free for someone else." in response.content.decode()
    assert seats(meeting) == (0, 0)


def test_a_seat_cannot_be_given_back_once_the_meeting_has_started(make_meeting, people):
    meeting = make_meeting()
    meetings.register(meeting, people.citizen)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - HOUR, ends_at=timezone.now() + HOUR)
    meeting.refresh_from_db()
    with pytest.raises(meetings.RegistrationClosed):
        meetings.unregister(meeting, people.citizen)
    assert seats(meeting) == (1, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twelve_people_asking_at_once_for_five_seats_get_exactly_five(make_process, make_user):
    """Every request reaches the conditional UPDATE before any has committed; no CHECK violation becomes a 500."""
    process = make_process(features=("meetings",))
    starts = timezone.now() + 48 * HOUR
    meeting = Meeting.objects.create(
        process=process, title="Hearing", place="Hall", starts_at=starts, ends_at=starts + HOUR, capacity=5
    )
    clients = []
    for _ in range(12):
        browser = Client()
        browser.force_login(make_user())
        clients.append((browser,))

    def register(barrier, browser):
        barrier.wait()
        return browser.post(url(meeting, "register/")).status_code

    outcomes = at_once(register, clients, {})
    assert outcomes == [303] * 5 + [409] * 7
    assert seats(meeting) == (5, 5)


# --- Who may do what -------------------------------------------------------------------------------------------------


def test_visitors_are_told_how_to_register(client, make_meeting):
    meeting = make_meeting(capacity=5)
    page = client.get(url(meeting)).content.decode()
    assert "Log in to register for a meeting." in page
    assert "Register for this meeting" not in page
    assert client.post(url(meeting, "register/")).status_code == 403
    assert seats(meeting) == (0, 0)


def test_a_phase_open_to_anyone_still_asks_visitors_to_log_in(client, make_process):
    open_process = make_process(features=("meetings",), capabilities={"meetings.attend": "anyone"})
    starts = timezone.now() + 48 * HOUR
    meeting = Meeting.objects.create(
        process=open_process, title="Walk", place="Park", starts_at=starts, ends_at=starts + HOUR
    )
    assert "Log in to register for a meeting." in client.get(url(meeting)).content.decode()
    assert client.post(url(meeting, "register/")).status_code == 403


def test_people_the_phase_does_not_admit_cannot_register(client, make_process, people):
    residents_only = make_process(features=("meetings",), capabilities={"meetings.attend": "resident"})
    starts = timezone.now() + 48 * HOUR
    meeting = Meeting.objects.create(
        process=residents_only, title="Residents", place="Hall", starts_at=starts, ends_at=starts + HOUR
    )
    client.force_login(people.citizen)
    assert "You need to be a verified resident of Mostar" in client.get(url(meeting)).content.decode()
    assert client.post(url(meeting, "register/")).status_code == 403
    client.force_login(people.resident)
    assert client.post(url(meeting, "register/")).status_code == 303


@pytest.mark.parametrize("role, status", [("anonymous", 403), ("citizen", 403), ("officer", 200), ("staff", 200)])
def test_only_managers_reach_the_organisers_pages(client, make_meeting, people, role, status):
    meeting = make_meeting(starts_in=-3 * HOUR)
    if (user := getattr(people, role)) is not None:
        client.force_login(user)
    slug = meeting.process.slug
    for address in (
        f"/en/participation/{slug}/meetings/add/",
        url(meeting, "edit/"),
        url(meeting, "outcome/"),
        url(meeting, "registrations/"),
    ):
        assert client.get(address).status_code == status, address


def test_drafts_and_processes_without_meetings_have_no_meeting_pages(client, make_process, make_meeting):
    meeting = make_meeting()
    meeting.process.published = False
    meeting.process.save()
    assert client.get(url(meeting)).status_code == 404
    other = make_process(features=("proposals",))
    assert client.get(f"/en/participation/{other.slug}/meetings/").status_code == 404


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_meetings_in_few_queries(client, make_meeting, django_assert_num_queries):
    make_meeting(title="Next week", starts_in=7 * 24 * HOUR, capacity=30)
    make_meeting(title="Last month", starts_in=-30 * 24 * HOUR)
    address = "/en/participation/stari-grad-budget/meetings/"
    client.get(address)  # warms up what any first request loads (site, content types)
    with django_assert_num_queries(6):
        page = client.get(address).content.decode()
    upcoming, past = page.split("Past meetings")
    assert "Next week" in upcoming and "0 of 30 seats taken" in upcoming
    assert "Last month" in past
    for number in range(10):
        make_meeting(title=f"Meeting {number}", starts_in=(number + 1) * HOUR)
    with django_assert_num_queries(6):
        client.get(address)


def test_the_meeting_page_tells_when_where_and_what(client, make_meeting):
    meeting = make_meeting(
        title="Budget hearing",
        place="Town hall",
        address="Ulica Maršala Tita 1",
        online_url="https://meet.example.org/budget",
        agenda="1. Welcome\n2. The budget",
        capacity=40,
    )
    page = client.get(url(meeting)).content.decode()
    for text in ("Budget hearing", "Town hall", "Ulica Maršala Tita 1", "https://meet.example.org/budget"):
        assert text in page
    assert "1. Welcome<br>2. The budget" in page
    assert "40 seats left" in page
    assert f'href="{url(meeting, "calendar.ics")}"' in page
    assert 'id="comments"' in page  # the process has comments: people discuss the meeting under it
    assert "style=" not in page and "<script>" not in page


# --- Organiser ------------------------------------------------------------------------------------------------------


def meeting_form(**changes):
    starts = (timezone.localtime() + datetime.timedelta(days=10)).replace(hour=18, minute=0)
    data = {
        "title": "Budget hearing",
        "description": "Bring your questions.",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + 2 * HOUR).strftime("%Y-%m-%dT%H:%M"),
        "place": "Town hall",
        "address": "",
        "online_url": "",
        "agenda": "Welcome",
        "capacity": "30",
        "registration_open": "on",
    }
    return data | changes


def test_an_officer_adds_a_meeting(client, process, people):
    client.force_login(people.officer)
    response = client.post(f"/en/participation/{process.slug}/meetings/add/", meeting_form())
    meeting = Meeting.objects.get()
    assert response.status_code == 303 and response["Location"] == url(meeting)
    assert (meeting.title, meeting.capacity, meeting.registered_count) == ("Budget hearing", 30, 0)
    assert timezone.localtime(meeting.starts_at).hour == 18


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"ends_at": "2020-01-01T10:00"}, "The meeting must end after it starts."),
        ({"place": ""}, "Give the place of the meeting, an online link, or both."),
        ({"starts_at": "next tuesday"}, "Enter a valid date/time."),
        ({"capacity": "-3"}, "Ensure this value is greater than or equal to"),
        ({"online_url": "not a link"}, "Enter a valid URL."),
        ({"agenda": "x" * 10_001}, "Ensure this value has at most 10000 characters"),
    ],
)
def test_a_bad_meeting_form_comes_back_with_the_error_and_what_was_typed(client, process, people, changes, error):
    client.force_login(people.officer)
    response = client.post(f"/en/participation/{process.slug}/meetings/add/", meeting_form(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert "Bring your questions." in page
    assert not Meeting.objects.exists()


def test_editing_keeps_the_seats_taken_meanwhile_and_the_capacity_above_them(client, make_meeting, people, make_user):
    meeting = make_meeting(capacity=10)
    for _ in range(3):
        meetings.register(meeting, make_user())
    client.force_login(people.officer)
    response = client.post(url(meeting, "edit/"), meeting_form(capacity="2"))
    assert response.status_code == 400
    assert "3 people have already registered: the capacity cannot be lower." in response.content.decode()

    stale = Meeting.objects.get(pk=meeting.pk)
    meetings.register(meeting, make_user())  # while the organiser edits
    stale.title = "New title"
    meetings.save(stale, ["title"])
    assert seats(meeting) == (4, 4)
    stale.capacity = 3
    with pytest.raises(meetings.CapacityTooSmall):
        meetings.save(stale, ["capacity"])
    meeting.refresh_from_db()
    assert (meeting.title, meeting.capacity) == ("New title", 10)


def test_attendance_and_minutes_are_recorded_after_the_meeting(client, make_meeting, people):
    client.force_login(people.officer)
    upcoming = make_meeting()
    assert "can be recorded once the meeting has started" in client.get(url(upcoming, "outcome/")).content.decode()
    with pytest.raises(meetings.NotHeldYet):
        meetings.record_outcome(upcoming, attendance=3, minutes="Too early.")
    response = client.post(url(upcoming, "outcome/"), {"attendance": "3", "minutes": "Too early."})
    assert response.status_code == 400
    upcoming.refresh_from_db()
    assert upcoming.attendance is None

    held = make_meeting(starts_in=-3 * HOUR)
    response = client.post(url(held, "outcome/"), {"attendance": "27", "minutes": "We agreed on three points."})
    assert response.status_code == 303
    client.logout()
    page = client.get(url(held)).content.decode()
    assert "27 people came" in page and "We agreed on three points." in page


def test_the_organiser_sees_who_registered(client, make_meeting, people):
    meeting = make_meeting(capacity=10)
    meetings.register(meeting, people.resident)
    client.force_login(people.officer)
    page = client.get(url(meeting, "registrations/")).content.decode()
    assert "resident@example.org" in page and "1 of 10 seats taken" in page


# --- Calendar file ---------------------------------------------------------------------------------------------------


def unfold(text: str) -> dict[str, str]:
    """The content lines of an iCalendar text, unfolded, as {name: value} (RFC 5545, 3.1)."""
    return dict(line.split(":", 1) for line in text.replace("\r\n ", "").split("\r\n") if line)


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def test_the_calendar_file_is_valid_icalendar(client, make_meeting, settings):
    settings.SITE_URL = "https://civiclink.example.ba"
    agenda = "1. Budget; roads, schools\n2. Questions\\answers\n3. " + "Čišćenje obala Neretve " * 8
    meeting = make_meeting(
        title="Hearing, with; punctuation",
        place="Town hall",
        address="Trg 1, Mostar",
        agenda=agenda,
        description="Open to everyone.",
    )
    response = client.get(url(meeting, "calendar.ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)  # the long description is folded
    for line in physical:
        line.decode()  # never folded inside a UTF-8 character

    lines = raw.decode().replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")
    event = unfold(raw.decode())
    assert event["VERSION"] == "2.0" and event["PRODID"]
    assert event["UID"] == f"meeting-{meeting.pk}@civiclink.example.ba"
    assert event["DTSTART"] == meeting.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"] == meeting.ends_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    assert event["SUMMARY"] == r"Hearing\, with\; punctuation"
    assert unescape(event["LOCATION"]) == "Town hall, Trg 1, Mostar"
    assert event["URL"] == f"https://civiclink.example.ba{url(meeting)}"
    description = unescape(event["DESCRIPTION"])
    assert description.startswith("Open to everyone.\n\nAgenda:\n" + agenda)
    assert "\n" not in event["DESCRIPTION"] and r"\;" in event["DESCRIPTION"]
    assert event["STATUS"] == "CONFIRMED"


def test_an_online_meeting_points_the_calendar_to_its_link(make_meeting):
    meeting = make_meeting(place="", online_url="https://meet.example.org/a;b", cancelled=True)
    event = unfold(meetings.ics(meeting))
    assert event["URL"] == "https://meet.example.org/a;b"
    assert unescape(event["LOCATION"]) == "https://meet.example.org/a;b"
    assert event["STATUS"] == "CANCELLED"
