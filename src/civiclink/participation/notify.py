"""Telling followers what happened: `event(target, kind)` is called by the code that changed something.

Followers of the target and of its process each get one `Notification` row, written in the language each chose
for e-mails (`User.language`), its link to the page in that language too. Once the change has committed, a task
e-mails those who want to hear at once; the daily digest (`tasks.send_daily_digest`) gathers the others' rows."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from civiclink.participation.models import Comment, Follow, Notification, NotificationSettings, Process
from civiclink.participation.tasks import send_notifications

Event = Notification.Event
Frequency = NotificationSettings.Frequency
TEXT_EXCERPT = 600  # characters of a comment or an answer quoted in the e-mail

# (to any follower, to the author of the target); %(title)s is the target's, %(process)s its process's title
TITLES = {
    Event.ANSWERED: (
        _("The municipality answered “%(title)s”"),
        _("Your proposal “%(title)s” was answered"),
    ),
    Event.STATE: (
        _("“%(title)s” is now in the state “%(state)s”"),
        _("Your proposal “%(title)s” is now in the state “%(state)s”"),
    ),
    Event.COMMENTED: (
        _("New comment on “%(title)s”"),
        _("Someone commented on your proposal “%(title)s”"),
    ),
    Event.PHASE: (
        _("A new phase has begun in “%(process)s”"),
        _("A new phase has begun in “%(process)s”"),
    ),
    Event.RESULT: (
        _("The result “%(title)s” was updated"),
        _("The result “%(title)s” was updated"),
    ),
    Event.HIDDEN: (
        _("“%(title)s” was hidden by a moderator"),
        _("Your proposal “%(title)s” was hidden by a moderator"),
    ),
}


def title_of(target) -> str:
    if "title" in getattr(target, "translatable_fields", ()):
        return target.localised("title")
    return str(target)


def _process_of(target) -> Process | None:
    """The process `target` belongs to, if any (comments may also be on pages outside processes)."""
    return target if isinstance(target, Process) else getattr(target, "process", None)


@dataclass(frozen=True)
class Recipient:
    frequency: str
    language: str


def followers(target, actor=None, *, with_process: bool = True) -> dict[int, Recipient]:
    """{user id: how often and in what language to write} of the active users following `target` (or its
    process), except `actor` and those who want no e-mail."""
    followed = Q()
    process = _process_of(target) if with_process else None
    for item in {target, process} - {None}:
        followed |= Q(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
    rows = Follow.objects.filter(followed, user__is_active=True).exclude(
        user__notification_settings__frequency=Frequency.NEVER
    )
    if actor is not None and actor.is_authenticated:
        rows = rows.exclude(user=actor)
    return {
        user_id: Recipient(frequency or Frequency.IMMEDIATE, language or settings.LANGUAGE_CODE)
        for user_id, frequency, language in rows.values_list(
            "user_id", "user__notification_settings__frequency", "user__language"
        )
    }


def event(target, kind: str, *, actor=None, text: str = "") -> None:
    """Queue a notification of `kind` (a `Notification.Event`) about `target` for its followers and those of its
    process, except `actor`. A comment stands for what it comments on, quoted unless `text` is given. What a
    moderator hid is not news for the whole process: only the target's own followers hear of it."""
    if isinstance(target, Comment):
        text = text or target.body
        target = target.target
    if target is None:
        return
    recipients = followers(target, actor, with_process=kind != Event.HIDDEN)
    if not recipients:
        return
    process = _process_of(target)
    to_anyone, to_author = TITLES[kind]
    author_id = getattr(target, "author_id", None)
    excerpt = Truncator(text).chars(TEXT_EXCERPT)
    written = {}  # {language: ({to the author?: title}, url)}
    for language in {recipient.language for recipient in recipients.values()}:
        with translation.override(language):
            state = str(target.get_state_display()) if hasattr(target, "get_state_display") else ""
            values = {"title": title_of(target), "process": title_of(process) if process else "", "state": state}
            titles = {False: str(to_anyone) % values, True: str(to_author) % values}
            written[language] = (titles, target.get_absolute_url())
    content_type = ContentType.objects.get_for_model(target)
    created = Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            event=kind,
            content_type=content_type,
            object_id=target.pk,
            title=Truncator(written[recipient.language][0][user_id == author_id]).chars(300),
            text=excerpt,
            url=written[recipient.language][1],
        )
        for user_id, recipient in recipients.items()
    )
    immediate = [
        notification.pk for notification in created if recipients[notification.user_id].frequency == Frequency.IMMEDIATE
    ]
    if immediate:
        # robust: the change is saved whatever happens to the queue; a failure to enqueue is logged
        transaction.on_commit(lambda: send_notifications.enqueue(immediate), robust=True)
