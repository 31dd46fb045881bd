"""May this person do this action of this feature in this process, now? And if not, what would let them?

The answer comes from the registry (the feature's actions), the process (features switched on), the running phase
(capabilities granted to an audience) and the person (account, verified address, residency, CSO membership,
moderation block). Views, templates, rules and the API all ask `check`; the interface shows `Access.reason` and
`Access.next_step` instead of hiding what a visitor cannot do yet.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from civiclink.participation.features import registry
from civiclink.participation.models import Audience, Phase, Process


class Need:
    """Why an action is refused; each names what would open it."""

    NOTHING = ""
    FEATURE = "feature"  # the process does not use the feature
    PHASE = "phase"  # no running phase opens the action
    LOGIN = "login"
    VERIFY_EMAIL = "verify"
    RESIDENT = "resident"
    CSO = "cso"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Access:
    allowed: bool
    need: str = Need.NOTHING
    reason: str = ""
    next_step: str = ""  # a URL that helps, e.g. the login page

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Access(True)


def enabled(process: Process, feature: str) -> bool:
    return feature in _enabled_features(process)


def _enabled_features(process: Process) -> dict[str, dict]:
    cached = getattr(process, "_features", None)
    if cached is None:
        cached = process._features = {row.feature: row.settings for row in process.features.all()}
    return cached


def feature_settings(process: Process, feature: str) -> dict:
    """The feature's settings in this process, each defaulted and cleaned by its declaration."""
    return registry[feature].clean_settings(_enabled_features(process).get(feature, {}))


def granted(phase: Phase | None, feature: str, action: str) -> str | None:
    """The audience `phase` opens the action to, or None."""
    if phase is None:
        return None
    granted_here = getattr(phase, "_granted", None)
    if granted_here is None:
        granted_here = phase._granted = {(c.feature, c.action): c.audience for c in phase.capabilities.all()}
    return granted_here.get((feature, action))


def _next_opening(process: Process, feature: str, action: str) -> Phase | None:
    current = process.current_phase
    for phase in process.phases.all():
        if (
            phase != current
            and phase.starts_at > (current.starts_at if current else phase.starts_at)
            and granted(phase, feature, action)
        ):
            return phase
    return None


def _user_facts(user) -> dict:
    """What the audience checks need about a user, loaded once per request."""
    cached = getattr(user, "_participation_facts", None)
    if cached is None:
        from allauth.account.models import EmailAddress

        from civiclink.moderation.guards import is_blocked
        from civiclink.places.models import OrganisationMembership

        cached = user._participation_facts = {
            "verified": EmailAddress.objects.filter(user=user, verified=True).exists(),
            "residencies": set(user.residencies.values_list("municipality_id", flat=True)),
            "cso": OrganisationMembership.objects.filter(user=user, organisation__verified=True).exists(),
            "blocked": is_blocked(user),
        }
    return cached


def _audience_need(user, process: Process, audience: str) -> str:
    if audience == Audience.ANYONE:
        return Need.NOTHING
    if not user.is_authenticated:
        return Need.LOGIN
    facts = _user_facts(user)
    if audience == Audience.VERIFIED_EMAIL and not facts["verified"]:
        return Need.VERIFY_EMAIL
    if audience == Audience.RESIDENT and process.municipality_id not in facts["residencies"]:
        return Need.RESIDENT
    if audience == Audience.CSO_MEMBER and not facts["cso"]:
        return Need.CSO
    return Need.NOTHING


def _explain(need: str, process: Process, label: str, opening: Phase | None) -> tuple[str, str]:
    if need == Need.PHASE:
        if opening:
            when = date_format(localtime(opening.starts_at), "DATE_FORMAT")
            return _("You will be able to %(action)s from %(date)s.") % {"action": label, "date": when}, ""
        return _("It is not possible to %(action)s in this phase of the process.") % {"action": label}, ""
    if need == Need.LOGIN:
        return _("Log in to %(action)s.") % {"action": label}, reverse("account_login")
    if need == Need.VERIFY_EMAIL:
        return _("Verify your e-mail address to %(action)s.") % {"action": label}, reverse("account_email")
    if need == Need.RESIDENT:
        return (
            _("You need to be a verified resident of %(municipality)s to %(action)s. Enter your resident code.")
            % {"municipality": process.municipality.display_name, "action": label},
            reverse("participation:residency", args=[process.municipality.slug]),
        )
    if need == Need.CSO:
        return _("Only members of a civil-society organisation can %(action)s.") % {"action": label}, ""
    if need == Need.BLOCKED:
        return _("Your account has been blocked by the moderators, so you cannot %(action)s.") % {"action": label}, ""
    return _("This process does not offer this."), ""


def check(user, process: Process, feature: str, action: str) -> Access:
    """Whether `user` may do `action` of `feature` in `process` now; `Access.reason` says what would open it."""
    label = registry[feature].action(action).label
    if not enabled(process, feature) or any(not enabled(process, needed) for needed in registry[feature].requires):
        need = Need.FEATURE
    elif (audience := granted(process.current_phase, feature, action)) is None:
        need = Need.PHASE
    else:
        need = _audience_need(user, process, audience)
        if need == Need.NOTHING and user.is_authenticated and _user_facts(user)["blocked"]:
            need = Need.BLOCKED
    if need == Need.NOTHING:
        return ALLOWED
    opening = _next_opening(process, feature, action) if need == Need.PHASE else None
    reason, next_step = _explain(need, process, label, opening)
    return Access(False, need, reason, next_step)


def capabilities(user, process: Process) -> dict[str, Access]:
    """{"feature.action": Access} for every action of the features the process uses: what templates show."""
    return {
        f"{feature.key}.{action.name}": check(user, process, feature.key, action.name)
        for feature in registry
        if enabled(process, feature.key)
        for action in feature.actions
    }
