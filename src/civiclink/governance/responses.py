"""Submitting a filled-in questionnaire: one answer per credential, kept anonymous.

A credential (an invitation link, a printed citizen code or a browser token) is spent by inserting a keyed hash of
it into `SpentBallot`, in the same transaction as the response: the primary key lets the database refuse a second
answer however many arrive at once, and nothing stored links the ballot to the response or to a person. Paper
questionnaires have no credential: the staff who type them in vouch for them.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core import codes
from civiclink.core.errors import UserError
from civiclink.governance import scoring
from civiclink.governance.models import (
    Answer,
    Audience,
    Campaign,
    Channel,
    CitizenCode,
    Invitation,
    Item,
    Phase,
    Response,
    SpentBallot,
)

DONT_KNOW_MARKER = "?"


class SurveyError(UserError):
    """A response refused, with a message fit to show the person who sent it."""

    default_message = _("Your answers could not be saved.")


class AlreadyAnswered(SurveyError):
    default_message = _("This questionnaire has already been answered with this link.")


class InvalidCode(SurveyError):
    default_message = _("This code is not valid for this questionnaire. Please check it and try again.")


class SurveyClosed(SurveyError):
    default_message = _("The questionnaires of this campaign are closed.")


class InvalidAnswers(SurveyError):
    default_message = _("Please answer at least one question.")


@dataclass(frozen=True)
class Scale:
    low: int
    high: int

    @classmethod
    def of(cls, campaign: Campaign) -> "Scale":
        return cls(campaign.cycle.scale_min, campaign.cycle.scale_max)

    def __contains__(self, value) -> bool:
        return self.low <= value <= self.high

    def values(self) -> range:
        return range(self.low, self.high + 1)

    def parse(self, text: str) -> int | None:
        """A typed answer: a number on the scale, or "?" (and "0" where 0 is not on the scale) for "don't know".
        Raises ValueError for anything else; the caller decides what an empty cell means."""
        text = text.strip()
        if text == DONT_KNOW_MARKER or (text == "0" and 0 not in self):
            return None
        value = int(text)
        if value not in self:
            raise ValueError(text)
        return value


# Questionnaires answered in a campaign are frozen (a benchmark in use refuses changes), so each process keeps them
# once loaded: a submission is then three inserts. Any save or delete of an item or questionnaire empties it.
_ITEMS: dict[tuple[int, str], list[Item]] = {}


def active_items(campaign: Campaign, audience: str) -> list[Item]:
    """The items asked of `audience` in this campaign, in order, each with its questionnaire: one query, or none
    once the campaign's benchmark is in use."""
    key = (campaign.cycle.benchmark_id, audience)
    if (items := _ITEMS.get(key)) is not None:
        return items
    items = list(
        Item.objects.filter(
            questionnaire__benchmark_id=campaign.cycle.benchmark_id, questionnaire__audience=audience, retired=False
        )
        .select_related("questionnaire")
        .order_by("position", "pk")
    )
    if campaign.phase != Phase.REGISTRATION:
        _ITEMS[key] = items
    return items


def forget_items(**kwargs) -> None:
    _ITEMS.clear()


def hash_token(token: str) -> str:
    """How invitation tokens are stored: only this hash, so a copy of the database opens no questionnaire."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_code(code: str) -> str:
    return hashlib.sha256(codes.normalise(code).encode()).hexdigest()


def ballot_key(campaign_id: int, audience: str, kind: str, credential: str) -> str:
    message = f"{campaign_id}:{audience}:{kind}:{credential}"
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def credential_kind(campaign: Campaign, audience: str) -> str:
    """What proves a single answer: an invitation for councillors and staff; for citizens a printed code where
    the campaign asks for one, else a browser token."""
    if audience != Audience.CITIZENS:
        return "invitation"
    return "code" if campaign.citizen_codes_required else "browser"


def browser_has_answered(campaign: Campaign, token: str) -> bool:
    key = ballot_key(campaign.pk, Audience.CITIZENS, "browser", token)
    return SpentBallot.objects.filter(key=key).exists()


def check_answers(answers: dict[int, int | None], items: dict[int, Item], scale: Scale) -> None:
    if not answers:
        raise InvalidAnswers
    for item_id, value in answers.items():
        if item_id not in items or (value is not None and value not in scale):
            raise InvalidAnswers(_("Some answers do not belong to this questionnaire. Please reload the page."))


def answer_rows(response: Response, answers: dict[int, int | None], items: dict[int, Item]) -> list[Answer]:
    """The answers of a response, with campaign, audience and principle copied in for scoring."""
    return [
        Answer(
            response=response,
            item_id=item_id,
            campaign_id=response.campaign_id,
            audience=response.audience,
            principle_id=items[item_id].principle_id,
            value=value,
        )
        for item_id, value in answers.items()
    ]


_ALREADY_SPENT = {
    "invitation": AlreadyAnswered.default_message,
    "code": _("This code has already been used. Each code opens the questionnaire once."),
    "browser": _("The questionnaire has already been answered from this browser. Thank you for taking part!"),
}


def new_response(campaign: Campaign, audience: str, channel: str) -> Response:
    """An unsaved response: the day only, no user, address or token."""
    return Response(campaign=campaign, audience=audience, channel=channel, submitted_on=timezone.localdate())


def _spend(campaign: Campaign, audience: str, kind: str, credential: str) -> None:
    """Record the ballot, then mark the invitation or code used. Runs inside `submit`'s atomic block (a savepoint
    when nested), so that a refused credential leaves nothing behind and the caller's transaction usable."""
    if kind == "invitation":
        invitation = (
            Invitation.objects.filter(token_hash=hash_token(credential), campaign=campaign, audience=audience)
            .values_list("pk", flat=True)
            .first()
        )
        if invitation is None:
            raise InvalidCode
        # The invitation, not its token, is the ballot: a reminder issues a new token for the same person.
        credential = str(invitation)
    elif kind == "code":
        credential = codes.normalise(credential)
    try:
        SpentBallot.objects.create(key=ballot_key(campaign.pk, audience, kind, credential))
    except IntegrityError:  # raising leaves `submit`'s atomic block, which rolls back to its savepoint
        raise AlreadyAnswered(_ALREADY_SPENT[kind]) from None
    if kind == "invitation":
        Invitation.objects.filter(pk=invitation).update(answered=True)
    elif kind == "code":
        marked = CitizenCode.objects.filter(campaign=campaign, code_hash=hash_code(credential), used=False).update(
            used=True
        )
        if not marked:
            raise InvalidCode


def submit(
    campaign: Campaign,
    audience: str,
    answers: dict[int, int | None],
    *,
    channel: str = Channel.WEB,
    credential: str | None = None,
    items: list[Item] | None = None,
) -> Response:
    """Store one questionnaire. `answers` maps item ids to a value on the cycle's scale or None ("don't know");
    skipped items are absent. `items` may pass the questionnaire the caller already loaded (`active_items`)."""
    if not campaign.surveys_open:
        raise SurveyClosed
    if audience not in Audience.values or channel not in Channel.values:
        raise ValueError(f"unknown audience {audience!r} or channel {channel!r}")
    by_pk = {item.pk: item for item in (items if items is not None else active_items(campaign, audience))}
    check_answers(answers, by_pk, Scale.of(campaign))
    kind = None if channel == Channel.PAPER else credential_kind(campaign, audience)
    if kind and not credential:
        raise InvalidCode(_("Please enter the code printed on your leaflet.") if kind == "code" else None)
    with transaction.atomic():
        if kind:
            _spend(campaign, audience, kind, credential)
        response = new_response(campaign, audience, channel)
        response.save()
        Answer.objects.bulk_create(answer_rows(response, answers, by_pk))
        transaction.on_commit(lambda: scoring.forget(campaign.pk))
    return response
