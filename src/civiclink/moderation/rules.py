"""Who moderates: platform moderators (and staff) everything; municipal officers their own municipality's
contributions, found through each registered kind's `municipality` lookup. Blocking accounts stays with moderators;
reporting is open to everyone."""

import rules

from civiclink.accounts.rules import is_moderator
from civiclink.moderation import registry
from civiclink.places.rules import officer_municipality_ids


@rules.predicate
def is_officer_somewhere(user) -> bool:
    return bool(officer_municipality_ids(user))


@rules.predicate
def is_officer_of_contribution(user, contribution) -> bool:
    """The contribution belongs to a municipality where the user is an officer (one query, for officers only)."""
    if contribution is None or not (ids := officer_municipality_ids(user)):
        return False
    lookup = registry.entry(type(contribution)).municipality
    if lookup is None:
        return False
    manager = type(contribution)._default_manager
    return manager.filter(pk=contribution.pk, **{f"{lookup}__in": ids}).exists()


# Anyone reports, also without an account: the threshold, one report per reporter and rate limits are the defence.
rules.add_perm("moderation.report", rules.always_allow)
rules.add_perm("moderation.view_queue", is_moderator | is_officer_somewhere)
rules.add_perm("moderation.moderate", is_moderator | is_officer_of_contribution)
rules.add_perm("moderation.block_user", is_moderator)
