"""Meetings of a process: the list, a meeting with registration and its calendar file, and the organiser's pages.

Pages are rendered per request (never from the page cache): the seats left change with every registration and
registered visitors get a form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.participation import meetings
from civiclink.participation.forms_meetings import MeetingForm, OutcomeForm
from civiclink.participation.views.common import process_context, process_using, see_other, with_comments

TAB = "participation:meetings"


def _process(request, slug: str, permission: str = ""):
    return process_using(request, slug, "meetings", permission)


def _meeting(process, pk: int):
    return get_object_or_404(process.meetings.all(), pk=pk)


def meeting_list(request, slug):
    process = _process(request, slug)
    now = timezone.now()
    every = list(process.meetings.all())
    context = process_context(request, process, TAB) | {
        "upcoming": [meeting for meeting in every if meeting.ends_at >= now],
        "past": [meeting for meeting in reversed(every) if meeting.ends_at < now],
    }
    return render(request, "participation/meetings/list.html", context)


def _detail_page(request, process, meeting, *, error: str = "", status: int = 200):
    context = process_context(request, process, TAB) | {
        "meeting": meeting,
        "held": meeting.starts_at <= timezone.now(),
        "closed": meetings.closed_reason(meeting),
        "seats_left": meetings.seats_left(meeting),
        "registered": meetings.is_registered(meeting, request.user),
        "attend": meetings.attend_access(request.user, process),
        "error": error,
    }
    return render(
        request, "participation/meetings/detail.html", with_comments(request, process, meeting, context), status=status
    )


def meeting_detail(request, slug, pk):
    process = _process(request, slug)
    return _detail_page(request, process, _meeting(process, pk))


@require_POST
def meeting_register(request, slug, pk):
    process = _process(request, slug, "participation.attend")
    if not request.user.is_authenticated:
        raise PermissionDenied
    meeting = _meeting(process, pk)
    try:
        meetings.register(meeting, request.user)
    except meetings.MeetingError as refusal:
        return _detail_page(request, process, meeting, error=refusal.message, status=409)
    messages.success(request, _("You are registered for “%(title)s”.") % {"title": meeting.localised("title")})
    return see_other(meeting.get_absolute_url())


@require_POST
def meeting_unregister(request, slug, pk):
    """Anyone registered may give their seat back, even after the phase that opened registration has ended."""
    process = _process(request, slug)
    if not request.user.is_authenticated:
        raise PermissionDenied
    meeting = _meeting(process, pk)
    try:
        meetings.unregister(meeting, request.user)
    except meetings.MeetingError as refusal:
        return _detail_page(request, process, meeting, error=refusal.message, status=409)
    messages.success(request, _("Your registration is cancelled and your seat is free for someone else."))
    return see_other(meeting.get_absolute_url())


def meeting_ics(request, slug, pk):
    meeting = _meeting(_process(request, slug), pk)
    response = HttpResponse(meetings.ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def _form_page(request, process, meeting=None):
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.process = process
        try:
            meetings.save(meeting, list(form.fields))
        except meetings.CapacityTooSmall as refusal:
            form.add_error("capacity", refusal.message)
        else:
            messages.success(request, _("The meeting “%(title)s” is saved.") % {"title": meeting.title})
            return see_other(meeting.get_absolute_url())
    context = process_context(request, process, TAB) | {"form": form, "meeting": meeting}
    return render(request, "participation/meetings/form.html", context, status=400 if form.errors else 200)


def meeting_add(request, slug):
    return _form_page(request, _process(request, slug, "participation.manage_process"))


def meeting_edit(request, slug, pk):
    process = _process(request, slug, "participation.manage_process")
    return _form_page(request, process, _meeting(process, pk))


def meeting_outcome(request, slug, pk):
    """Attendance and minutes, once the meeting has started."""
    process = _process(request, slug, "participation.manage_process")
    meeting = _meeting(process, pk)
    form = OutcomeForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.record_outcome(meeting, **form.cleaned_data)
        except meetings.NotHeldYet as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The attendance and minutes are saved."))
            return see_other(meeting.get_absolute_url())
    context = process_context(request, process, TAB) | {
        "form": form,
        "meeting": meeting,
        "held": meeting.starts_at <= timezone.now(),
    }
    return render(request, "participation/meetings/outcome.html", context, status=400 if form.errors else 200)


def meeting_registrations(request, slug, pk):
    """Who registered, for the organiser: names and addresses to prepare the room and send news."""
    process = _process(request, slug, "participation.manage_process")
    meeting = _meeting(process, pk)
    context = process_context(request, process, TAB) | {
        "meeting": meeting,
        "registrations": meeting.registrations.select_related("user").order_by("created_at", "pk"),
    }
    return render(request, "participation/meetings/registrations.html", context)


urlpatterns = [
    path("<slug:slug>/meetings/", meeting_list, name="meetings"),
    path("<slug:slug>/meetings/add/", meeting_add, name="meeting_add"),
    path("<slug:slug>/meetings/<int:pk>/", meeting_detail, name="meeting"),
    path("<slug:slug>/meetings/<int:pk>/calendar.ics", meeting_ics, name="meeting_ics"),
    path("<slug:slug>/meetings/<int:pk>/register/", meeting_register, name="meeting_register"),
    path("<slug:slug>/meetings/<int:pk>/unregister/", meeting_unregister, name="meeting_unregister"),
    path("<slug:slug>/meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("<slug:slug>/meetings/<int:pk>/outcome/", meeting_outcome, name="meeting_outcome"),
    path("<slug:slug>/meetings/<int:pk>/registrations/", meeting_registrations, name="meeting_registrations"),
]
