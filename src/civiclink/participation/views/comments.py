"""Comment pages, and the comment section that the pages of what is commented include (`section(request, frame,
target)` with `participation/comments/_section.html`).

A `Frame` says where a target's comments live: the page around their form pages and the addresses of their actions.
Processes frame the comments on proposals, results and meetings (under /<language>/participation/<process>/
comments/, `section_context(request, process, target)`); the portal frames those on articles (the article's own
`comments/` routes). The views below take the frame and do the rest the same way for every kind.

Proposal and article pages are served from the page cache to anonymous visitors, so for them the section holds links
only (to the form page, to reply, to report), never a form or a CSRF token. A target may have hundreds of comments:
the section shows THREADS_PER_PAGE threads per page, and works out per comment in Python what the template language
would do slowly (addresses, permissions, dates).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from civiclink.moderation.guards import Refused
from civiclink.participation import comments
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

    def __init__(self, *args, official: bool = False, stances: bool = True, **kwargs):
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
        if not official:
            del self.fields["official"]
        if not stances:
            del self.fields["stance"]


@dataclass
class Frame:
    """Where the comments of one target live. `template` is the form page (it gets `context` besides the form);
    `address(action, pk)` the address of "reply", "edit" or "delete" for comment `pk`; `post_url` that of a new
    comment."""

    template: str
    post_url: str
    address: Callable[[str, int], str]
    context: dict = field(default_factory=dict)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _back(target, comment: Comment | None = None) -> str:
    return f"{target.get_absolute_url()}#{f'comment-{comment.pk}' if comment else 'comments'}"


def _form(request, target, data=None, **kwargs) -> CommentForm:
    official = comments.may_answer_officially(request.user, comments.process_of(target))
    return CommentForm(data, official=official, stances=comments.kind_of(target).stances, **kwargs)


def _form_page(request, frame: Frame, target, form, heading: str, *, parent=None, editing=False, status: int = 200):
    context = {
        **frame.context,
        "target": target,
        "form": form,
        "heading": heading,
        "parent": parent,
        "editing": editing,
        "access": comments.kind_of(target).access(request.user, target),
        "back": _back(target),
    }
    return render(request, frame.template, context, status=status)


def compose(request, frame: Frame, target, parent: Comment | None = None):
    """The form page of a new comment or reply (GET), and publishing it (POST)."""
    form = _form(request, target, _posted(request))
    heading = _("Reply to a comment") if parent else _("Write a comment")
    if request.method != "POST":
        return _form_page(request, frame, target, form, heading, parent=parent)
    if not form.is_valid():
        return _form_page(request, frame, target, form, heading, parent=parent, status=400)
    data = form.cleaned_data
    try:
        comment = comments.post(
            target,
            request.user,
            data["body"],
            parent=parent,
            stance=data.get("stance", ""),
            official=data.get("official", False),
            request=request,
        )
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _form_page(request, frame, target, form, heading, parent=parent, status=refusal.status)
    messages.success(request, _("Your comment is published."))
    return see_other(_back(target, comment))


def change(request, frame: Frame, target, comment: Comment):
    """The author edits their comment: the form page (GET) and saving it (POST)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not comments.may_edit(request.user, comment):
        raise PermissionDenied
    form = _form(request, target, _posted(request), initial={"body": comment.body, "stance": comment.stance})
    heading = _("Edit your comment")
    if request.method != "POST":
        return _form_page(request, frame, target, form, heading, editing=True)
    if not form.is_valid():
        return _form_page(request, frame, target, form, heading, editing=True, status=400)
    try:
        comments.edit(comment, request.user, form.cleaned_data["body"], stance=form.cleaned_data.get("stance"))
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _form_page(request, frame, target, form, heading, editing=True, status=refusal.status)
    messages.success(request, _("Your comment is saved."))
    return see_other(_back(target, comment))


def remove(request, target, comment: Comment):
    """Its author or a moderator deletes a comment (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not comments.may_delete(request.user, comment):
        raise PermissionDenied
    comments.delete(comment, request.user)
    messages.success(request, _("The comment is deleted. Its replies stay in place."))
    return see_other(_back(target, comment))


# --- Comments in a process -----------------------------------------------------------------------------------------


def _with_process(target, process):
    """The target with the process as the view read it (phases and features prefetched for `access.check`)."""
    target.process = process
    return target


def _target_or_404(process, model: str, object_id: int):
    kind = comments.kind_named(model)
    if kind is None or kind.process is None:
        raise Http404("This cannot be commented on.")
    return _with_process(get_object_or_404(kind.model_class, pk=object_id, process=process), process)


def _comment_or_404(process, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk, process=process)
    comment.process = process
    return comment


def process_frame(request, process, target) -> Frame:
    """Comments in a process: their form pages show the process's tabs."""
    return Frame(
        template="participation/comments/form.html",
        post_url=reverse("participation:comment_post", args=[process.slug, target._meta.model_name, target.pk]),
        address=_address_maker(process.slug),
        context=process_context(request, process, TABS[target._meta.model_name]),
    )


@never_cache  # the form carries a CSRF token
def post(request, slug, model, object_id):
    process = process_or_404(request, slug)
    target = _target_or_404(process, model, object_id)
    return compose(request, process_frame(request, process, target), target)


@never_cache
def reply(request, slug, pk):
    process = process_or_404(request, slug)
    parent = _comment_or_404(process, pk)
    target = _with_process(parent.target, process)
    return compose(request, process_frame(request, process, target), target, parent=parent)


@never_cache
def edit(request, slug, pk):
    process = process_or_404(request, slug)
    comment = _comment_or_404(process, pk)
    target = _with_process(comment.target, process)
    return change(request, process_frame(request, process, target), target, comment)


def delete(request, slug, pk):
    process = process_or_404(request, slug)
    comment = _comment_or_404(process, pk)
    return remove(request, _with_process(comment.target, process), comment)


# --- The section on the pages of what is commented ---------------------------------------------------------------


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get(PAGE_PARAMETER, 1)))
    except ValueError:
        return 1


def _address_maker(slug: str) -> Callable[[str, int], str]:
    """`address(action, pk)` for the comments of a process, by joining strings (one `reverse` per action)."""
    prefixes = {
        action: reverse(f"participation:comment_{action}", args=[slug, 0]).removesuffix("0/")
        for action in ("reply", "edit", "delete")
    }
    return lambda action, pk: f"{prefixes[action]}{pk}/"


def _annotate(request, frame: Frame, target, threads: list[Comment], *, may_comment: bool) -> None:
    """What the template would otherwise work out per comment, slowly: whose it is, the addresses of what the
    visitor may do with it, and its day (localised once per day). Without a process, the platform's moderators
    moderate."""
    user = request.user
    process = comments.process_of(target)
    moderator = user.is_authenticated and rules.has_perm("participation.moderate", user, process)
    report_prefix = reverse("moderation:report", args=["participation", "comment", 0]).removesuffix("0/")
    back = f"?next={quote(request.path)}"
    days = {}
    for comment in (each for top in threads for each in (top, *top.thread_replies)):
        mine = user.is_authenticated and comment.author_id == user.pk
        comment.mine = mine
        comment.anchor = f"comment-{comment.pk}"
        comment.reply_url = frame.address("reply", comment.pk) if may_comment else ""
        comment.edit_url = frame.address("edit", comment.pk) if mine and may_comment else ""
        deletable = (mine or moderator) and not comment.is_deleted
        comment.delete_url = frame.address("delete", comment.pk) if deletable else ""
        comment.report_url = f"{report_prefix}{comment.pk}/{back}"
        moment = localtime(comment.created_at)
        comment.moment = moment.isoformat(timespec="minutes")
        if (day := moment.date()) not in days:
            days[day] = date_format(day, "DATE_FORMAT")
        comment.day = days[day]


def section(request, frame: Frame, target) -> dict:
    """The context of `participation/comments/_section.html`, under "comment_section" (nothing else in the page's
    context changes). Its queries do not depend on the number of comments: two for the threads of the page, the
    rest for who the visitor is."""
    user = request.user
    page = _page_number(request)
    threads = comments.thread(target, offset=(page - 1) * THREADS_PER_PAGE, limit=THREADS_PER_PAGE + 1)
    more = len(threads) > THREADS_PER_PAGE
    threads = threads[:THREADS_PER_PAGE]
    allowed = comments.kind_of(target).access(user, target)
    _annotate(request, frame, target, threads, may_comment=allowed.allowed)
    signed_in = user.is_authenticated
    return {
        "comment_section": {
            "threads": threads,
            "count": getattr(target, "comment_count", None),
            "access": allowed,
            "form": _form(request, target) if allowed and signed_in else None,
            "post_url": frame.post_url,
            "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if more else None,
            "page_parameter": PAGE_PARAMETER,
        }
    }


def section_context(request, process, target) -> dict:
    """`section` for a target in `process` (as `views.common.process_or_404` reads it)."""
    return section(request, process_frame(request, process, target), target)


urlpatterns = [
    path("<slug:slug>/comments/reply/<int:pk>/", reply, name="comment_reply"),
    path("<slug:slug>/comments/edit/<int:pk>/", edit, name="comment_edit"),
    path("<slug:slug>/comments/delete/<int:pk>/", delete, name="comment_delete"),
    path("<slug:slug>/comments/<str:model>/<int:object_id>/", post, name="comment_post"),
]
