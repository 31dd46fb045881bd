"""The evaluation committee's work: adjusting a level with a written reason (the team's level is kept beside it) and
recording the decision on the label.

Independence is checked here as well as in the permissions: whoever sits on the municipality's team may neither
adjust its levels nor decide on its label, whatever other role they hold.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from civiclink.governance import scoring
from civiclink.governance.assessment import AssessmentError, check_level
from civiclink.governance.models import Campaign, Decision, IndicatorAssessment, Phase, TeamMember

AWARDS = (Decision.LABEL, Decision.RECOGNITION)


class EvaluationError(ValueError):
    """A step the committee cannot take; the message says why, in the visitor's language."""


def _ensure_independent(campaign: Campaign, user) -> None:
    if TeamMember.objects.filter(campaign=campaign, user=user).exists():
        raise EvaluationError(_("Members of the municipality's ELoGE team may not evaluate it."))


def adjust(assessment: IndicatorAssessment, level: int, reason: str, evaluator) -> IndicatorAssessment:
    """Set the committee's level for an indicator; the team's level stays as it was."""
    campaign = assessment.campaign
    reason = (reason or "").strip()
    if level is None:
        raise EvaluationError(_("Choose the level the committee gives."))
    if not reason:
        raise EvaluationError(_("Write why the committee gives another level."))
    try:
        check_level(campaign.cycle.benchmark, level)
    except AssessmentError as error:
        raise EvaluationError(str(error)) from None
    _ensure_independent(campaign, evaluator)
    assessment.adjusted_level = level
    assessment.adjustment_reason = reason
    assessment.adjusted_by = evaluator
    assessment.adjusted_at = timezone.now()
    assessment.save(update_fields=["adjusted_level", "adjustment_reason", "adjusted_by", "adjusted_at"])
    scoring.forget(campaign.pk)
    return assessment


def clear_adjustment(assessment: IndicatorAssessment, evaluator) -> IndicatorAssessment:
    """Go back to the team's level."""
    _ensure_independent(assessment.campaign, evaluator)
    assessment.adjusted_level = None
    assessment.adjustment_reason = ""
    assessment.adjusted_by = None
    assessment.adjusted_at = None
    assessment.save(update_fields=["adjusted_level", "adjustment_reason", "adjusted_by", "adjusted_at"])
    scoring.forget(assessment.campaign_id)
    return assessment


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def label_period(campaign: Campaign, valid_from: datetime.date) -> tuple[datetime.date, datetime.date]:
    return valid_from, add_years(valid_from, campaign.cycle.label_validity_years)


def decide(campaign: Campaign, decision: str, minutes: str, by, valid_from: datetime.date | None = None) -> Campaign:
    """Record the committee's decision once; a label is valid from `valid_from` (default today) for the cycle's
    number of years. The campaign moves on to the decision phase if it was not there yet."""
    if decision not in {Decision.LABEL, Decision.RECOGNITION, Decision.NOT_AWARDED}:
        raise EvaluationError(_("Choose the committee's decision."))
    minutes = (minutes or "").strip()
    if not minutes:
        raise EvaluationError(_("Write the minutes of the committee."))
    _ensure_independent(campaign, by)
    label = decision == Decision.LABEL
    start, end = label_period(campaign, valid_from or timezone.localdate()) if label else (None, None)
    fields = {
        "decision": decision,
        "decision_minutes": minutes,
        "decided_at": timezone.now(),
        "decided_by": by,
        "label_valid_from": start,
        "label_valid_until": end,
    }
    if not campaign.phase_reached(Phase.DECISION):
        fields["phase"] = Phase.DECISION
    if not Campaign.objects.filter(pk=campaign.pk, decision=Decision.PENDING).update(**fields):
        raise EvaluationError(_("The committee's decision has already been recorded."))
    for name, value in fields.items():
        setattr(campaign, name, value)
    return campaign
