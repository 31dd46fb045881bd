"""Who may do what in the ELoGE benchmark. Used by views, templates and the API alike.

Object of every campaign rule: a `Campaign`. The team fills in the self-assessment and runs the surveys; the
cycle's evaluation committee reviews and decides, and its members may not sit on the team they evaluate; staff of
the platform and of CivicLink oversee everything.
"""

import rules

from civiclink.accounts.rules import is_staff_member, is_trainer
from civiclink.governance.models import Decision, Phase, TeamMember
from civiclink.places.rules import is_municipal_officer


def _team_roles(user) -> dict[int, str]:
    """{campaign id: team role} for the user, loaded once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_governance_team_roles", None)
    if cached is None:
        cached = user._governance_team_roles = dict(
            TeamMember.objects.filter(user=user).values_list("campaign_id", "role")
        )
    return cached


def _evaluated_cycles(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_governance_cycles", None)
    if cached is None:
        cached = user._governance_cycles = set(user.governance_cycles.values_list("pk", flat=True))
    return cached


def _platforms(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_governance_platforms", None)
    if cached is None:
        cached = user._governance_platforms = set(user.governance_platforms.values_list("pk", flat=True))
    return cached


@rules.predicate
def is_team_member(user, campaign) -> bool:
    return campaign is not None and campaign.pk in _team_roles(user)


@rules.predicate
def is_team_officer(user, campaign) -> bool:
    """A team member who answers for the municipality (a mentor advises but does not fill in)."""
    return campaign is not None and _team_roles(user).get(campaign.pk) in {
        TeamMember.Role.OFFICER,
        TeamMember.Role.COORDINATOR,
    }


@rules.predicate
def is_committee_member(user, campaign) -> bool:
    return campaign is not None and campaign.cycle_id in _evaluated_cycles(user)


@rules.predicate
def is_platform_team(user, campaign) -> bool:
    return campaign is not None and campaign.cycle.platform_id in _platforms(user)


@rules.predicate
def self_assessment_editable(user, campaign) -> bool:
    return campaign is not None and campaign.self_assessment_editable


@rules.predicate
def surveys_open(user, campaign) -> bool:
    return campaign is not None and campaign.surveys_open


@rules.predicate
def in_evaluation(user, campaign) -> bool:
    return campaign is not None and campaign.phase == Phase.EVALUATION


@rules.predicate
def awaiting_decision(user, campaign) -> bool:
    return (
        campaign is not None
        and campaign.phase in {Phase.EVALUATION, Phase.DECISION}
        and campaign.decision == Decision.PENDING
    )


@rules.predicate
def results_published(user, campaign) -> bool:
    return campaign is not None and campaign.results_public


@rules.predicate
def plan_open(user, campaign) -> bool:
    return campaign is not None and campaign.phase_reached(Phase.ACTION_PLAN)


overseer = is_staff_member | is_platform_team
may_mentor = is_trainer
independent_evaluator = is_committee_member & ~is_team_member

rules.add_perm("governance.view_benchmark", rules.always_allow)
rules.add_perm("governance.adapt_benchmark", is_staff_member)
rules.add_perm("governance.view_campaign", rules.always_allow)
# Object: the municipality that takes part.
rules.add_perm("governance.register_municipality", is_municipal_officer | is_staff_member)
rules.add_perm("governance.view_campaign_workspace", is_team_member | is_committee_member | overseer)
rules.add_perm("governance.manage_campaign", is_team_officer | overseer)
rules.add_perm("governance.change_phase", overseer)
rules.add_perm("governance.edit_self_assessment", is_team_officer & self_assessment_editable)
rules.add_perm("governance.submit_self_assessment", is_team_officer & self_assessment_editable)
rules.add_perm("governance.view_self_assessment", is_team_member | is_committee_member | overseer)
rules.add_perm("governance.manage_invitations", (is_team_officer | overseer) & surveys_open)
rules.add_perm("governance.answer_citizen_survey", surveys_open)
rules.add_perm("governance.enter_paper_responses", (is_team_officer | overseer) & surveys_open)
rules.add_perm("governance.adjust_level", independent_evaluator & in_evaluation)
rules.add_perm("governance.decide", (independent_evaluator | is_staff_member) & awaiting_decision)
rules.add_perm("governance.view_results", results_published | is_team_member | is_committee_member | overseer)
rules.add_perm("governance.export_responses", is_team_officer | is_committee_member | overseer)
rules.add_perm("governance.publish_results", is_team_officer | overseer)
rules.add_perm("governance.view_action_plan", (results_published & plan_open) | is_team_member | overseer)
rules.add_perm("governance.manage_action_plan", (is_team_officer | overseer) & plan_open)

# The back office (Wagtail snippets) asks Django's model permissions: staff manage platforms, cycles, campaigns
# and the catalogue there. (Anyone may view a campaign or a benchmark on the site: those rules stand above.)
for model in ("platform", "cycle", "campaign", "benchmark", "principle", "indicator", "item"):
    for action in ("view", "add", "change", "delete"):
        if not rules.perm_exists(f"governance.{action}_{model}"):
            rules.add_perm(f"governance.{action}_{model}", is_staff_member)
