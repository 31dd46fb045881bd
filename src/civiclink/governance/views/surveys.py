"""The questionnaires of a campaign: the public citizen survey and its poster, the councillors' and staff's invited
links, and the team's pages to invite, to type in paper questionnaires and to print one-time codes.

Citizens need no account. Without printed codes, one answer per browser rests on a random token in a cookie; the
client's address only feeds a rate limit (under a keyed hash, in the cache) and is never stored with an answer.
"""

import secrets

import rules
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from civiclink.core import ratelimit
from civiclink.governance import invitations as invites
from civiclink.governance.forms_surveys import CodesForm, InvitationForm, PaperForm, SurveyForm
from civiclink.governance.models import Audience, Campaign, Channel, Invitation, Response
from civiclink.governance.responses import (
    AlreadyAnswered,
    InvalidCode,
    Scale,
    SurveyError,
    active_items,
    browser_has_answered,
    hash_token,
    submit,
)
from civiclink.governance.views.common import campaign_for, campaign_or_404

BROWSER_COOKIE_AGE = 365 * 24 * 3600
POSTER_LANGUAGES = {"FBiH": ("bs", "hr"), "RS": ("sr", "sr-latn"), "BD": ("bs", "hr", "sr")}


def _posted(request):
    """The submitted data, also when empty (an empty form must come back with its errors)."""
    return request.POST if request.method == "POST" else None


def _notice(request, campaign: Campaign, heading: str, text: str, status: int = 200):
    context = {"campaign": campaign, "heading": heading, "text": text}
    return render(request, "governance/surveys/notice.html", context, status=status)


def _closed(request, campaign: Campaign):
    return _notice(
        request,
        campaign,
        _("The questionnaire is closed"),
        _("Thank you for your interest. The questionnaires of %(municipality)s are not open at the moment.")
        % {"municipality": campaign.municipality.display_name},
    )


def _see_other(to, *args, **kwargs):
    """The redirect after a successful POST (303: the browser follows it with GET)."""
    response = redirect(to, *args, **kwargs)
    response.status_code = 303
    return response


def _already_answered(request, campaign: Campaign, message, status: int = 200):
    return _notice(request, campaign, _("You have already answered"), str(message), status=status)


# --- Rate limit and browser token ---------------------------------------------------------------------------------


def _over_rate_limit(request) -> bool:
    return ratelimit.over_limit(request, "governance-survey", getattr(settings, "GOVERNANCE_SURVEY_RATE_LIMIT", "30/h"))


def _cookie_name(campaign: Campaign, language: str) -> str:
    return f"eloge-{campaign.pk}-{language}"


def _browser_token(request, campaign: Campaign) -> str | None:
    token = request.COOKIES.get(_cookie_name(campaign, translation.get_language()))
    return token if token and len(token) <= 64 else None


def _keep_browser_token(response, campaign: Campaign, token: str) -> None:
    """One cookie per language, each limited to the survey's path in that language, so that switching the
    language does not open a second answer."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            survey_path = reverse("governance:survey", args=[campaign.pk])
        response.set_cookie(
            _cookie_name(campaign, language),
            token,
            max_age=BROWSER_COOKIE_AGE,
            path=survey_path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


# --- Answering ----------------------------------------------------------------------------------------------------


def _render_survey(request, campaign: Campaign, items, form, status: int = 200):
    context = {
        "campaign": campaign,
        "questionnaire": items[0].questionnaire,
        "form": form,
        "closes": campaign.cycle.assessment_closes,
    }
    return render(request, "governance/surveys/survey.html", context, status=status)


def _answer(request, campaign: Campaign, audience: str, items, form: SurveyForm, credential: str | None):
    """Submit the answers if the form is valid: redirect to the thanks page, or show the page again with what went
    wrong and the answers as they were."""
    if not form.is_valid():
        return _render_survey(request, campaign, items, form)
    asks_code = "code" in form.fields
    credential = form.cleaned_data["code"] if asks_code else credential
    try:
        submit(campaign, audience, form.answers(), credential=credential, items=items)
    except AlreadyAnswered as error:
        if not asks_code:
            return _already_answered(request, campaign, error.message, status=409)
        form.add_error("code", str(error.message))
        return _render_survey(request, campaign, items, form, status=409)
    except SurveyError as error:
        form.add_error("code" if asks_code and isinstance(error, InvalidCode) else None, str(error.message))
        return _render_survey(request, campaign, items, form)
    return _see_other("governance:survey_thanks", pk=campaign.pk)


@never_cache
def survey(request, pk):
    campaign = campaign_or_404(pk)
    if not rules.has_perm("governance.answer_citizen_survey", request.user, campaign):
        return _closed(request, campaign)
    by_browser = not campaign.citizen_codes_required
    token = _browser_token(request, campaign) if by_browser else None
    if request.method != "POST" and token and browser_has_answered(campaign, token):
        return _already_answered(request, campaign, _("The questionnaire has already been answered from this browser."))
    items = active_items(campaign, Audience.CITIZENS)
    if not items:
        raise Http404("This campaign's benchmark has no citizens' questionnaire.")
    form = SurveyForm(items, Scale.of(campaign), _posted(request), ask_code=not by_browser)
    if request.method != "POST":
        return _render_survey(request, campaign, items, form)
    new_token = secrets.token_urlsafe(32) if by_browser and not token else None
    if _over_rate_limit(request):
        form.is_valid()
        form.add_error(None, _("Too many questionnaires were sent from your network. Please try again later."))
        response = _render_survey(request, campaign, items, form, status=429)
    else:
        response = _answer(request, campaign, Audience.CITIZENS, items, form, token or new_token)
    if new_token:
        _keep_browser_token(response, campaign, new_token)
    return response


def survey_thanks(request, pk):
    campaign = campaign_or_404(pk)
    return _notice(
        request,
        campaign,
        _("Thank you!"),
        _(
            "Your answers have been saved. %(municipality)s will see them together with everyone else's, "
            "never on their own."
        )
        % {"municipality": campaign.municipality.display_name},
    )


@never_cache
def invited_survey(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("campaign__cycle", "campaign__municipality"), token_hash=hash_token(token)
    )
    campaign = invitation.campaign
    if invitation.answered:
        return _already_answered(request, campaign, _("This invitation has already been used. Thank you!"))
    if not campaign.surveys_open:
        return _closed(request, campaign)
    items = active_items(campaign, invitation.audience)
    if not items:
        raise Http404("This campaign's benchmark has no questionnaire for this audience.")
    form = SurveyForm(items, Scale.of(campaign), _posted(request))
    if request.method != "POST":
        return _render_survey(request, campaign, items, form)
    return _answer(request, campaign, invitation.audience, items, form, token)


# --- The team's pages ---------------------------------------------------------------------------------------------


def _site(request) -> str:
    return request.build_absolute_uri("/")


@login_required
def invitations(request, pk):
    campaign = campaign_for(request, pk, "governance.manage_invitations")
    action = request.POST.get("action")
    form = InvitationForm(request.POST if action == "invite" else None)
    if action == "remind":
        sent = invites.remind_unanswered(campaign, base_url=_site(request))
        messages.success(request, _("Reminders sent: %(count)d.") % {"count": sent})
        return _see_other(request.path)
    if action == "invite" and form.is_valid():
        people = form.cleaned_data["addresses"]
        created = invites.invite(
            campaign,
            form.cleaned_data["audience"],
            [address for _name, address in people],
            [name for name, _address in people],
            base_url=_site(request),
        )
        messages.success(
            request,
            _("Invitations sent: %(sent)d. Already invited before: %(known)d.")
            % {"sent": len(created), "known": len({address.lower() for _name, address in people}) - len(created)},
        )
        return _see_other(request.path)
    rates = [
        {"audience": Audience(audience).label, "answered": answered, "invited": invited}
        for audience, (answered, invited) in invites.response_rate(campaign).items()
    ]
    context = {
        "campaign": campaign,
        "form": form,
        "invitations": campaign.invitations.order_by("audience", "email"),
        "rates": rates,
        "max_reminders": invites.MAX_REMINDERS,
    }
    return render(request, "governance/surveys/invitations.html", context)


@login_required
def paper_entry(request, pk, audience):
    if audience not in Audience.values:
        raise Http404("No such questionnaire.")
    campaign = campaign_for(request, pk, "governance.enter_paper_responses")
    items = active_items(campaign, audience)
    if not items:
        raise Http404("This campaign's benchmark has no such questionnaire.")
    form = PaperForm(items, Scale.of(campaign), _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submit(campaign, audience, form.answers(), channel=Channel.PAPER, items=items)
        except SurveyError as error:
            form.add_error(None, str(error.message))
        else:
            number = Response.objects.filter(campaign=campaign, audience=audience, channel=Channel.PAPER).count()
            messages.success(request, _("Saved response %(number)d.") % {"number": number})
            return _see_other(request.path)
    context = {
        "campaign": campaign,
        "audience": Audience(audience),
        "questionnaire": items[0].questionnaire,
        "form": form,
        "single_digit": campaign.cycle.scale_min >= 0 and campaign.cycle.scale_max <= 9,
        "focus": next((number for number, _item, field in form.questions if field.errors), 1),
    }
    return render(request, "governance/surveys/paper_entry.html", context)


def _languages(campaign: Campaign) -> tuple[str, ...]:
    """The languages of the municipality's entity, for posters and leaflets."""
    return POSTER_LANGUAGES.get(campaign.municipality.entity, (translation.get_language(),))


def _calls_to_action(campaign: Campaign) -> list[dict]:
    """The same words in each of the municipality's languages."""
    calls = []
    for language in _languages(campaign):
        with translation.override(language):
            place = {"municipality": campaign.municipality.display_name}
            calls.append(
                {
                    "language": language,
                    "heading": _("How well is %(municipality)s governed? Tell us!") % place,
                    "text": _(
                        "Answer a short questionnaire about your municipality: about ten minutes, anonymous, no "
                        "account needed. Your answers help it improve."
                    ),
                    "scan": _("Scan the code with your phone's camera or open this address:"),
                    "code_label": _("Your one-time code:"),
                    "once": _("The code can be used once. Keep this leaflet until you have answered."),
                }
            )
    return calls


def _survey_url(request, campaign: Campaign) -> str:
    with translation.override(_languages(campaign)[0]):
        return request.build_absolute_uri(reverse("governance:survey", args=[campaign.pk]))


def _qr(url: str, title: str, **options) -> str:
    """Inline SVG markup (no data: URI, no style attribute, so the strict CSP holds)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, title=title, omitsize=True, **options))  # noqa: S308


def _printable(request, campaign: Campaign) -> dict:
    url = _survey_url(request, campaign)
    return {
        "campaign": campaign,
        "survey_url": url,
        "short_url": url.split("://", 1)[-1],
        "calls": _calls_to_action(campaign),
    }


def poster(request, pk):
    campaign = campaign_or_404(pk)
    context = _printable(request, campaign)
    context["qr"] = _qr(context["survey_url"], _("QR code of the questionnaire's address"), svgclass="poster-qr")
    return render(request, "governance/surveys/poster.html", context)


@never_cache  # the new codes exist nowhere else
@login_required
def citizen_codes(request, pk):
    campaign = campaign_for(request, pk, "governance.manage_campaign")
    form = CodesForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        context = _printable(request, campaign)
        context["codes"] = invites.issue_codes(campaign, form.cleaned_data["count"])
        context["qr"] = _qr(context["survey_url"], _("QR code of the questionnaire's address"), svgid="survey-qr")
        return render(request, "governance/surveys/leaflets.html", context)
    issued, used = invites.code_counts(campaign)
    context = {"campaign": campaign, "form": form, "issued": issued, "used": used}
    return render(request, "governance/surveys/citizen_codes.html", context)


urlpatterns = [
    path("campaigns/<int:pk>/survey/", survey, name="survey"),
    path("campaigns/<int:pk>/survey/thanks/", survey_thanks, name="survey_thanks"),
    path("campaigns/<int:pk>/poster/", poster, name="poster"),
    path("campaigns/<int:pk>/invitations/", invitations, name="invitations"),
    path("q/<str:token>/", invited_survey, name="invited_survey"),
    path("campaigns/<int:pk>/paper/<str:audience>/", paper_entry, name="paper_entry"),
    path("campaigns/<int:pk>/codes/", citizen_codes, name="citizen_codes"),
]
