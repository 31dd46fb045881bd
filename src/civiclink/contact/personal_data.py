"""What the contact app holds about a person, for the account's data export and deletion (see `accounts.gdpr`).

The export has the messages sent while signed in or from the account's address, with the replies (internal notes
are staff's own). Deleting the account only unlinks the messages: they are correspondence that staff keep until
the retention period after closing (`civiclink contact prune`)."""

from django.db.models import Q

from civiclink.accounts import gdpr
from civiclink.contact.models import Event, Message


def export(user) -> dict:
    messages = (
        Message.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("topic")
        .prefetch_related("events")
        .order_by("created_at")
    )
    return {
        "messages": [
            {
                "reference": message.reference,
                "name": message.name,
                "email": message.email,
                "topic": str(message.topic),
                "subject": message.subject,
                "body": message.body,
                "sent_at": message.created_at.isoformat(),
                "state": message.state,
                "replies": [
                    {"text": event.text, "sent_at": event.created_at.isoformat()}
                    for event in message.events.all()
                    if event.kind == Event.Kind.REPLY
                ],
            }
            for message in messages
        ]
    }


def anonymise(user) -> None:
    Message.objects.filter(user=user).update(user=None)


gdpr.register("contact", export, anonymise)
