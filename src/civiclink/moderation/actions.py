"""Reporting, hiding, restoring and blocking. Counters and visibility move by conditional UPDATEs, so that
concurrent reports hide a contribution exactly once, at the threshold; whoever counts what people see hears of each
change through `registry.visibility_changed`, in the same transaction."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from civiclink.moderation import registry
from civiclink.moderation.models import Block, Decision, Report, Visibility

EXCERPT_CHARS = 600  # of the hidden text, quoted to its author


class AlreadyReported(Exception):
    message = _("You have already reported this. Thank you, the moderators will look at it.")


def reporter_key(user, address_key: str) -> str:
    return f"user:{user.pk}" if user.is_authenticated else f"addr:{address_key}"


def report(target, *, user, address_key: str, reason: str, details: str = "") -> bool:
    """Record a report; True when this one hid the contribution (it reached the threshold)."""
    model = type(target)
    content_type = ContentType.objects.get_for_model(model)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Report.objects.create(
                    content_type=content_type,
                    object_id=target.pk,
                    reporter=user if user.is_authenticated else None,
                    reporter_key=reporter_key(user, address_key),
                    reason=reason,
                    details=details,
                )
        except IntegrityError:
            raise AlreadyReported from None
        model.objects.filter(pk=target.pk).update(report_count=F("report_count") + 1)
        hidden = model.objects.filter(
            pk=target.pk,
            visibility=Visibility.VISIBLE,
            report_count__gte=settings.MODERATION_REPORT_THRESHOLD,
        ).update(visibility=Visibility.PENDING)
        if hidden:
            registry.visibility_changed(model, target.pk, -1)
    if hidden:
        target.visibility = Visibility.PENDING
    _expire_pages()
    return bool(hidden)


def _decide(target, moderator, action: str, reason: str, visibility: str) -> Decision:
    """Set the visibility and close the reports: the next report starts counting from zero."""
    model = type(target)
    content_type = ContentType.objects.get_for_model(model)
    with transaction.atomic():
        before = model.objects.select_for_update().filter(pk=target.pk).values_list("visibility", flat=True).get()
        model.objects.filter(pk=target.pk).update(visibility=visibility, moderation_reason=reason, report_count=0)
        if (before == Visibility.VISIBLE) != (visibility == Visibility.VISIBLE):
            registry.visibility_changed(model, target.pk, 1 if visibility == Visibility.VISIBLE else -1)
        Report.objects.filter(content_type=content_type, object_id=target.pk).update(resolved=True)
        decision = Decision.objects.create(
            content_type=content_type, object_id=target.pk, moderator=moderator, action=action, reason=reason
        )
    target.visibility, target.moderation_reason, target.report_count = visibility, reason, 0
    _expire_pages()
    return decision


def hide(target, *, moderator, reason: str) -> Decision:
    """Hide for good; the author is told the reason (see `notify_author`)."""
    decision = _decide(target, moderator, Decision.Action.HIDE, reason, Visibility.HIDDEN)
    notify_author(target, reason)
    return decision


def restore(target, *, moderator, reason: str) -> Decision:
    return _decide(target, moderator, Decision.Action.RESTORE, reason, Visibility.VISIBLE)


def author_of(target):
    """Who wrote the contribution (None if unknown or gone)."""
    return getattr(target, registry.entry(type(target)).author, None)


def notify_author(target, reason: str) -> None:
    """Tell the author, in their language, why their contribution was hidden (the e-mail leaves through the task
    queue); the moderator's reason is quoted as written."""
    author = author_of(target)
    if author is None or not author.email:
        return
    title, text = str(target), getattr(target, "body", "")
    with translation.override(author.email_language):
        context = {
            "title": "" if text.startswith(title) else title,  # a comment's title is its beginning
            "excerpt": Truncator(text).chars(EXCERPT_CHARS),
            "reason": reason,
            "kind": registry.entry(type(target)).label,
            "name": author.display_name,
        }
        subject = str(_("Your contribution was hidden by a moderator"))
        body = render_to_string("moderation/email/hidden.txt", context)
    send_mail(subject, body, None, [author.email])


def block(user, *, moderator, reason: str) -> Block:
    """Bar `user` from contributing; blocking a blocked user keeps the first block (one at a time, by constraint)."""
    try:
        with transaction.atomic():
            current = Block.objects.create(user=user, blocked_by=moderator, reason=reason)
    except IntegrityError:
        current = Block.objects.get(user=user, lifted_at__isnull=True)
    user._moderation_blocked = True
    return current


def unblock(user) -> None:
    Block.objects.filter(user=user, lifted_at__isnull=True).update(lifted_at=timezone.now())
    user._moderation_blocked = False


def _expire_pages() -> None:
    """Updates send no signals: cached public pages must not keep showing a hidden contribution."""
    from civiclink.core.pagecache import expire_pages

    transaction.on_commit(expire_pages)
