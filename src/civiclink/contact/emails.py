"""The contact app's e-mails: the acknowledgement and the reply go to the sender in the language of the page they
wrote from; the notification goes to the staff who answer the topic, each in the language they chose."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civiclink.accounts.languages import addresses_by_language
from civiclink.contact.models import Event, Message, Topic

ANSWER_WORKING_DAYS = 5  # what the acknowledgement promises


def quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def staff_addresses(topic: Topic) -> dict[str, list[str]]:
    """{language: addresses} of the topic's responsible staff, each in the language they chose, and of its further
    addresses; without any, the fallback list of the setting CONTACT_STAFF_EMAILS, and without that the superusers.
    Addresses that belong to no user are written to in the site's language."""
    grouped = addresses_by_language(topic.responsible.filter(is_active=True, is_staff=True), extra=topic.addresses)
    if not grouped and settings.CONTACT_STAFF_EMAILS:
        grouped = {settings.LANGUAGE_CODE: list(settings.CONTACT_STAFF_EMAILS)}
    return grouped or addresses_by_language(get_user_model().objects.filter(is_superuser=True, is_active=True))


def acknowledgement(message: Message) -> EmailMessage:
    """Names the topic and subject, not the text: a form that mails anyone's words to any address would be a relay
    for spam."""
    with translation.override(message.language):
        context = {"message": message, "topic": str(message.topic), "answer_days": ANSWER_WORKING_DAYS}
        subject = _("We received your message (reference %(reference)s)") % {"reference": message.reference}
        body = render_to_string("contact/email/acknowledgement.txt", context)
    return EmailMessage(subject, body, None, [message.email], headers={"Auto-Submitted": "auto-replied"})


def notifications(message: Message) -> list[EmailMessage]:
    """One e-mail per language of the staff who answer the topic."""
    url = settings.SITE_URL.rstrip("/") + reverse("contact_inbox:message", args=[message.pk])
    emails = []
    for language, addresses in staff_addresses(message.topic).items():
        with translation.override(language):
            context = {"message": message, "topic": str(message.topic), "url": url}
            context["language"] = dict(settings.LANGUAGES).get(message.language, message.language)
            subject = _("New contact message: %(subject)s (%(reference)s)") % {
                "subject": message.subject,
                "reference": message.reference,
            }
            body = render_to_string("contact/email/notification.txt", context)
        emails.append(EmailMessage(subject, body, None, addresses, headers={"Auto-Submitted": "auto-generated"}))
    return emails


def reply(event: Event) -> EmailMessage:
    message = event.message
    with translation.override(message.language):
        context = {"message": message, "text": event.text, "quoted": quoted(message.body)}
        subject = _("Re: %(subject)s (reference %(reference)s)") % {
            "subject": message.subject,
            "reference": message.reference,
        }
        body = render_to_string("contact/email/reply.txt", context)
    return EmailMessage(subject, body, None, [message.email])


def send_received(message: Message) -> None:
    """The acknowledgement to the sender and the notification to the staff (run once the message is stored)."""
    acknowledgement(message).send()
    for email in notifications(message):
        email.send()
