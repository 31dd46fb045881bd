"""The polls of a process: the list, the ballot and its results, and the officers' pages to set polls up, print
one-time codes, type in paper ballots and export the results.

Signed-in people vote with their account. Where the phase opens voting to anyone, visitors without an account vote
once per browser (a random token in a cookie, limited to the poll's path) under a rate limit per network address;
a poll that requires codes takes one printed one-time code per vote instead, from everyone. The pages carry a form
or per-visitor results, so they are never cached.
"""

import csv
import secrets

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civiclink.core import ratelimit
from civiclink.participation import access, polls
from civiclink.participation.forms_polls import BallotForm, CodesForm, PollForm, QuestionForm
from civiclink.participation.models import Poll, Question, Source
from civiclink.participation.views.common import process_context, process_using, see_other

TAB = "participation:polls"
BROWSER_COOKIE_AGE = 365 * 24 * 3600
VOTED_SALT = "civiclink.participation.poll-voted"


def _posted(request):
    """The submitted data, also when empty (an empty form must come back with its errors)."""
    return request.POST if request.method == "POST" else None


def _process(request, slug, permission=""):
    return process_using(request, slug, "polls", permission)


def _poll(process, pk) -> Poll:
    poll = get_object_or_404(Poll, process=process, pk=pk)
    poll.process = process  # with its prefetched phases, for the layout
    return poll


# --- Cookies: the browser token, and the mark of a vote cast with a code --------------------------------------------


def _cookie_name(poll: Poll, what: str, language: str) -> str:
    return f"poll-{poll.pk}-{what}-{language}"


def _set_cookie(response, poll: Poll, what: str, value: str, *, signed: bool = False) -> None:
    """One cookie per language, each limited to the poll's path in that language (the results page lies under it),
    so that switching the language does not open a second vote."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            poll_path = reverse("participation:poll", args=[poll.process.slug, poll.pk])
        setter = response.set_signed_cookie if signed else response.set_cookie
        options = {"salt": VOTED_SALT} if signed else {}
        setter(
            _cookie_name(poll, what, language),
            value,
            max_age=BROWSER_COOKIE_AGE,
            path=poll_path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
            **options,
        )


def _browser_token(request, poll: Poll) -> str | None:
    token = request.COOKIES.get(_cookie_name(poll, "token", translation.get_language()))
    return token if token and len(token) <= 64 else None


class Voter:
    """How this visitor's vote is counted: a code (asked in the form), the account, or the browser's token."""

    def __init__(self, request, poll: Poll):
        self.poll = poll
        self.new_token = None
        if poll.codes_required:
            self.kind, self.credential = "code", None
            marked = request.get_signed_cookie(
                _cookie_name(poll, "voted", translation.get_language()), default=None, salt=VOTED_SALT
            )
            self.voted = marked == "1"
        else:
            if request.user.is_authenticated:
                self.kind, self.credential = "account", str(request.user.pk)
            else:
                self.kind, self.credential = "browser", _browser_token(request, poll)
            self.voted = polls.has_voted(poll, self.kind, self.credential)

    def credential_for(self, form: BallotForm) -> str:
        if self.kind == "code":
            return form.cleaned_data["code"]
        if not self.credential:
            self.credential = self.new_token = secrets.token_urlsafe(32)
        return self.credential

    def remember(self, response) -> None:
        """Keep the new browser token, also when the vote was refused (the next try then counts as the same
        browser); after a vote with a code, mark the browser as having voted, for the results' visibility."""
        if self.new_token:
            _set_cookie(response, self.poll, "token", self.new_token)
        if self.voted and self.kind == "code":
            _set_cookie(response, self.poll, "voted", "1", signed=True)


# --- The list, the ballot, the results ----------------------------------------------------------------------------


def polls_list(request, slug):
    process = _process(request, slug)
    context = process_context(request, process, TAB)
    listed = Poll.objects.filter(process=process).annotate(question_count=Count("questions"))
    if not context["may_manage"]:  # a poll without questions is still being written
        listed = listed.filter(question_count__gt=0)
    context |= {"polls": listed, "may_vote": access.check(request.user, process, "polls", "vote")}
    return render(request, "participation/polls/list.html", context)


def _results_context(poll: Poll, questions, voted: bool, may_manage: bool) -> dict:
    visible = may_manage or polls.results_visible(poll, voted)
    results = polls.tally(poll, questions) if visible else None
    if results and may_manage:
        written = polls.text_answers(poll)
        for result in results.questions:
            result.written = written.get(result.question.pk, [])
    return {
        "results": results,
        "results_hidden_until_vote": not visible and poll.show_results == Poll.ShowResults.AFTER_VOTING,
    }


def _over_rate_limit(request) -> bool:
    if request.user.is_authenticated:
        return False
    return ratelimit.over_limit(request, "poll-vote", settings.MODERATION_ANONYMOUS_RATE_LIMIT)


class BallotPage:
    """The poll page, drawn again with whatever the last step found (errors, a notice, the HTTP status)."""

    def __init__(self, request, process, poll: Poll):
        self.request, self.process, self.poll = request, process, poll
        self.questions = polls.questions_of(poll)
        self.voter = Voter(request, poll)
        self.may_vote = access.check(request.user, process, "polls", "vote")
        self.form = BallotForm(self.questions, _posted(request), ask_code=self.voter.kind == "code")

    def __call__(self, status: int = 200, notice: str = ""):
        poll, voter = self.poll, self.voter
        context = process_context(self.request, self.process, TAB)
        context |= {
            "poll": poll,
            "form": self.form,
            "voter": voter,
            "may_vote": self.may_vote,
            "notice": notice,
            "can_vote": bool(self.may_vote) and poll.is_open and not voter.voted,
            "closed_message": "" if poll.is_open else polls.closed_message(poll),
            **_results_context(poll, self.questions, voter.voted, context["may_manage"]),
        }
        response = render(self.request, "participation/polls/poll.html", context, status=status)
        voter.remember(response)
        return response

    def cast(self):
        """Send the form's answers to `polls.vote`: the redirect after a vote, or the page with what went wrong."""
        form, voter = self.form, self.voter
        try:
            polls.vote(
                self.poll,
                form.answers(),
                source=Source.WEB,
                credential_kind=voter.kind,
                credential=voter.credential_for(form),
                questions=self.questions,
            )
        except polls.InvalidCode as error:
            form.add_error("code", str(error.message))
            return self(status=400)
        except polls.AlreadyVoted as error:
            if voter.kind == "code":
                form.add_error("code", str(error.message))
                return self(status=409)
            voter.voted = True
            return self(status=409, notice=error.message)
        except polls.InvalidAnswers as error:
            form.add_problems(error.problems)
            return self(status=400)
        except polls.PollClosed as error:
            return self(status=409, notice=error.message)
        voter.voted = True
        messages.success(self.request, _("Thank you! Your vote has been counted."))
        response = see_other(self.poll.get_absolute_url())
        voter.remember(response)
        return response


@never_cache
def poll_detail(request, slug, pk):
    process = _process(request, slug)
    page = BallotPage(request, process, _poll(process, pk))
    if request.method != "POST":
        return page()
    if not rules.has_perm("participation.vote", request.user, process):
        return page(status=403)
    if page.voter.voted or not page.poll.is_open:
        return page(status=409)
    if _over_rate_limit(request):
        page.form.is_valid()
        page.form.add_error(None, _("Too many votes were sent from your network. Please try again later."))
        return page(status=429)
    if not page.form.is_valid():
        return page(status=400)
    return page.cast()


@never_cache
def poll_results(request, slug, pk):
    process = _process(request, slug)
    poll = _poll(process, pk)
    voter = Voter(request, poll)
    context = process_context(request, process, TAB) | {"poll": poll, "voter": voter}
    context |= _results_context(poll, polls.questions_of(poll), voter.voted, context["may_manage"])
    return render(request, "participation/polls/results.html", context)


@never_cache
def poll_texts_csv(request, slug, pk):
    """The written answers, for the poll's managers: one row per answer."""
    process = _process(request, slug, "participation.manage_process")
    poll = _poll(process, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-written-answers.csv"'
    csv.writer(response).writerows(polls.written_rows(poll))
    return response


@never_cache
def poll_csv(request, slug, pk):
    process = _process(request, slug)
    poll = _poll(process, pk)
    may_manage = rules.has_perm("participation.manage_process", request.user, process)
    if not (may_manage or polls.results_visible(poll, Voter(request, poll).voted)):
        raise Http404("The results of this poll are not public yet.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-results.csv"'
    csv.writer(response).writerows(polls.result_rows(polls.tally(poll)))
    return response


# --- The officers' pages ------------------------------------------------------------------------------------------


def _manage_page(request, process, template: str, context: dict, status: int = 200):
    return render(request, template, process_context(request, process, TAB) | context, status=status)


@login_required
def poll_new(request, slug):
    process = _process(request, slug, "participation.manage_process")
    form = PollForm(_posted(request), initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        form.instance.process = process
        poll = form.save()
        messages.success(request, _("The poll has been created. Now add its questions."))
        return see_other("participation:poll_edit", process.slug, poll.pk)
    return _manage_page(request, process, "participation/polls/edit.html", {"form": form}, 400 if form.errors else 200)


@login_required
def poll_edit(request, slug, pk):
    process = _process(request, slug, "participation.manage_process")
    poll = _poll(process, pk)
    form = PollForm(_posted(request), instance=poll)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The poll has been saved."))
        return see_other("participation:poll_edit", process.slug, poll.pk)
    issued, used = polls.code_counts(poll)
    context = {
        "form": form,
        "poll": poll,
        "questions": polls.questions_of(poll),
        "locked": poll.ballot_count > 0,
        "codes_issued": issued,
        "codes_used": used,
    }
    return _manage_page(request, process, "participation/polls/edit.html", context, 400 if form.errors else 200)


def _locked(request, poll: Poll) -> bool:
    """Questions of a poll that has votes stay as they were voted on; the officer is told why."""
    locked = Poll.objects.select_for_update().filter(pk=poll.pk, ballot_count__gt=0).exists()
    if locked:
        messages.error(request, _("This poll already has votes, so its questions can no longer be changed."))
    return locked


@login_required
def question_form(request, slug, pk, question_pk=None):
    process = _process(request, slug, "participation.manage_process")
    poll = _poll(process, pk)
    question = get_object_or_404(Question, poll=poll, pk=question_pk) if question_pk else None
    if question is None:
        question = Question(poll=poll, language=poll.language, position=poll.questions.count() + 1)
    form = QuestionForm(_posted(request), instance=question)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if _locked(request, poll):
                return see_other("participation:poll_edit", process.slug, poll.pk)
            question = form.save()
            form.save_choices(question)
        messages.success(request, _("The question has been saved."))
        return see_other("participation:poll_edit", process.slug, poll.pk)
    context = {"form": form, "poll": poll, "question": question}
    return _manage_page(request, process, "participation/polls/question.html", context, 400 if form.errors else 200)


@login_required
@require_POST
def question_delete(request, slug, pk, question_pk):
    process = _process(request, slug, "participation.manage_process")
    poll = _poll(process, pk)
    question = get_object_or_404(Question, poll=poll, pk=question_pk)
    with transaction.atomic():
        if not _locked(request, poll):
            question.delete()
            messages.success(request, _("The question has been deleted."))
    return see_other("participation:poll_edit", process.slug, poll.pk)


@never_cache  # the new codes exist nowhere else
@login_required
def poll_codes(request, slug, pk):
    process = _process(request, slug, "participation.manage_process")
    poll = _poll(process, pk)
    form = CodesForm(_posted(request))
    codes = polls.issue_codes(poll, form.cleaned_data["count"]) if request.method == "POST" and form.is_valid() else []
    issued, used = polls.code_counts(poll)
    context = {"form": form, "poll": poll, "codes": codes, "issued": issued, "used": used}
    return _manage_page(request, process, "participation/polls/codes.html", context, 400 if form.errors else 200)


@never_cache
@login_required
def poll_paper(request, slug, pk):
    """Staff type in paper ballots; with the ballot's code where the poll requires codes."""
    process = _process(request, slug, "participation.manage_process")
    poll = _poll(process, pk)
    questions = polls.questions_of(poll)
    form = BallotForm(questions, _posted(request), ask_code=poll.codes_required)
    if request.method == "POST" and form.is_valid():
        try:
            polls.vote(
                poll,
                form.answers(),
                source=Source.PAPER,
                credential_kind="code" if poll.codes_required else "paper",
                credential=form.cleaned_data.get("code"),
                questions=questions,
            )
        except polls.InvalidAnswers as error:
            form.add_problems(error.problems)
        except polls.PollError as error:
            form.add_error("code" if poll.codes_required else None, str(error.message))
        else:
            messages.success(request, _("The paper ballot has been saved."))
            return see_other("participation:poll_paper", process.slug, poll.pk)
    context = {
        "form": form,
        "poll": poll,
        "paper_count": poll.ballots.filter(source=Source.PAPER).count(),
        "closed_message": "" if poll.is_open else polls.closed_message(poll),
    }
    return _manage_page(request, process, "participation/polls/paper.html", context, 400 if form.errors else 200)


urlpatterns = [
    path("<slug:slug>/polls/", polls_list, name="polls"),
    path("<slug:slug>/polls/new/", poll_new, name="poll_new"),
    path("<slug:slug>/polls/<int:pk>/", poll_detail, name="poll"),
    path("<slug:slug>/polls/<int:pk>/results/", poll_results, name="poll_results"),
    path("<slug:slug>/polls/<int:pk>/written-answers.csv", poll_texts_csv, name="poll_texts_csv"),
    path("<slug:slug>/polls/<int:pk>/results.csv", poll_csv, name="poll_csv"),
    path("<slug:slug>/polls/<int:pk>/edit/", poll_edit, name="poll_edit"),
    path("<slug:slug>/polls/<int:pk>/questions/new/", question_form, name="question_new"),
    path("<slug:slug>/polls/<int:pk>/questions/<int:question_pk>/", question_form, name="question_edit"),
    path("<slug:slug>/polls/<int:pk>/questions/<int:question_pk>/delete/", question_delete, name="question_delete"),
    path("<slug:slug>/polls/<int:pk>/codes/", poll_codes, name="poll_codes"),
    path("<slug:slug>/polls/<int:pk>/paper/", poll_paper, name="poll_paper"),
]
