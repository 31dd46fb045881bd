"""A campaign's life: registration, team, moving through the phases."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civiclink.governance.models import PHASE_ORDER, Campaign, Cycle, Phase, TeamMember


class PhaseError(ValueError):
    """A campaign cannot move to the phase asked for; the message says why, in the visitor's language."""


@transaction.atomic
def register(cycle: Cycle, municipality, coordinator=None) -> Campaign:
    campaign, _created = Campaign.objects.get_or_create(cycle=cycle, municipality=municipality)
    if coordinator is not None:
        TeamMember.objects.get_or_create(
            campaign=campaign, user=coordinator, defaults={"role": TeamMember.Role.COORDINATOR}
        )
    return campaign


def next_phase(campaign: Campaign) -> str | None:
    index = PHASE_ORDER.index(campaign.phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def advance(campaign: Campaign) -> Campaign:
    """Move to the next phase, if what the current one must produce is there."""
    target = next_phase(campaign)
    if target is None:
        raise PhaseError(_("The campaign is already in its last phase."))
    if target == Phase.ASSESSMENT and not campaign.team_members.exists():
        raise PhaseError(_("Name the municipality's ELoGE team first."))
    if target == Phase.EVALUATION and campaign.self_assessment_submitted_at is None:
        raise PhaseError(_("The self-assessment has not been submitted yet."))
    if target == Phase.ACTION_PLAN and campaign.decision == "pending":
        raise PhaseError(_("The committee has not decided yet."))
    updated = Campaign.objects.filter(pk=campaign.pk, phase=campaign.phase).update(phase=target)
    if not updated:
        raise PhaseError(_("Someone else changed the phase in the meantime; reload the page."))
    campaign.phase = target
    return campaign
