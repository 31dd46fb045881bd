"""Comment pages under /<language>/participation/<process>/comments/, and the comment section that the pages of
proposals (results, meetings) include: `section_context(request, process, target)` with
`participation/comments/_section.html`.

Proposal pages are served from the page cache to anonymous visitors, so for them the section holds links only (to
the form page, to reply, to report), never a form or a CSRF token. A proposal may have hundreds of comments: the
section shows THREADS_PER_PAGE threads per page, and works out per comment in Python what the template language
would do slowly (addresses, permissions, dates).
"""

from urllib.parse import quote

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civiclink.moderation.guards import Refused
from civiclink.participation import access, comments
from civiclink.participation.models import Comment, Stance
from civiclink.participation.models.comments import COMMENT_MAX
from civiclink.participation.views.common import process_context, process_or_404, see_other

THREADS_PER_PAGE = 50
PAGE_PARAMETER = "comments"  # ?comments=2: the second page of threads on the page that shows the section
TABS = {"proposal": "participation:process", "result": "participation:results", "meeting": "participation:meetings"}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    stance = forms.ChoiceField(
        label=gettext_lazy("Your stance (optional)"),
        choices=[("", gettext_lazy("No stance")), *Stance.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    official = forms.BooleanField(
        label=gettext_lazy("Official answer of the municipality"),
        help_text=gettext_lazy("Published on behalf of the municipality and shown as its answer."),
        required=False,
    )

    def __init__(self, *args, official: bool = False, **kwargs):
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
        if not official:
            del self.fields["official"]


def _posted(request):
    return request.POST if request.method == "POST" else None


def _with_process(target, process):
    """The target with the process as the view read it (phases and features prefetched for `access.check`)."""
    target.process = process
    return target


def _target_or_404(process, model: str, object_id: int):
    target_class = comments.target_model(model)
    if target_class is None:
        raise Http404("This cannot be commented on.")
    return _with_process(get_object_or_404(target_class, pk=object_id, process=process), process)


def _comment_or_404(process, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk, process=process)
    comment.process = process
    return comment


def _back(target, comment: Comment | None = None) -> str:
    return f"{target.get_absolute_url()}#{f'comment-{comment.pk}' if comment else 'comments'}"


def _form_page(request, process, target, form, heading: str, *, parent=None, editing=False, status: int = 200):
    context = {
        **process_context(request, process, TABS[target._meta.model_name]),
        "target": target,
        "form": form,
        "heading": heading,
        "parent": parent,
        "editing": editing,
        "access": access.check(request.user, process, "comments", "comment"),
        "back": _back(target),
    }
    return render(request, "participation/comments/form.html", context, status=status)


def _compose(request, process, target, parent: Comment | None = None):
    """The form page of a new comment or reply (GET), and publishing it (POST)."""
    form = CommentForm(_posted(request), official=comments.may_answer_officially(request.user, process))
    heading = _("Reply to a comment") if parent else _("Write a comment")
    if request.method != "POST":
        return _form_page(request, process, target, form, heading, parent=parent)
    if not form.is_valid():
        return _form_page(request, process, target, form, heading, parent=parent, status=400)
    data = form.cleaned_data
    try:
        comment = comments.post(
            target,
            request.user,
            data["body"],
            parent=parent,
            stance=data["stance"],
            official=data.get("official", False),
            request=request,
        )
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _form_page(request, process, target, form, heading, parent=parent, status=refusal.status)
    messages.success(request, _("Your comment is published."))
    return see_other(_back(target, comment))


@never_cache  # the form carries a CSRF token
def post(request, slug, model, object_id):
    process = process_or_404(request, slug)
    return _compose(request, process, _target_or_404(process, model, object_id))


@never_cache
def reply(request, slug, pk):
    process = process_or_404(request, slug)
    parent = _comment_or_404(process, pk)
    return _compose(request, process, _with_process(parent.target, process), parent=parent)


@never_cache
@login_required
def edit(request, slug, pk):
    process = process_or_404(request, slug)
    comment = _comment_or_404(process, pk)
    if not comments.may_edit(request.user, comment):
        raise PermissionDenied
    target = _with_process(comment.target, process)
    form = CommentForm(_posted(request), initial={"body": comment.body, "stance": comment.stance})
    heading = _("Edit your comment")
    if request.method != "POST":
        return _form_page(request, process, target, form, heading, editing=True)
    if not form.is_valid():
        return _form_page(request, process, target, form, heading, editing=True, status=400)
    try:
        comments.edit(comment, request.user, form.cleaned_data["body"], stance=form.cleaned_data["stance"])
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _form_page(request, process, target, form, heading, editing=True, status=refusal.status)
    messages.success(request, _("Your comment is saved."))
    return see_other(_back(target, comment))


@require_POST
@login_required
def delete(request, slug, pk):
    process = process_or_404(request, slug)
    comment = _comment_or_404(process, pk)
    if not comments.may_delete(request.user, comment):
        raise PermissionDenied
    comments.delete(comment, request.user)
    messages.success(request, _("The comment is deleted. Its replies stay in place."))
    return see_other(_back(comment.target, comment))


# --- The section on the pages of what is commented ---------------------------------------------------------------


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get(PAGE_PARAMETER, 1)))
    except ValueError:
        return 1


def _address_maker(name: str, *args):
    """`make(pk)`: the address of `name` for comment `pk`, by joining strings (one `reverse` for all comments)."""
    prefix = reverse(name, args=[*args, 0]).removesuffix("0/")
    return lambda pk: f"{prefix}{pk}/"


def _annotate(request, process, threads: list[Comment], *, may_comment: bool) -> None:
    """What the template would otherwise work out per comment, slowly: whose it is, the addresses of what the
    visitor may do with it, and its day (localised once per day)."""
    user = request.user
    moderator = user.is_authenticated and rules.has_perm("participation.moderate", user, process)
    reply_url = _address_maker("participation:comment_reply", process.slug)
    edit_url = _address_maker("participation:comment_edit", process.slug)
    delete_url = _address_maker("participation:comment_delete", process.slug)
    report_url = _address_maker("moderation:report", "participation", "comment")
    back = f"?next={quote(request.path)}"
    days = {}
    for comment in (each for top in threads for each in (top, *top.thread_replies)):
        mine = user.is_authenticated and comment.author_id == user.pk
        comment.mine = mine
        comment.anchor = f"comment-{comment.pk}"
        comment.reply_url = reply_url(comment.pk) if may_comment else ""
        comment.edit_url = edit_url(comment.pk) if mine and may_comment else ""
        comment.delete_url = delete_url(comment.pk) if (mine or moderator) and not comment.is_deleted else ""
        comment.report_url = report_url(comment.pk) + back
        moment = localtime(comment.created_at)
        comment.moment = moment.isoformat(timespec="minutes")
        if (day := moment.date()) not in days:
            days[day] = date_format(day, "DATE_FORMAT")
        comment.day = days[day]


def section_context(request, process, target) -> dict:
    """The context of `participation/comments/_section.html`, under "comment_section" (nothing else in the page's
    context changes). Its queries do not depend on the number of comments: two for the threads of the page, the
    rest for who the visitor is. `process` as `views.common.process_or_404` reads it."""
    user = request.user
    page = _page_number(request)
    threads = comments.thread(target, offset=(page - 1) * THREADS_PER_PAGE, limit=THREADS_PER_PAGE + 1)
    more = len(threads) > THREADS_PER_PAGE
    threads = threads[:THREADS_PER_PAGE]
    allowed = access.check(user, process, "comments", "comment")
    _annotate(request, process, threads, may_comment=allowed.allowed)
    signed_in = user.is_authenticated
    official = signed_in and comments.may_answer_officially(user, process)
    return {
        "comment_section": {
            "threads": threads,
            "count": getattr(target, "comment_count", None),
            "access": allowed,
            "form": CommentForm(official=official) if allowed and signed_in else None,
            "post_url": reverse("participation:comment_post", args=[process.slug, target._meta.model_name, target.pk]),
            "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if more else None,
            "page_parameter": PAGE_PARAMETER,
        }
    }


urlpatterns = [
    path("<slug:slug>/comments/reply/<int:pk>/", reply, name="comment_reply"),
    path("<slug:slug>/comments/edit/<int:pk>/", edit, name="comment_edit"),
    path("<slug:slug>/comments/delete/<int:pk>/", delete, name="comment_delete"),
    path("<slug:slug>/comments/<str:model>/<int:object_id>/", post, name="comment_post"),
]
