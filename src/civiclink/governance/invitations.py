"""Who is asked to answer: one-time links e-mailed to councillors and staff, reminders, response rates, and the
one-time codes printed on citizens' leaflets.

Only hashes of tokens and codes are stored, so the database alone opens no questionnaire. A reminder therefore
cannot repeat the first link: it issues a fresh token and the old link stops working (the mail says so). One
answer per invitation holds across such rotations, since the ballot is keyed on the invitation (`responses`).
"""

import datetime
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civiclink.core import codes
from civiclink.core.i18n import date_in_sentence
from civiclink.governance.models import Audience, Campaign, CitizenCode, Invitation, Phase
from civiclink.governance.responses import hash_code, hash_token

INVITED_AUDIENCES = (Audience.COUNCILLORS, Audience.STAFF)
REMINDER_INTERVAL = datetime.timedelta(days=7)
MAX_REMINDERS = 3
MAX_CODES_PER_BATCH = 5000

_INTRO = {
    Audience.COUNCILLORS: gettext_lazy(
        "%(municipality)s is taking part in the European Label of Governance Excellence (ELoGE). As a member of "
        "the municipal council, you are invited to answer a short questionnaire on how the municipality is "
        "governed. It takes about ten minutes."
    ),
    Audience.STAFF: gettext_lazy(
        "%(municipality)s is taking part in the European Label of Governance Excellence (ELoGE). As a member of "
        "the municipal staff, you are invited to answer a short questionnaire on how the municipality is "
        "governed. It takes about ten minutes."
    ),
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def invitation_link(token: str, base_url: str | None = None) -> str:
    """The absolute link, in the active language; `base_url` is the site as the request saw it."""
    return (base_url or settings.SITE_URL).rstrip("/") + reverse("governance:invited_survey", args=[token])


def _send(invitation: Invitation, token: str, base_url: str | None, reminder: bool) -> None:
    campaign = invitation.campaign
    place = {"municipality": campaign.municipality.display_name}
    paragraphs = [
        _("Dear %(name)s,") % {"name": invitation.name} if invitation.name else _("Hello,"),
        str(_INTRO[invitation.audience]) % place,
    ]
    if reminder:
        paragraphs.append(
            _(
                "We have not received your answers yet. This reminder carries a new link: the link we sent you "
                "before no longer works."
            )
        )
    paragraphs += [
        invitation_link(token, base_url),
        _(
            "Your answers are anonymous: they are stored without your name, your e-mail address or this link. "
            "The link is personal and can be used once, so please do not forward it."
        ),
    ]
    if closes := campaign.cycle.assessment_closes:
        paragraphs.append(_("The questionnaire is open until %(date)s.") % {"date": date_in_sentence(closes)})
    subject = _("Reminder: questionnaire on good governance in %(municipality)s") if reminder else None
    subject = subject or _("Questionnaire on good governance in %(municipality)s")
    send_mail(subject % place, "\n\n".join(paragraphs) + "\n", None, [invitation.email])


def invite(
    campaign: Campaign,
    audience: str,
    emails: list[str],
    names: list[str] | None = None,
    *,
    base_url: str | None = None,
) -> list[Invitation]:
    """Invite each address once: addresses already invited to this questionnaire are left alone (no second mail).
    Returns the invitations created now."""
    if audience not in INVITED_AUDIENCES:
        raise ValueError(f"only councillors and staff are invited, not {audience!r}")
    wanted: dict[str, str] = {}
    for email, name in zip(emails, names or [""] * len(emails), strict=True):
        wanted.setdefault(email.strip().lower(), (name or "").strip())
    known = set(
        Invitation.objects.filter(campaign=campaign, audience=audience, email__in=wanted).values_list(
            "email", flat=True
        )
    )
    created = []
    for email, name in wanted.items():
        if email in known:
            continue
        token = new_token()
        invitation = Invitation(
            campaign=campaign,
            audience=audience,
            email=email,
            name=name,
            token_hash=hash_token(token),
            sent_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:  # invited at the same moment from another request
            continue
        _send(invitation, token, base_url, reminder=False)
        created.append(invitation)
    return created


def remind(invitation: Invitation, *, base_url: str | None = None, now: datetime.datetime | None = None) -> bool:
    """Send a reminder with a fresh link, unless the person answered or was reminded meanwhile."""
    token = new_token()
    rotated = Invitation.objects.filter(
        pk=invitation.pk, answered=False, reminders=invitation.reminders, reminders__lt=MAX_REMINDERS
    ).update(token_hash=hash_token(token), reminders=F("reminders") + 1, reminded_at=now or timezone.now())
    if not rotated:
        return False
    invitation.refresh_from_db(fields=["token_hash", "reminders", "reminded_at"])
    _send(invitation, token, base_url, reminder=True)
    return True


def _remind_all(invitations: QuerySet, base_url: str | None, now: datetime.datetime, own_language: bool) -> int:
    sent = 0
    for invitation in invitations.select_related("campaign__municipality", "campaign__cycle"):
        language = invitation.campaign.municipality.language if own_language else translation.get_language()
        with translation.override(language):
            sent += remind(invitation, base_url=base_url, now=now)
    return sent


def pending(campaign: Campaign) -> QuerySet:
    """Invitations that may still be reminded."""
    return Invitation.objects.filter(campaign=campaign, answered=False, reminders__lt=MAX_REMINDERS)


def remind_unanswered(campaign: Campaign, *, base_url: str | None = None) -> int:
    """The team's "remind those who have not answered" button: everyone not yet at the last reminder."""
    return _remind_all(pending(campaign), base_url, timezone.now(), own_language=False)


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """The periodic job: in open campaigns, remind those invited or last reminded more than a week ago, three
    times at most, each in the language of their municipality."""
    now = now or timezone.now()
    due_before = now - REMINDER_INTERVAL
    due = Invitation.objects.filter(
        answered=False, reminders__lt=MAX_REMINDERS, sent_at__lt=due_before, campaign__phase=Phase.ASSESSMENT
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=due_before))
    return _remind_all(due, None, now, own_language=True)


def response_rate(campaign: Campaign) -> dict[str, tuple[int, int]]:
    """{audience: (answered, invited)} for councillors and staff."""
    rate = dict.fromkeys(INVITED_AUDIENCES, (0, 0))
    rows = (
        Invitation.objects.filter(campaign=campaign)
        .values("audience")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
        .order_by()
    )
    for row in rows:
        rate[row["audience"]] = (row["answered"], row["invited"])
    return rate


# --- Citizen codes -----------------------------------------------------------------------------------------------


def issue_codes(campaign: Campaign, count: int) -> list[str]:
    """`count` new one-time codes as a new print batch. Only their hashes are kept: show them now or never."""
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValueError(f"between 1 and {MAX_CODES_PER_BATCH} codes at a time")
    batch = (CitizenCode.objects.filter(campaign=campaign).aggregate(last=Max("batch"))["last"] or 0) + 1
    return codes.issue(
        count,
        lambda drawn: CitizenCode.objects.bulk_create(
            CitizenCode(campaign=campaign, code_hash=hash_code(code), batch=batch) for code in drawn
        ),
    )


def code_counts(campaign: Campaign) -> tuple[int, int]:
    """(issued, used)"""
    counts = CitizenCode.objects.filter(campaign=campaign).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    return counts["issued"], counts["used"]
