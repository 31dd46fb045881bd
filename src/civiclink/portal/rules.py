"""Who may comment on news articles: any signed-in person with a verified e-mail address whom the moderators have
not blocked, while the article's comments are open. Staff open and close them (`comments_open`, in the editor)."""

import rules
from allauth.account.models import EmailAddress

from civiclink.accounts.rules import is_staff_member
from civiclink.moderation.guards import is_blocked


@rules.predicate
def comments_open(user, article) -> bool:
    return article is not None and article.comments_open


@rules.predicate
def has_verified_email(user) -> bool:
    cached = getattr(user, "_has_verified_email", None)
    if cached is None:
        cached = user._has_verified_email = EmailAddress.objects.filter(user=user, verified=True).exists()
    return cached


@rules.predicate(name="is_blocked")
def is_blocked_user(user) -> bool:
    return is_blocked(user)


rules.add_perm("portal.comment_article", comments_open & rules.is_authenticated & has_verified_email & ~is_blocked_user)
rules.add_perm("portal.close_comments", is_staff_member)
