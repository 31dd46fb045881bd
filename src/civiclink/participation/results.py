"""Accountability: an accepted proposal becomes a result the municipality reports on with dated updates, until it
is done (or cancelled). The proposal follows: "in progress" when its result is created, "done" when it is done."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civiclink.core.errors import UserError
from civiclink.participation import notify, proposals
from civiclink.participation.models import Proposal, ProposalState, Result, ResultStatus, ResultUpdate


class ResultError(UserError):
    """A change refused, with a message fit to show the person who asked for it."""

    default_message = gettext_lazy("The result could not be changed.")


class NotAccepted(ResultError):
    default_message = gettext_lazy("Only an accepted proposal can become a result. Accept the proposal first.")


class DoneNeedsFullProgress(ResultError):
    default_message = gettext_lazy("A result can only be marked as done at 100 % progress.")


def from_proposal(proposal: Proposal, *, by) -> Result:
    """The result of an accepted proposal, created once (asking again returns it), and the proposal moved to
    "in progress". The proposal's row is locked, so two managers clicking at once create one result."""
    with transaction.atomic():
        proposal.state = Proposal.objects.select_for_update().values_list("state", flat=True).get(pk=proposal.pk)
        if existing := Result.objects.filter(proposal=proposal).first():
            return existing
        if proposal.state != ProposalState.ACCEPTED:
            raise NotAccepted()
        result = Result.objects.create(
            process_id=proposal.process_id, proposal=proposal, title=proposal.title, description=proposal.body
        )
        proposals.change_state(
            proposal,
            ProposalState.IN_PROGRESS,
            by=by,
            reason=_("The municipality has started work on this proposal; its results page reports the progress."),
        )
    notify.event(result, "result", actor=by)
    return result


def add_update(result: Result, *, date, text: str, progress: int, status: str, by) -> ResultUpdate:
    """Record a dated update. The result shows its newest update (by date): an update dated before an existing one
    completes the history without moving the result back. Done, at 100 %, makes the proposal done too."""
    if status == ResultStatus.DONE and progress != 100:
        raise DoneNeedsFullProgress()
    with transaction.atomic():
        locked = Result.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=result.pk)
        newest = not locked.updates.filter(date__gt=date).exists()
        update = ResultUpdate.objects.create(
            result=locked, date=date, text=text, progress=progress, status=status, author=by
        )
        if newest:
            locked.progress, locked.status = progress, status
            locked.save(update_fields=["progress", "status", "updated_at"])
            result.progress, result.status = progress, status
            if status == ResultStatus.DONE and locked.proposal is not None:
                proposals.change_state(locked.proposal, ProposalState.DONE, by=by, reason=text)
    notify.event(result, "result", actor=by, text=text)
    return update


def summary(results: list[Result]) -> dict:
    """Figures for the top of the accountability page, from the results already loaded. Cancelled results count
    as results but not in the average progress nor the budget."""
    standing = [result for result in results if result.status != ResultStatus.CANCELLED]
    budgets = [result.budget for result in standing if result.budget is not None]
    return {
        "count": len(results),
        "done": sum(result.status == ResultStatus.DONE for result in results),
        "average_progress": round(sum(result.progress for result in standing) / len(standing)) if standing else 0,
        "budget": sum(budgets) if budgets else None,
    }
