"""E-mails to followers, sent by the worker: one per event for those who want them at once, a daily digest for the
others (run it once a day: `civiclink participation send-digest`).

A notification is claimed, its `sent_at` set by a conditional UPDATE, before its e-mail leaves: a retried task or a
second worker finds it claimed and sends nothing. Every e-mail carries a signed one-click unsubscribe link and the
List-Unsubscribe headers of RFC 8058, so that mail programs can offer the button themselves."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from civiclink.participation.following import unsubscribe_token
from civiclink.participation.models import Follow, Notification, NotificationSettings, Process

Frequency = NotificationSettings.Frequency


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _unsubscribe_url(user, follow: Follow | None = None) -> str:
    return _absolute(reverse("participation:unsubscribe", args=[unsubscribe_token(user, follow)]))


def _email(user, subject: str, template: str, context: dict, follow: Follow | None = None) -> EmailMessage:
    """The message, in the user's language, with the links every e-mail has: unsubscribe from everything, the
    settings, and (for one event) stop following what brought it."""
    with translation.override(user.email_language):
        unsubscribe = _unsubscribe_url(user)
        context = {
            **context,
            "site_url": settings.SITE_URL.rstrip("/"),
            "unsubscribe_url": unsubscribe,
            "stop_following_url": _unsubscribe_url(user, follow) if follow else "",
            "settings_url": _absolute(reverse("participation:notification_settings")),
        }
        body = render_to_string(template, context)
    return EmailMessage(
        subject,
        body,
        None,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _follow_behind(notification: Notification) -> Follow | None:
    """The follow that brought the notification: of its target, else of the target's process."""
    target = notification.target
    if target is None:
        return None
    process_type = ContentType.objects.get_for_model(Process)
    process_id = target.pk if isinstance(target, Process) else getattr(target, "process_id", None)
    follows = {
        (follow.content_type_id, follow.object_id): follow
        for follow in Follow.objects.filter(
            Q(content_type=notification.content_type, object_id=target.pk)
            | Q(content_type=process_type, object_id=process_id),
            user_id=notification.user_id,
        )
    }
    return follows.get((notification.content_type_id, target.pk)) or follows.get((process_type.pk, process_id))


@task()
def send_notifications(ids: list[int]) -> int:
    """E-mail each of these notifications to its user, unless already sent or the user now wants the digest or
    nothing; returns how many e-mails left."""
    pending = (
        Notification.objects.filter(pk__in=ids, sent_at__isnull=True, user__is_active=True)
        .exclude(user__notification_settings__frequency__in=[Frequency.DAILY, Frequency.NEVER])
        .select_related("user", "content_type")
    )
    sent = 0
    for notification in pending:
        message = _email(
            notification.user,
            notification.title,
            "participation/email/notification.txt",
            {"notification": notification},
            _follow_behind(notification),
        )
        if not Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
            continue  # a retry of this task, or another worker, sent it meanwhile
        message.send()
        sent += 1
    return sent


def _claim_unsent(user) -> list[Notification]:
    """The user's unsent notifications, marked sent in the same transaction; rows another worker holds are left
    to it."""
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update(skip_locked=True).filter(user=user, sent_at__isnull=True)
        )
        Notification.objects.filter(pk__in=[n.pk for n in notifications], sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
    return notifications


@task()
def send_daily_digest() -> int:
    """One e-mail to each user who chose the digest, gathering what they were not sent yet; returns how many
    e-mails left."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            notification_settings__frequency=Frequency.DAILY,
            notifications__sent_at__isnull=True,
        )
        .distinct()
    )
    sent = 0
    for user in users:
        notifications = _claim_unsent(user)
        if not notifications:
            continue
        with translation.override(user.email_language):
            subject = ngettext(
                "Your daily summary from CivicLink: %(count)d update",
                "Your daily summary from CivicLink: %(count)d updates",
                len(notifications),
            ) % {"count": len(notifications)}
        _email(user, subject, "participation/email/digest.txt", {"notifications": notifications}).send()
        sent += 1
    return sent
