"""Comments on news articles: participation's comments, with the article as their target. This module tells them
who may comment on an article (`access`, shown on the page when the answer is no)."""

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiclink.participation.access import ALLOWED, Access, Need
from civiclink.participation.comments import Commentable
from civiclink.portal.rules import comments_open, has_verified_email, is_blocked_user


def access(user, article) -> Access:
    """`portal.comment_article`, and when it says no, why and what would help."""
    if rules.has_perm("portal.comment_article", user, article):
        return ALLOWED
    if not comments_open(user, article):
        return Access(False, Need.FEATURE, _("Comments on this article are closed."))
    if not user.is_authenticated:
        return Access(False, Need.LOGIN, _("Log in to comment."), reverse("account_login"))
    if not has_verified_email(user):
        return Access(False, Need.VERIFY_EMAIL, _("Verify your e-mail address to comment."), reverse("account_email"))
    if is_blocked_user(user):
        return Access(False, Need.BLOCKED, _("Your account has been blocked by the moderators, so you cannot comment."))
    return Access(False, Need.FEATURE, _("You cannot comment on this article."))


ARTICLE = Commentable("article", "portal.ArticlePage", access, stances=False)
