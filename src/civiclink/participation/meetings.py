"""Meetings: registration up to the capacity, attendance and minutes afterwards, and the calendar file.

A seat is taken by one conditional UPDATE (`registered_count < capacity`) in the same transaction as the
registration row: PostgreSQL re-checks the condition on the row a concurrent registration has just changed, so the
last seat goes to one person however many ask at once, and the CHECK on the counter is never reached."""

import datetime
from urllib.parse import urlparse

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civiclink.core.errors import UserError
from civiclink.participation import access
from civiclink.participation.access import Access, Need
from civiclink.participation.features import registry
from civiclink.participation.models import Meeting, Registration


class MeetingError(UserError):
    """A change refused, with a message fit to show the person who asked for it."""

    default_message = gettext_lazy("This meeting could not be changed.")


class MeetingFull(MeetingError):
    default_message = gettext_lazy("This meeting is full: every seat has been taken.")


class RegistrationClosed(MeetingError):
    default_message = gettext_lazy("Registration for this meeting is closed.")


class NotHeldYet(MeetingError):
    default_message = gettext_lazy("Attendance and minutes can be recorded once the meeting has started.")


class CapacityTooSmall(MeetingError):
    default_message = gettext_lazy("More people have already registered than this capacity allows.")


def closed_reason(meeting: Meeting, now: datetime.datetime | None = None) -> str:
    """Why nobody can register for `meeting` now, or "" when registration is open."""
    if meeting.cancelled:
        return _("This meeting has been cancelled.")
    if meeting.starts_at <= (now or timezone.now()):
        return _("This meeting has already started, so registration is closed.")
    if not meeting.registration_open:
        return str(RegistrationClosed.default_message)
    return ""


def seats_left(meeting: Meeting) -> int | None:
    """Free seats, or None when the meeting has no limit."""
    return None if meeting.capacity is None else max(meeting.capacity - meeting.registered_count, 0)


def attend_access(user, process) -> Access:
    """`access.check` for registering. A seat is held by an account, so a phase that opens meetings to anyone
    still asks a visitor to log in (with the same words as any other refusal)."""
    result = access.check(user, process, "meetings", "attend")
    if result.allowed and not user.is_authenticated:
        label = registry["meetings"].action("attend").label
        return Access(False, Need.LOGIN, _("Log in to %(action)s.") % {"action": label}, reverse("account_login"))
    return result


def register(meeting: Meeting, user) -> Registration:
    """Register `user`, taking a seat; registering again returns the same registration.

    The row is inserted before the seat is taken: a second request of the same person then waits on the unique
    index and finds the first one's registration instead of taking a second seat."""
    if reason := closed_reason(meeting):
        raise RegistrationClosed(reason)
    with transaction.atomic():
        try:
            with transaction.atomic():
                registration = Registration.objects.create(meeting=meeting, user=user)
        except IntegrityError:
            return Registration.objects.get(meeting=meeting, user=user)
        taken = (
            Meeting.objects.filter(
                Q(capacity__isnull=True) | Q(registered_count__lt=F("capacity")),
                pk=meeting.pk,
                cancelled=False,
                registration_open=True,
                starts_at__gt=timezone.now(),
            ).update(registered_count=F("registered_count") + 1)
            == 1
        )
        if not taken:
            meeting.refresh_from_db()
            if reason := closed_reason(meeting):
                raise RegistrationClosed(reason)
            raise MeetingFull()
    meeting.refresh_from_db(fields=["registered_count"])
    return registration


def unregister(meeting: Meeting, user) -> bool:
    """Give the seat back, while the meeting has not started; False when `user` was not registered."""
    if meeting.starts_at <= timezone.now():
        raise RegistrationClosed(_("This meeting has already started, so registrations can no longer be cancelled."))
    with transaction.atomic():
        deleted, _rows = Registration.objects.filter(meeting=meeting, user=user).delete()
        if deleted:
            Meeting.objects.filter(pk=meeting.pk).update(registered_count=F("registered_count") - 1)
    meeting.refresh_from_db(fields=["registered_count"])
    return bool(deleted)


def is_registered(meeting: Meeting, user) -> bool:
    return user.is_authenticated and Registration.objects.filter(meeting=meeting, user=user).exists()


def save(meeting: Meeting, fields: list[str]) -> None:
    """Store what the organiser edited. An existing meeting is written with an UPDATE of `fields` only, so that
    the seat counter moved by registrations meanwhile is never overwritten, and only while the new capacity still
    holds everyone registered."""
    if meeting.pk is None:
        meeting.save()
        return
    room = Q() if meeting.capacity is None else Q(registered_count__lte=meeting.capacity)
    if not Meeting.objects.filter(room, pk=meeting.pk).update(**{field: getattr(meeting, field) for field in fields}):
        raise CapacityTooSmall()


def record_outcome(meeting: Meeting, *, attendance: int | None, minutes: str) -> None:
    """How many came and what was said: known once the meeting has started."""
    if meeting.starts_at > timezone.now():
        raise NotHeldYet()
    Meeting.objects.filter(pk=meeting.pk).update(attendance=attendance, minutes=minutes)
    meeting.attendance, meeting.minutes = attendance, minutes


# --- Calendar file (RFC 5545) ------------------------------------------------------------------------------------

LINE_OCTETS = 75


def _text(value: str) -> str:
    """A TEXT value: backslashes, semicolons, commas and line breaks escaped (RFC 5545, 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on lines starting with a space, never inside a UTF-8 character."""
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(meeting: Meeting) -> str:
    """The meeting as an iCalendar file, in the active language, with CRLF line ends."""
    page = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    place = ", ".join(part for part in (meeting.place, meeting.address) if part)
    agenda = meeting.localised("agenda")
    description = [meeting.localised("description")]
    if agenda:
        description.append(_("Agenda:") + "\n" + agenda)
    if meeting.online_url:
        description.append(_("Online: %(url)s") % {"url": meeting.online_url})
    description.append(page)
    properties = [
        ("UID", f"meeting-{meeting.pk}@{urlparse(settings.SITE_URL).hostname or 'civiclink'}"),
        ("DTSTAMP", _utc(timezone.now())),
        ("DTSTART", _utc(meeting.starts_at)),
        ("DTEND", _utc(meeting.ends_at)),
        ("SUMMARY", _text(meeting.localised("title"))),
        ("LOCATION", _text(place or meeting.online_url)),
        ("URL", meeting.online_url or page),
        ("DESCRIPTION", _text("\n\n".join(part for part in description if part))),
        ("STATUS", "CANCELLED" if meeting.cancelled else "CONFIRMED"),
    ]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CivicLink//Participation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        *(f"{name}:{value}" for name, value in properties),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
