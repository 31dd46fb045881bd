"""The kiosk on a bench's screen, under /kiosk/<bench id>/ (what it offers: `benches/kiosk.py`).

The screen is signed in as the bench, not as a person: the bench (or a technician) posts the bench's credential
once on the start screen, and the session keeps the bench id and its credential version. Every request checks
both, so that rotating or revoking the credential ends the session at once. Staff who may manage the bench can
open a preview, which records nothing.

Every flow works with plain forms: an answer is posted with the one-time token and the message id drawn when its
screen was shown, and stored through `ingest.store_one_bench` as a "response" message, so that posting twice
stores it once. With JavaScript (`static/js/kiosk.js`) the same message goes into an outbox in the browser's
storage and is posted to `messages`: answers given while the network is down are sent when it comes back.

The kiosk's URLs carry no language: the session keeps the language chosen on the screen (and the text size), and
each view runs in it. Both go back to the bench's defaults when the screen is reset after inactivity."""

import json
import time
import uuid
from dataclasses import dataclass
from functools import wraps

import segno
from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civiclink.benches import credentials, ingest, kiosk
from civiclink.benches.models import BallotToken, Bench, KioskAnswer, Message, Transport
from civiclink.core import ratelimit
from civiclink.governance import responses as questionnaires
from civiclink.governance.forms_surveys import SurveyForm
from civiclink.governance.models import Audience, CitizenCode
from civiclink.participation import polls
from civiclink.participation.forms_polls import BallotForm
from civiclink.participation.models.proposals import BODY_MAX, TITLE_MAX

SESSION_KEY = "kiosk"
SESSION_DAYS = 365  # a kiosk stays signed in until its credential changes
START_RATE_LIMIT = "30/h"  # credential attempts per address
Target = BallotToken.Target


@dataclass
class Screen:
    """The bench a request is for, and how its screen is set: language, text size, preview."""

    bench: Bench
    preview: bool
    language: str
    text_size: str

    @property
    def languages(self) -> list[tuple[str, str]]:
        names = dict(settings.LANGUAGES)
        return [(code, names[code]) for code in kiosk.languages(self.bench)]

    @property
    def customised(self) -> bool:
        """Whether the screen differs from how the next person should find it."""
        return self.language != kiosk.languages(self.bench)[0] or self.text_size != kiosk.TEXT_SIZES[0]


class Unavailable(Exception):
    """What was asked is not open on this bench (any more). Shown on the kiosk, not as the site's 404 page: the
    language middleware would send a 404 of these unprefixed URLs to a language-prefixed one."""


def _state(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _switched_off(request, bench: Bench):
    with translation.override(kiosk.languages(bench)[0]):
        return render(request, "benches/kiosk/off.html", {"bench": bench}, status=403)


def kiosk_view(view=None, *, api: bool = False):
    """Run `view(request, screen, ...)` for the bench signed in on this screen (or a preview for those allowed to
    manage it), in the screen's language. Otherwise: the out-of-service screen for a revoked, retired or
    unprovisioned bench, the start screen (or 403 for `api` views) for a session that is missing or ended."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, bench_id, *args, **kwargs):
            bench = get_object_or_404(Bench.objects.select_related("community__municipality"), pk=bench_id)
            state = _state(request)
            mine = state.get("bench") == str(bench.pk)
            if not credentials.usable(bench):
                if mine:
                    del request.session[SESSION_KEY]
                return JsonResponse({"detail": "out of service"}, status=403) if api else _switched_off(request, bench)
            signed_in = mine and state.get("version") == bench.credential_version
            if mine and not signed_in:  # the credential was rotated: the screen must be started again
                del request.session[SESSION_KEY]
            if not signed_in:
                state = {}  # a preview shows the bench's defaults and changes no session
            if not signed_in and not request.user.has_perm("benches.manage_bench", bench):
                if api:
                    return JsonResponse({"detail": "not signed in as this bench"}, status=403)
                return redirect("kiosk:start", bench.pk)
            languages = kiosk.languages(bench)
            language = state.get("language") if state.get("language") in languages else languages[0]
            text_size = state.get("text") if state.get("text") in kiosk.TEXT_SIZES else kiosk.TEXT_SIZES[0]
            screen = Screen(bench, preview=not signed_in, language=language, text_size=text_size)
            with translation.override(language):
                try:
                    return view(request, screen, *args, **kwargs)
                except Unavailable:
                    if api:
                        return JsonResponse({"detail": "not open on this bench"}, status=410)
                    text = _("This is not open on this bench any more. Thank you for your interest.")
                    return _page(request, screen, "notice.html", {"text": text}, status=410)

        return wrapped

    return decorate(view) if view else decorate


def _page(request, screen: Screen, template: str, context: dict, status: int = 200):
    context = {
        "screen": screen,
        "bench": screen.bench,
        "idle_seconds": kiosk.IDLE_SECONDS,
        "idle_warning_seconds": kiosk.IDLE_WARNING_SECONDS,
        "cooldown_seconds": settings.BENCH_KIOSK_COOLDOWN_SECONDS,
        "token_pool": kiosk.TOKEN_POOL,
        **context,
    }
    return render(request, f"benches/kiosk/{template}", context, status=status)


def _qr(url: str) -> str:
    """The QR code of `url` as inline SVG (no style attribute, so the strict CSP holds)."""
    title = _("QR code: scan it with your phone to continue there")
    return mark_safe(segno.make(url, error="m").svg_inline(scale=6, title=title, omitsize=True, svgclass="kiosk-qr"))  # noqa: S308


def _see_other(url: str):
    response = redirect(url)
    response.status_code = 303
    return response


# --- Start ----------------------------------------------------------------------------------------------------


class StartForm(forms.Form):
    credential = forms.CharField(
        label=gettext_lazy("Bench credential"),
        help_text=gettext_lazy("The credential the bench received when it was provisioned: its id, a dot, its secret."),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


def start(request, bench_id):
    """Sign this screen in as the bench, with the bench's credential (once: the session keeps it)."""
    bench = get_object_or_404(Bench.objects.select_related("community__municipality"), pk=bench_id)
    if not credentials.usable(bench):
        return _switched_off(request, bench)
    state = _state(request)
    if state.get("bench") == str(bench.pk) and state.get("version") == bench.credential_version:
        return redirect("kiosk:home", bench.pk)
    form = StartForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        if ratelimit.over_limit(request, "kiosk-start", START_RATE_LIMIT):
            form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
            status = 429
        elif (signed := credentials.authenticate(form.cleaned_data["credential"])) is None or signed.pk != bench.pk:
            form.add_error("credential", _("This is not the credential of this bench, or it is no longer valid."))
            status = 400
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {"bench": str(bench.pk), "version": signed.credential_version}
            request.session.set_expiry(SESSION_DAYS * 86400)
            return _see_other(reverse("kiosk:home", args=[bench.pk]))
    elif request.method == "POST":
        status = 400
    with translation.override(kiosk.languages(bench)[0]):
        return render(request, "benches/kiosk/start.html", {"bench": bench, "form": form}, status=status)


# --- Home and the screen's settings --------------------------------------------------------------------------------


@kiosk_view
def home(request, screen: Screen):
    return _page(request, screen, "home.html", {"offer": kiosk.offer(screen.bench.community)})


def _remember(request, screen: Screen, **changes) -> None:
    if not screen.preview:  # a preview has no kiosk session of its own to change
        request.session[SESSION_KEY] = {**_state(request), **changes}


def _kiosk_path(request, screen: Screen) -> str:
    """Where to go back to: a page of this kiosk, else its home."""
    target = request.POST.get("next", "")
    home = reverse("kiosk:home", args=[screen.bench.pk])
    return target if target.startswith(home) and "//" not in target else home


@require_POST
@kiosk_view
def screen_settings(request, screen: Screen):
    """Switch the language or the text size, then show the same page again."""
    if request.POST.get("language") in kiosk.languages(screen.bench):
        _remember(request, screen, language=request.POST["language"])
    if request.POST.get("text") in kiosk.TEXT_SIZES:
        _remember(request, screen, text=request.POST["text"])
    return _see_other(_kiosk_path(request, screen))


@require_POST
@kiosk_view
def reset(request, screen: Screen):
    """Back to the start as the next person should find it (after inactivity): the bench's language, normal text."""
    if not screen.preview:
        request.session[SESSION_KEY] = {k: v for k, v in _state(request).items() if k not in {"language", "text"}}
    return _see_other(reverse("kiosk:home", args=[screen.bench.pk]))


# --- Answering -----------------------------------------------------------------------------------------------------


class ProblemForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("What is the problem?"),
        help_text=gettext_lazy("A few words, for example: “Broken street light near the school”."),
        max_length=TITLE_MAX,
    )
    description = forms.CharField(
        label=gettext_lazy("Describe it"),
        help_text=gettext_lazy("Where is it, and what is wrong? Please do not write names or phone numbers."),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("Topic"), required=False, coerce=int, empty_value=None, widget=forms.RadioSelect
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        if categories:
            self.fields["category"].choices = [(c.pk, c.localised("name")) for c in categories]
        else:
            del self.fields["category"]

    def content(self) -> dict:
        problem = {"title": self.cleaned_data["title"], "description": self.cleaned_data["description"]}
        if self.cleaned_data.get("category"):
            problem["category"] = self.cleaned_data["category"]
        return {"problem": problem}


def _cooling_down(screen: Screen) -> int:
    """Seconds left of the cool-down after the bench's last answer (0: a new answer may start)."""
    last = (
        KioskAnswer.objects.filter(bench=screen.bench)
        .order_by("-answered_at")
        .values_list("answered_at", flat=True)
        .first()
    )
    if last is None:
        return 0
    left = settings.BENCH_KIOSK_COOLDOWN_SECONDS - (timezone.now() - last).total_seconds()
    return max(0, int(left + 0.999))


class BallotPage:
    """One ballot screen (a poll, the questionnaire or a problem report): shown with a fresh token and message
    id, answered by posting them back. A subclass says what it asks and how its form becomes the message's data."""

    target = ""
    template = ""

    def __init__(self, request, screen: Screen, pk: int):
        self.request, self.screen, self.pk = request, screen, pk

    def form(self, data=None):
        raise NotImplementedError

    def content(self, form) -> dict:
        raise NotImplementedError

    def public_url(self) -> str:
        raise NotImplementedError

    def is_open(self) -> bool:
        """A page whose ballot can close (a poll) says so, and why in `closed_message`."""
        return True

    def context(self) -> dict:
        return {}

    def respond(self):
        """The view: the ballot (GET), the answer (POST), or why no answer can be given now."""
        if not self.is_open():
            return self.notice(self.closed_message(), status=409)
        if self.request.method != "POST":
            if (left := _cooling_down(self.screen)) and not self.screen.preview:
                return _page(self.request, self.screen, "wait.html", {"seconds": left, "again": self.request.path})
            return self.show(self.form())
        form = self.form(self.request.POST)
        if self.screen.preview:
            return self.show(form, status=403, notice=_("This is a preview: answers are not recorded."))
        if not form.is_valid() or not self.acceptable(form):
            return self.show(form, status=400)
        return self.send(form)

    def acceptable(self, form) -> bool:
        """What the form alone cannot check but the answer needs, added to the form's errors."""
        return True

    def send(self, form):
        """Store the answer as the bench's message: the thank-you page when stored (now or before: a repeated
        post of the same screen), else the form again with why."""
        try:
            message_id = uuid.UUID(self.request.POST.get("message", ""))
        except ValueError:
            return self.show(form, status=400, notice=_("This screen is out of date. Please answer again."))
        message = {
            "id": str(message_id),
            "seq": int(time.time() * 1000),  # milliseconds: increasing, like the outbox's (kiosk.js)
            "ts": timezone.now().isoformat(),
            "type": "response",
            "data": {"token": self.request.POST.get("token", ""), "target": self.target, "id": self.pk}
            | self.content(form),
        }
        outcome = ingest.store_one_bench(self.screen.bench, [message], Transport.KIOSK)
        if outcome.accepted or outcome.duplicate:
            thanks = reverse("kiosk:thanks", args=[self.screen.bench.pk, self.target, self.pk])
            return _see_other(f"{thanks}?m={message_id}")
        if not self.is_open():
            return self.notice(self.closed_message(), status=409)
        if outcome.rejected[0]["reason"] == "rate_limited":
            notice = _("The bench is very busy. Please wait a minute and send your answers again.")
        else:
            notice = _("This screen was already used for an answer. Please check your answers and send them again.")
        return self.show(form, status=409, notice=notice)

    def show(self, form, status: int = 200, notice: str = ""):
        token = "" if self.screen.preview else kiosk.issue_tokens(self.screen.bench, self.target, self.pk)[0]
        context = {
            "form": form,
            "target": self.target,
            "target_id": self.pk,
            "token": token,
            "message_id": uuid.uuid4(),
            "notice": notice,
            "qr": _qr(self.public_url()),
            "thanks_url": reverse("kiosk:thanks", args=[self.screen.bench.pk, self.target, self.pk]),
            **self.context(),
        }
        return _page(self.request, self.screen, self.template, context, status=status)

    def notice(self, text: str, status: int = 200):
        return _page(self.request, self.screen, "notice.html", {"text": text}, status=status)


class PollPage(BallotPage):
    target = Target.POLL
    template = "poll.html"

    def __init__(self, request, screen, pk):
        super().__init__(request, screen, pk)
        self.poll = kiosk.offered_poll(screen.bench.community, pk)
        if self.poll is None:
            raise Unavailable
        self.questions = polls.questions_of(self.poll)

    def form(self, data=None):
        return BallotForm(self.questions, data)

    def content(self, form) -> dict:
        answers = {}
        for question_id, answer in form.answers().items():
            if answer in (None, "", [], {}):
                continue
            answers[str(question_id)] = sorted(answer) if isinstance(answer, list) else answer
        return {"answers": answers}

    def is_open(self) -> bool:
        return self.poll.is_open

    def closed_message(self) -> str:
        return polls.closed_message(self.poll)

    def public_url(self) -> str:
        return self.request.build_absolute_uri(self.poll.get_absolute_url())

    def context(self) -> dict:
        return {"poll": self.poll, "process": self.poll.process}


class QuestionnairePage(BallotPage):
    target = Target.QUESTIONNAIRE
    template = "questionnaire.html"

    def __init__(self, request, screen, pk):
        super().__init__(request, screen, pk)
        self.campaign = kiosk.open_campaign(screen.bench.community.municipality)
        if self.campaign is None or self.campaign.pk != pk:
            raise Unavailable
        self.items = questionnaires.active_items(self.campaign, Audience.CITIZENS)
        if not self.items:
            raise Unavailable

    def form(self, data=None):
        scale = questionnaires.Scale.of(self.campaign)
        return SurveyForm(self.items, scale, data, ask_code=self.campaign.citizen_codes_required)

    def acceptable(self, form) -> bool:
        """A printed code must be one of the campaign's, not yet used: said at the field, as on the web."""
        if "code" not in form.fields:
            return True
        code_hash = questionnaires.hash_code(form.cleaned_data["code"])
        used = CitizenCode.objects.filter(campaign=self.campaign, code_hash=code_hash).values_list("used", flat=True)
        if not used:
            form.add_error("code", questionnaires.InvalidCode.default_message)
        elif used[0]:
            form.add_error("code", _("This code has already been used. Each code opens the questionnaire once."))
        return not form.errors

    def content(self, form) -> dict:
        content = {"answers": {str(item_id): value for item_id, value in form.answers().items()}}
        if "code" in form.fields:
            content["code"] = form.cleaned_data["code"]
        return content

    def public_url(self) -> str:
        return self.request.build_absolute_uri(reverse("governance:survey", args=[self.campaign.pk]))

    def context(self) -> dict:
        return {"campaign": self.campaign, "questionnaire": self.items[0].questionnaire}


class ProblemPage(BallotPage):
    target = Target.PROBLEM
    template = "problem.html"

    def __init__(self, request, screen, pk):
        super().__init__(request, screen, pk)
        self.process = kiosk.offered_process(screen.bench.community, pk)
        if self.process is None:
            raise Unavailable
        self.categories = list(self.process.categories.order_by("position", "name"))

    def form(self, data=None):
        return ProblemForm(data, categories=self.categories)

    def content(self, form) -> dict:
        return form.content()

    def public_url(self) -> str:
        new = reverse("participation:proposal_new", args=[self.process.slug])
        return self.request.build_absolute_uri(f"{new}?kind=problem")

    def context(self) -> dict:
        return {"process": self.process}


BALLOTS = {Target.POLL: PollPage, Target.QUESTIONNAIRE: QuestionnairePage, Target.PROBLEM: ProblemPage}


@kiosk_view
def poll(request, screen: Screen, pk: int):
    return PollPage(request, screen, pk).respond()


@kiosk_view
def questionnaire(request, screen: Screen, pk: int):
    return QuestionnairePage(request, screen, pk).respond()


@kiosk_view
def problem(request, screen: Screen, pk: int):
    return ProblemPage(request, screen, pk).respond()


@kiosk_view
def thanks(request, screen: Screen, target: str, pk: int):
    """The thank-you screen; after a poll, its results so far where the poll shows them to those who voted,
    with the bench's ballots apart from the web's. `m` is the answer's message id: only a stored answer opens them."""
    if target not in BALLOTS:
        raise Unavailable
    ballot = BALLOTS[target](request, screen, pk)
    try:
        message_id = uuid.UUID(request.GET.get("m", ""))
    except ValueError:
        message_id = None
    answered = message_id is not None and Message.objects.filter(bench=screen.bench, message_id=message_id).exists()
    results = None
    if answered and target == Target.POLL and polls.results_visible(ballot.poll, has_voted=True):
        results = polls.tally(ballot.poll, ballot.questions)
    context = {"target": target, "answered": answered, "results": results, "qr": _qr(ballot.public_url())}
    context |= ballot.context()
    return _page(request, screen, "thanks.html", context)


# --- For kiosk.js ----------------------------------------------------------------------------------------------------


@require_POST
@kiosk_view(api=True)
def messages(request, screen: Screen):
    """The outbox of kiosk.js: a JSON array of messages, answered like the bench API (accepted, duplicate and
    rejected ids)."""
    if screen.preview:
        return JsonResponse({"detail": "a preview records nothing"}, status=403)
    if len(request.body) > settings.BENCH_MAX_BATCH * settings.BENCH_MAX_MESSAGE_BYTES:
        return JsonResponse({"detail": "batch too large"}, status=413)
    return JsonResponse(ingest.store_one_bench(screen.bench, request.body, Transport.KIOSK).as_json())


@require_POST
@kiosk_view(api=True)
def tokens(request, screen: Screen):
    """Spare tokens for one ballot screen (`{"target": ..., "id": ..., "count": ...}`), at most `TOKEN_POOL`: the
    outbox spends them on answers given while the network is down."""
    if screen.preview:
        return JsonResponse({"detail": "a preview records nothing"}, status=403)
    try:
        asked = json.loads(request.body)
        target, pk, count = asked["target"], int(asked["id"]), int(asked.get("count", kiosk.TOKEN_POOL))
        ballot = BALLOTS[target](request, screen, pk)
    except (ValueError, TypeError, KeyError, AttributeError):
        return JsonResponse({"detail": "expected target, id and count"}, status=400)
    if not ballot.is_open():
        return JsonResponse({"detail": "closed"}, status=409)
    issued = kiosk.issue_tokens(screen.bench, target, pk, max(1, min(count, kiosk.TOKEN_POOL)))
    return JsonResponse({"tokens": issued, "days": kiosk.TOKEN_DAYS})


urlpatterns = [
    path("<uuid:bench_id>/", home, name="home"),
    path("<uuid:bench_id>/start/", start, name="start"),
    path("<uuid:bench_id>/settings/", screen_settings, name="settings"),
    path("<uuid:bench_id>/reset/", reset, name="reset"),
    path("<uuid:bench_id>/polls/<int:pk>/", poll, name="poll"),
    path("<uuid:bench_id>/questionnaire/<int:pk>/", questionnaire, name="questionnaire"),
    path("<uuid:bench_id>/problems/<int:pk>/", problem, name="problem"),
    path("<uuid:bench_id>/thanks/<str:target>/<int:pk>/", thanks, name="thanks"),
    path("<uuid:bench_id>/messages", messages, name="messages"),
    path("<uuid:bench_id>/tokens", tokens, name="tokens"),
]
