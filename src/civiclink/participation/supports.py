"""Supporting proposals: one support per person per proposal, an optional limit per person per process, and an
optional threshold that sends a proposal to evaluation.

Counts stay exact under concurrent requests because the database decides, never a read-then-write in Python:
the unique (proposal, user) constraint lets one support through, the allowance is taken by a conditional UPDATE
(`used < limit`), the counter moves by F() in the same transaction, and the move to evaluation is a conditional
UPDATE (`state = submitted`) that only one transaction can win. Every transaction takes its row locks in the same
order (support, allowance, proposal), so a support and a withdrawal cannot deadlock.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiclink.core.errors import UserError
from civiclink.core.pagecache import expire_pages
from civiclink.participation import access, notify
from civiclink.participation.features import registry
from civiclink.participation.models import Proposal, ProposalState, StateChange, Support, SupportAllowance

SUPPORTABLE = (ProposalState.SUBMITTED, ProposalState.EVALUATION)


class SupportRefused(UserError):
    """A support refused, with the reason to show."""


class _Duplicate(Exception):
    """Rolls back the allowance taken for a support that turned out to exist already."""


def supportable(proposal: Proposal) -> bool:
    return proposal.state in SUPPORTABLE


def _check_state(proposal: Proposal) -> None:
    if not supportable(proposal):
        raise SupportRefused(
            _("Supports can no longer be given or withdrawn: the proposal is now “%(state)s”.")
            % {"state": proposal.get_state_display()}
        )


def support(proposal: Proposal, user) -> bool:
    """Add `user`'s support; False when they already support it. Raises `SupportRefused` when the proposal is past
    evaluation or the user has used all the supports the process allows. `proposal.process` must come with its
    features (as `views.common.processes_with_phases` reads it)."""
    _check_state(proposal)
    if Support.objects.filter(proposal=proposal, user=user).exists():
        return False
    settings = access.feature_settings(proposal.process, "supports")
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Support.objects.create(proposal=proposal, user=user)
            except IntegrityError:
                raise _Duplicate from None
            if settings.get("limit"):
                _take_allowance(proposal, user, settings["limit"])
            counted = Proposal.objects.filter(pk=proposal.pk, state__in=SUPPORTABLE).update(
                support_count=F("support_count") + 1
            )
            if not counted:  # moved past evaluation since we looked
                _check_state(Proposal.objects.get(pk=proposal.pk))
            moved = settings.get("threshold") and _move_to_evaluation(proposal, settings["threshold"])
    except _Duplicate:
        return False
    transaction.on_commit(expire_pages)
    if moved:
        notify.event(proposal, "state")
    return True


def _take_allowance(proposal: Proposal, user, limit: int) -> None:
    SupportAllowance.objects.bulk_create(
        [SupportAllowance(process_id=proposal.process_id, user=user)], ignore_conflicts=True
    )
    taken = SupportAllowance.objects.filter(process_id=proposal.process_id, user=user, used__lt=limit).update(
        used=F("used") + 1
    )
    if not taken:
        raise SupportRefused(
            _("You have already used all %(limit)s supports of this process. Withdraw one to support this proposal.")
            % {"limit": limit}
        )


def _move_to_evaluation(proposal: Proposal, threshold: int) -> bool:
    """Send the proposal to evaluation if this support reached the threshold; only one transaction can."""
    moved = Proposal.objects.filter(pk=proposal.pk, state=ProposalState.SUBMITTED, support_count__gte=threshold).update(
        state=ProposalState.EVALUATION
    )
    if moved:
        StateChange.objects.create(
            proposal=proposal,
            old_state=ProposalState.SUBMITTED,
            new_state=ProposalState.EVALUATION,
            reason=_("The proposal reached %(threshold)s supports.") % {"threshold": threshold},
            automatic=True,
        )
        proposal.state = ProposalState.EVALUATION
    return bool(moved)


def withdraw(proposal: Proposal, user) -> bool:
    """Take back `user`'s support; False when there was none. The allowance gets the support back."""
    _check_state(proposal)
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
        if not deleted:
            return False
        SupportAllowance.objects.filter(process_id=proposal.process_id, user=user, used__gt=0).update(
            used=F("used") - 1
        )
        Proposal.objects.filter(pk=proposal.pk, support_count__gt=0).update(support_count=F("support_count") - 1)
    transaction.on_commit(expire_pages)
    return True


def may_support(user, process) -> access.Access:
    """`access.check`, and an account: a support belongs to a person, even where a phase opens it to anyone."""
    result = access.check(user, process, "supports", "support")
    if result.allowed and not user.is_authenticated:
        label = registry["supports"].action("support").label
        reason = _("Log in to %(action)s.") % {"action": label}
        return access.Access(False, access.Need.LOGIN, reason, reverse("account_login"))
    return result


def allowance_left(process, user) -> int | None:
    """How many more proposals `user` may support in `process`; None when the process sets no limit."""
    limit = access.feature_settings(process, "supports").get("limit")
    if not limit:
        return None
    if not user.is_authenticated:
        return limit
    used = SupportAllowance.objects.filter(process=process, user=user).values_list("used", flat=True).first()
    return max(limit - (used or 0), 0)
