"""The action plan: measures for the principles the assessment found weak, their progress, and overdue notices."""

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civiclink.governance.models import Measure, MeasureUpdate, Principle, Source, TeamMember
from civiclink.governance.scoring import Results

# A measure overdue for longer is reminded about again after this many days, not every day.
REMIND_EVERY_DAYS = 7


@dataclass
class Finding:
    """A principle the action plan should answer, and why."""

    principle: Principle
    reason: str
    score: float | None
    gap: float | None = None


def findings(results: Results, largest_gaps: int = 3, min_gap: float = 10.0) -> list[Finding]:
    """Principles below the cycle's minimum, then those with the largest self-versus-citizens perception gaps."""
    minimum = results.campaign.cycle.min_principle_score
    found = [
        Finding(result.principle, Measure.Reason.BELOW_MINIMUM, result.combined)
        for result in results.principles
        if result.combined is not None and result.combined < minimum
    ]
    weak = {finding.principle.pk for finding in found}
    for result in results.largest_gaps(Source.CITIZENS, largest_gaps):
        gap = result.gaps[Source.CITIZENS]
        if result.principle.pk not in weak and abs(gap) >= min_gap:
            found.append(Finding(result.principle, Measure.Reason.PERCEPTION_GAP, result.combined, gap))
    return found


@transaction.atomic
def record_progress(measure: Measure, author, progress: int, status: str, text: str) -> MeasureUpdate:
    """A dated update; the measure shows the latest progress and status."""
    if status == Measure.Status.DONE:
        progress = 100
    update = MeasureUpdate.objects.create(measure=measure, author=author, progress=progress, status=status, text=text)
    Measure.objects.filter(pk=measure.pk).update(progress=progress, status=status)
    measure.progress, measure.status = progress, status
    return update


def overdue_measures(today: datetime.date):
    """Open measures past their deadline whose team has not been told in the last week."""
    return (
        Measure.objects.filter(deadline__lt=today, status__in=[Measure.Status.PLANNED, Measure.Status.IN_PROGRESS])
        .exclude(overdue_notified_on__gt=today - datetime.timedelta(days=REMIND_EVERY_DAYS))
        .select_related("campaign__municipality", "campaign__cycle")
        .order_by("campaign_id", "deadline")
    )


def notify_overdue(today: datetime.date | None = None, base_url: str = "") -> int:
    """E-mail each team with overdue measures (one message per team); returns the number of teams told.

    Run daily (cron or a scheduler: `civiclink governance notify-overdue`); a team hears again after a week.
    """
    today = today or timezone.localdate()
    by_campaign: dict[int, list[Measure]] = {}
    for measure in overdue_measures(today):
        by_campaign.setdefault(measure.campaign_id, []).append(measure)
    recipients = {}
    for campaign_id, email in TeamMember.objects.filter(
        campaign_id__in=by_campaign, role__in=[TeamMember.Role.OFFICER, TeamMember.Role.COORDINATOR]
    ).values_list("campaign_id", "user__email"):
        recipients.setdefault(campaign_id, []).append(email)
    notified = 0
    for campaign_id, measures in by_campaign.items():
        if not recipients.get(campaign_id):
            continue
        campaign = measures[0].campaign
        with translation.override(campaign.municipality.language or None):
            context = {"campaign": campaign, "measures": measures, "today": today, "base_url": base_url}
            send_mail(
                _("ELoGE action plan: %(count)s overdue measure(s) in %(municipality)s")
                % {"count": len(measures), "municipality": campaign.municipality.display_name},
                render_to_string("governance/plan/overdue_email.txt", context),
                None,
                recipients[campaign_id],
            )
        Measure.objects.filter(pk__in=[measure.pk for measure in measures]).update(overdue_notified_on=today)
        notified += 1
    return notified
