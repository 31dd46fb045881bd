"""Following processes and proposals: what `notify.event` reads to know whom to tell.

Follows are rows unique per (user, target), so following twice, or from two tabs at once, leaves one row."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction

from civiclink.participation.models import Follow, NotificationSettings


def _key(target) -> dict:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def follow(user, target) -> bool:
    """Follow `target`; True if the user did not follow it yet."""
    try:
        with transaction.atomic():
            _follow, created = Follow.objects.get_or_create(user=user, **_key(target))
    except IntegrityError:  # the same request twice at once: the other one created the row
        return False
    return created


def unfollow(user, target) -> bool:
    """Stop following `target`; True if the user followed it."""
    deleted, _rows = Follow.objects.filter(user=user, **_key(target)).delete()
    return bool(deleted)


def toggle(user, target) -> bool:
    """Follow or stop following; whether the user follows `target` afterwards."""
    if unfollow(user, target):
        return False
    follow(user, target)
    return True


def is_following(user, target) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, **_key(target)).exists()


def followed_ids(user, targets: Iterable) -> set[int]:
    """The ids of those of `targets` (instances of one model) that `user` follows, in one query: for lists."""
    targets = list(targets)
    if not targets or not user.is_authenticated:
        return set()
    return set(
        Follow.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(targets[0]),
            object_id__in=[target.pk for target in targets],
        ).values_list("object_id", flat=True)
    )


def settings_for(user) -> NotificationSettings:
    """The user's settings, or the defaults (unsaved) for someone who never changed them."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)


def follow_own_proposal(proposal) -> None:
    """Authors hear about their own proposals unless they switched it off (`follow_own`, on by default)."""
    if proposal.author_id is not None and settings_for(proposal.author).follow_own:
        follow(proposal.author, proposal)


# --- Unsubscribing in one click -------------------------------------------------------------------------------
# Every e-mail carries a signed link: the signature is the proof, so it works without logging in (and for the
# one-click POST of mail programs, RFC 8058). Its scope is everything, or the one follow that brought the e-mail.

UNSUBSCRIBE_SALT = "participation-unsubscribe"


def unsubscribe_token(user, follow: Follow | None = None) -> str:
    payload = {"u": user.pk} if follow is None else {"u": user.pk, "f": follow.pk}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


@dataclass
class Unsubscription:
    """What a valid link asks: no more e-mails at all (`follow_id` None), or no more about one followed thing."""

    user: object
    follow_id: int | None
    follow: Follow | None  # the follow still in place, if the scope is one follow

    @property
    def done(self) -> bool:
        if self.follow_id is not None:
            return self.follow is None
        return settings_for(self.user).frequency == NotificationSettings.Frequency.NEVER

    def apply(self) -> None:
        """Idempotent: a second click, or the mail program's POST after the person's, changes nothing more."""
        if self.follow_id is not None:
            Follow.objects.filter(pk=self.follow_id, user=self.user).delete()
            self.follow = None
        else:
            NotificationSettings.objects.update_or_create(
                user=self.user, defaults={"frequency": NotificationSettings.Frequency.NEVER}
            )


def read_unsubscribe_token(token: str) -> Unsubscription | None:
    """The request the link carries, or None if it was altered or its account is gone."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=payload["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, ObjectDoesNotExist):
        return None
    follow_id = payload.get("f")
    follow = None
    if follow_id is not None:
        follow = Follow.objects.filter(pk=follow_id, user=user).select_related("content_type").first()
    return Unsubscription(user=user, follow_id=follow_id, follow=follow)
