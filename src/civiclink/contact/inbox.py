"""The staff inbox: which messages a person sees, replying, notes, closing and reopening (each recorded with who
and when), the counts for the dashboard, and the retention of closed messages."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.contact import emails
from civiclink.contact.models import Event, Message, State, Topic
from civiclink.contact.rules import answers_every_topic, responsible_topic_ids
from civiclink.core.errors import UserError


class AlreadyClosed(UserError):
    default_message = _("This message is already closed.")


class NotClosed(UserError):
    default_message = _("This message is not closed.")


def visible_topics(user) -> QuerySet[Topic]:
    if answers_every_topic.test(user):
        return Topic.objects.all()
    return Topic.objects.filter(pk__in=responsible_topic_ids(user))


def visible_messages(user) -> QuerySet[Message]:
    if answers_every_topic.test(user):
        return Message.objects.all()
    return Message.objects.filter(topic_id__in=responsible_topic_ids(user))


def new_counts(user) -> list[tuple[Topic, int]]:
    """(topic, number of new messages) for each topic the user sees that has new messages, in the topics' order."""
    counted = visible_topics(user).annotate(new=Count("messages", filter=Q(messages__state=State.NEW)))
    return [(topic, topic.new) for topic in counted.filter(new__gt=0)]


def _locked(message: Message) -> Message:
    """The message row, locked until the transaction ends: two staff acting at once are applied one after the
    other."""
    return Message.objects.select_for_update().get(pk=message.pk)


def _set_state(message: Message, state: str, now) -> None:
    message.state = state
    message.state_changed_at = now
    message.save(update_fields=["state", "state_changed_at"])


@transaction.atomic
def reply(message: Message, author, text: str) -> Event:
    """E-mail the reply (with the original quoted) to the sender and mark the message answered; a reply to a
    closed message reopens it as answered."""
    message = _locked(message)
    event = Event.objects.create(message=message, kind=Event.Kind.REPLY, author=author, text=text.strip())
    _set_state(message, State.ANSWERED, event.created_at)
    transaction.on_commit(lambda: emails.reply(event).send())
    return event


def add_note(message: Message, author, text: str) -> Event:
    """A note for the other staff; the sender never sees it."""
    return Event.objects.create(message=message, kind=Event.Kind.NOTE, author=author, text=text.strip())


@transaction.atomic
def close(message: Message, author) -> Event:
    message = _locked(message)
    if message.state == State.CLOSED:
        raise AlreadyClosed
    event = Event.objects.create(message=message, kind=Event.Kind.CLOSED, author=author)
    _set_state(message, State.CLOSED, event.created_at)
    return event


@transaction.atomic
def reopen(message: Message, author) -> Event:
    """Back to answered if it was answered before, else to new."""
    message = _locked(message)
    if message.state != State.CLOSED:
        raise NotClosed
    event = Event.objects.create(message=message, kind=Event.Kind.REOPENED, author=author)
    answered = message.events.filter(kind=Event.Kind.REPLY).exists()
    _set_state(message, State.ANSWERED if answered else State.NEW, event.created_at)
    return event


def retention_days() -> int:
    return settings.CONTACT_RETENTION_DAYS


def prune(days: int | None = None, now: datetime.datetime | None = None) -> int:
    """Delete the messages closed more than `days` ago (default: the setting CONTACT_RETENTION_DAYS, 365), with
    their history; returns how many messages went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days() if days is None else days)
    old = Message.objects.filter(state=State.CLOSED, state_changed_at__lt=cutoff)
    return old.delete()[1].get(Message._meta.label, 0)
