"""What participation holds about a person, for the account's data export and deletion (see `accounts.gdpr`).

Proposals and comments are public contributions: on deletion they stay, without their author. Supports and
meeting registrations stay counted (the deactivated account keeps them, nameless); follows, notifications and
residencies are removed."""

from civiclink.accounts import gdpr
from civiclink.participation.models import (
    Comment,
    Follow,
    Notification,
    NotificationSettings,
    Proposal,
    Registration,
    Residency,
    Support,
)


def export(user) -> dict:
    settings = NotificationSettings.objects.filter(user=user).first()
    return {
        "proposals": [
            {
                "id": p.pk,
                "process": p.process.slug,
                "title": p.title,
                "body": p.body,
                "created_at": p.created_at.isoformat(),
            }
            for p in Proposal.objects.filter(author=user).select_related("process")
        ],
        "comments": [
            {"id": c.pk, "body": c.body, "stance": c.stance, "created_at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=user, deleted_at__isnull=True)
        ],
        "supports": list(Support.objects.filter(user=user).values_list("proposal_id", flat=True)),
        "meeting_registrations": list(Registration.objects.filter(user=user).values_list("meeting_id", flat=True)),
        "follows": [
            {"type": f.content_type.model, "id": f.object_id}
            for f in Follow.objects.filter(user=user).select_related("content_type")
        ],
        "notification_frequency": settings.frequency if settings else None,
        "notifications": list(Notification.objects.filter(user=user).values_list("title", flat=True)),
        "residencies": [
            {"municipality": r.municipality.name, "method": r.method, "verified_at": r.verified_at.isoformat()}
            for r in Residency.objects.filter(user=user).select_related("municipality")
        ],
    }


def anonymise(user) -> None:
    Proposal.objects.filter(author=user).update(author=None)
    Comment.objects.filter(author=user).update(author=None)
    for model in (Follow, Notification, NotificationSettings, Residency):
        model.objects.filter(user=user).delete()


gdpr.register("participation", export, anonymise)
