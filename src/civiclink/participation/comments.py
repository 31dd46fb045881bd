"""Comments on proposals, results, meetings and news articles: two levels (a reply to a reply joins the thread of
the comment it answers), an optional stance, official answers written on behalf of the municipality, edits marked,
deletions leaving a placeholder so that replies keep their context.

A target with a `comment_count` (a proposal) counts its visible, not deleted comments. The counter moves by F() in
the transaction that posts, deletes, hides or restores a comment: moderation reports the last two through
`moderation.registry.on_visibility_change`, since it changes visibility with UPDATEs.

What people comment on is a small registry of kinds (`Commentable`): each says who may comment on one of its
objects now and which process, if any, its comments belong to. Participation registers its three kinds here; other
apps register theirs in `ready` (the portal: "article").
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.moderation import guards
from civiclink.moderation import registry as moderation
from civiclink.moderation.guards import Refused
from civiclink.moderation.models import Visibility
from civiclink.participation import access, notify
from civiclink.participation.models import Comment, Notification, Process, Stance
from civiclink.participation.models.comments import COMMENT_MAX

RATE_SCOPE = "comments"


@dataclass(frozen=True)
class Commentable:
    """A kind of object people comment on. `access(user, target)` answers whether `user` may comment on `target`
    now (an `access.Access`, whose reason the pages show); `process(target)` is the process its comments belong to
    (officers moderate and answer them, its followers hear of them), None for kinds outside processes; without
    `stances` people comment without taking a side."""

    name: str  # as in the comments' addresses: "proposal"
    model: str  # "app_label.ModelName"
    access: Callable[..., access.Access]
    process: Callable[..., Process | None] | None = None
    stances: bool = True

    @property
    def model_class(self):
        return apps.get_model(self.model)


_kinds: dict[str, Commentable] = {}


def register(kind: Commentable) -> None:
    _kinds[kind.name] = kind


def kind_named(name: str) -> Commentable | None:
    """The kind named in an address ("proposal"), or None."""
    return _kinds.get(name)


def kind_of(target) -> Commentable:
    label = target._meta.label_lower
    return next(kind for kind in _kinds.values() if kind.model.lower() == label)


def process_of(target) -> Process | None:
    kind = kind_of(target)
    return kind.process(target) if kind.process else None


def _in_process(user, target) -> access.Access:
    """Comments in a process: the process, its phase and the person decide."""
    return access.check(user, target.process, "comments", "comment")


for _name in ("proposal", "result", "meeting"):
    register(Commentable(_name, f"participation.{_name}", _in_process, process=lambda target: target.process))


# --- Reading ------------------------------------------------------------------------------------------------------


def thread(target, *, offset: int = 0, limit: int | None = None) -> list[Comment]:
    """The top-level comments on `target`, oldest first, each with `thread_replies`: two queries for any number.
    `offset`/`limit` page through the top-level comments."""
    top = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, parent__isnull=True
    ).select_related("author")
    top = list(top[offset : offset + limit] if limit is not None else top)
    replies: dict[int, list[Comment]] = {}
    if top:
        for reply in Comment.objects.filter(parent__in=[comment.pk for comment in top]).select_related("author"):
            replies.setdefault(reply.parent_id, []).append(reply)
    for comment in top:
        comment.thread_replies = replies.get(comment.pk, [])
    return top


def may_edit(user, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and not comment.is_deleted


def may_delete(user, comment: Comment) -> bool:
    if not user.is_authenticated or comment.is_deleted:
        return False
    return comment.author_id == user.pk or rules.has_perm("moderation.moderate", user, comment)


def may_answer_officially(user, process) -> bool:
    """Official answers speak for a municipality: only in a process, by those who manage it."""
    return process is not None and rules.has_perm("participation.answer_proposal", user, process)


# --- Checks -------------------------------------------------------------------------------------------------------


def _check_access(user, target) -> None:
    """Whatever the kind says: phase, audience and blocked accounts in a process, open comments on an article."""
    if not (allowed := kind_of(target).access(user, target)):
        raise Refused(allowed.reason)


def _check_text(body: str, stance: str) -> None:
    if not body:
        raise Refused(_("Write your comment before sending it."), status=400)
    if len(body) > COMMENT_MAX:
        raise Refused(
            _("A comment can be at most %(max)d characters long; yours has %(length)d.")
            % {"max": COMMENT_MAX, "length": len(body)},
            status=400,
        )
    if stance not in ("", *Stance.values):
        raise Refused(_("Choose for, against or neutral as your stance, or none."), status=400)


def _thread_parent(parent: Comment, target) -> int:
    """The comment a reply attaches to: the top-level comment of `parent`'s thread."""
    if parent.content_type_id != ContentType.objects.get_for_model(target).pk or parent.object_id != target.pk:
        raise Refused(_("You can only reply to a comment on the same page."), status=400)
    if parent.is_deleted or parent.is_hidden:
        raise Refused(_("This comment was deleted or hidden, so it can no longer be answered."), status=400)
    return parent.parent_id or parent.pk


# --- Changes ------------------------------------------------------------------------------------------------------


def _counts_comments(model) -> bool:
    return any(field.name == "comment_count" for field in model._meta.concrete_fields)


def _move_count(content_type_id: int, object_id: int, delta: int) -> None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if _counts_comments(model):
        model._default_manager.filter(pk=object_id).update(comment_count=F("comment_count") + delta)


def _expire_pages() -> None:
    """The counter and edits move by UPDATE, which sends no signal to the page cache."""
    from civiclink.core.pagecache import expire_pages

    transaction.on_commit(expire_pages)


def post(target, author, body: str, *, parent=None, stance: str = "", official: bool = False, request=None):
    """Publish a comment (a reply when `parent` is given) and tell the followers. Raises `Refused` with a message for
    the person. With `request`, anonymous visitors and new accounts are rate-limited too."""
    author = author or AnonymousUser()
    process = process_of(target)
    body = (body or "").strip()
    _check_access(author, target)
    if getattr(target, "is_hidden", False):
        raise Refused(_("This contribution is hidden by the moderators, so it cannot be commented on."))
    _check_text(body, stance)
    if official and not may_answer_officially(author, process):
        raise Refused(_("Only the municipality's officers can give an official answer."))
    parent_id = _thread_parent(parent, target) if parent is not None else None
    own = Comment.objects.filter(author=author) if author.is_authenticated else None
    if request is not None:
        guards.check_contribution(request, RATE_SCOPE, own_recent=own, text=body)
    elif own is not None:
        guards.check_repeated(own, "body", body)
    with transaction.atomic():
        comment = Comment.objects.create(
            target=target,
            process=process,
            parent_id=parent_id,
            author=author if author.is_authenticated else None,
            body=body,
            stance=stance,
            official=official,
        )
        _move_count(comment.content_type_id, target.pk, 1)
    _expire_pages()
    notify.event(comment, Notification.Event.COMMENTED, actor=author)
    return comment


def edit(comment: Comment, user, body: str, *, stance: str | None = None) -> Comment:
    """Change the text (and stance) of one's own comment while commenting is open; the comment shows it was
    edited."""
    if not may_edit(user, comment):
        raise Refused(_("Only the author can edit a comment, and only until it is deleted."))
    body = (body or "").strip()
    stance = comment.stance if stance is None else stance
    _check_access(user, comment.target)
    _check_text(body, stance)
    if body == comment.body and stance == comment.stance:
        return comment
    now = timezone.now()
    if not Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
        body=body, stance=stance, edited_at=now
    ):
        raise Refused(_("Only the author can edit a comment, and only until it is deleted."))
    comment.body, comment.stance, comment.edited_at = body, stance, now
    _expire_pages()
    return comment


def delete(comment: Comment, user) -> None:
    """Delete by its author or a moderator: the text goes, a placeholder stays so that the replies keep their
    place."""
    if not may_delete(user, comment):
        raise Refused(_("Only the author or a moderator can delete a comment."))
    now = timezone.now()
    with transaction.atomic():
        row = Comment.objects.select_for_update().filter(pk=comment.pk).values("visibility", "deleted_at").get()
        if row["deleted_at"] is not None:
            return
        Comment.objects.filter(pk=comment.pk).update(deleted_at=now, body="")
        if row["visibility"] == Visibility.VISIBLE:
            _move_count(comment.content_type_id, comment.object_id, -1)
    comment.deleted_at, comment.body = now, ""
    _expire_pages()


def _visibility_changed(pk: int, delta: int) -> None:
    """A moderation decision or the report threshold showed or hid a comment: deleted ones are not counted."""
    row = Comment.objects.filter(pk=pk).values("content_type_id", "object_id", "deleted_at").get()
    if row["deleted_at"] is None:
        _move_count(row["content_type_id"], row["object_id"], delta)


moderation.on_visibility_change(Comment, _visibility_changed)
