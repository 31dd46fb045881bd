"""Problems and proposals: submitting and editing them, the municipality's answers and state changes (kept as a
public history), and CSOs' endorsements. Views check who may act (rules, `access.check`); these functions keep
the data consistent and tell followers (`notify.event`)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core.errors import UserError
from civiclink.core.pagecache import expire_pages
from civiclink.participation import following, notify
from civiclink.participation.models import Endorsement, Process, Proposal, ProposalState, StateChange
from civiclink.places.models import Organisation

# What an author fills in (and may change while the proposal waits for evaluation).
AUTHOR_FIELDS = (
    "kind",
    "title",
    "body",
    "category",
    "community",
    "organisation",
    "address",
    "latitude",
    "longitude",
    "photo",
    "photo_alt",
)


REJECTION_NEEDS_REASON = _("Give the reason for rejecting the proposal: its author and supporters will read it.")


class ProposalError(UserError):
    """A change to a proposal refused, with the reason to show."""


def member_organisations(user):
    """The verified organisations `user` belongs to: those they may speak for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, verified=True).order_by("legal_name")


def _check_organisation(user, organisation) -> None:
    if organisation is not None and not member_organisations(user).filter(pk=organisation.pk).exists():
        raise ProposalError(_("You can act only on behalf of a verified organisation you belong to."))


def _check_fields(fields: dict) -> None:
    if unknown := set(fields) - set(AUTHOR_FIELDS):
        raise TypeError(f"not an author's field: {', '.join(sorted(unknown))}")


def create_proposal(process: Process, *, author, **fields) -> Proposal:
    """Store a new proposal of `author` (None or an anonymous user where the process lets anyone submit)."""
    _check_fields(fields)
    signed_in = author is not None and author.is_authenticated
    if signed_in:
        _check_organisation(author, fields.get("organisation"))
    else:
        fields.pop("organisation", None)
    with transaction.atomic():
        proposal = Proposal.objects.create(process=process, author=author if signed_in else None, **fields)
        following.follow_own_proposal(proposal)
    return proposal


def may_edit(user, proposal: Proposal) -> bool:
    """Authors may correct their proposal until the municipality starts evaluating it."""
    return (
        user.is_authenticated
        and proposal.author_id == user.pk
        and proposal.state == ProposalState.SUBMITTED
        and not proposal.is_hidden
    )


def update(proposal: Proposal, *, by, **fields) -> Proposal:
    """Change what the author wrote; only the author, only while the proposal is submitted."""
    if not may_edit(by, proposal):
        raise ProposalError(_("Only the author can change a proposal, and only until its evaluation starts."))
    _check_fields(fields)
    _check_organisation(by, fields.get("organisation"))
    for name, value in fields.items():
        setattr(proposal, name, value)
    with transaction.atomic():
        # Only while still submitted: an officer may have moved it since the page was read.
        if not Proposal.objects.select_for_update().filter(pk=proposal.pk, state=ProposalState.SUBMITTED).exists():
            raise ProposalError(_("The municipality has started evaluating this proposal, so it can no longer change."))
        proposal.save(update_fields=[*fields, "updated_at"])
    return proposal


def change_state(proposal: Proposal, state: str, *, by, reason: str = "") -> bool:
    """Move the proposal to `state`, record the change with its reason and tell followers. A rejection needs a
    reason, which also becomes the public answer when there is none yet. False if it already is in `state`."""
    if state not in ProposalState.values:
        raise ProposalError(_("Choose one of the states a proposal can have."))
    reason = reason.strip()
    if state == ProposalState.REJECTED and not reason:
        raise ProposalError(REJECTION_NEEDS_REASON)
    old_state = proposal.state
    if state == old_state:
        return False
    now = timezone.now()
    changes = {"state": state, "updated_at": now}
    if state == ProposalState.REJECTED and not proposal.answer:
        changes |= {"answer": reason, "answered_at": now}
    with transaction.atomic():
        if not Proposal.objects.filter(pk=proposal.pk, state=old_state).update(**changes):
            raise ProposalError(_("Someone changed this proposal's state meanwhile. Please look at it again."))
        StateChange.objects.create(
            proposal=proposal, old_state=old_state, new_state=state, reason=reason, changed_by=_user_or_none(by)
        )
        transaction.on_commit(expire_pages)
    for name, value in changes.items():
        setattr(proposal, name, value)
    notify.event(proposal, "state", actor=_user_or_none(by), text=reason)
    return True


def answer(proposal: Proposal, text: str, *, by) -> bool:
    """Publish the municipality's answer (or a corrected one) and tell followers. False if nothing changed."""
    text = text.strip()
    if not text:
        raise ProposalError(_("Write the answer of the municipality."))
    if text == proposal.answer:
        return False
    proposal.answer = text
    proposal.answered_at = timezone.now()
    proposal.save(update_fields=["answer", "answered_at", "updated_at"])
    notify.event(proposal, "answered", actor=_user_or_none(by), text=text)
    return True


def endorse(proposal: Proposal, organisation: Organisation, *, by) -> bool:
    """`organisation` stands behind the proposal; False if it already did."""
    _check_organisation(by, organisation)
    try:
        with transaction.atomic():
            Endorsement.objects.create(proposal=proposal, organisation=organisation, endorsed_by=by)
    except IntegrityError:
        return False
    return True


def unendorse(proposal: Proposal, organisation: Organisation, *, by) -> bool:
    """Withdraw the organisation's endorsement; False if there was none."""
    _check_organisation(by, organisation)
    deleted, _rows = Endorsement.objects.filter(proposal=proposal, organisation=organisation).delete()
    return bool(deleted)


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None
