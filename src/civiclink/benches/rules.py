"""Who may see and run the fleet of benches.

Staff manage every bench; a municipal officer sees and manages the benches in their municipality's local
communities (their dashboard, configuration, claim codes and revocation). Open data needs no rule."""

import rules

from civiclink.accounts.rules import is_staff_member
from civiclink.places.rules import officer_municipality_ids


@rules.predicate
def is_officer_somewhere(user) -> bool:
    return bool(officer_municipality_ids(user))


@rules.predicate
def is_bench_officer(user, bench) -> bool:
    return bench is not None and bench.community.municipality_id in officer_municipality_ids(user)


@rules.predicate
def is_municipality_officer(user, municipality) -> bool:
    return municipality is not None and municipality.pk in officer_municipality_ids(user)


rules.add_perm("benches.view_fleet", is_staff_member | is_officer_somewhere)
rules.add_perm("benches.view_bench", is_staff_member | is_bench_officer)
rules.add_perm("benches.manage_bench", is_staff_member | is_bench_officer)
rules.add_perm("benches.add_bench", is_staff_member | is_municipality_officer)
rules.add_perm("benches.view_dead_letters", is_staff_member)
