"""E-mail leaves the web request: every message is queued as a background task and delivered by the worker."""

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage, EmailMultiAlternatives
from django.tasks import task


def _serialise(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


@task()
def deliver_email(message: dict) -> int:
    """Hand one serialised message to the "delivery" mailer (SMTP, file, console: see EMAIL_URL)."""
    alternatives = message.pop("alternatives", [])
    email = EmailMultiAlternatives(**message)
    for content, mimetype in alternatives:
        email.attach_alternative(content, mimetype)
    return mailers["delivery"].send_messages([email])


class TaskEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            deliver_email.enqueue(_serialise(message))
        return len(email_messages)
