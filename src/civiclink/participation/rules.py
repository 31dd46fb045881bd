"""Who may do what in participatory processes. Object of every rule: a `Process` (a `Municipality` for residents).

Citizens' actions ("participation.support", ...) are generated from the feature registry and answered by
`access.check`: the phase and its audience decide. Managing a process belongs to the municipality's officers and
to staff; moderating to moderators and, for their own processes, to the officers.
"""

import rules

from civiclink.accounts.rules import is_moderator, is_staff_member
from civiclink.participation import access
from civiclink.participation.features import registry
from civiclink.places.rules import is_municipal_officer, officer_municipality_ids


def _may(feature: str, action: str):
    @rules.predicate(name=f"may:{feature}.{action}")
    def predicate(user, process) -> bool:
        return process is not None and access.check(user, process, feature, action).allowed

    return predicate


@rules.predicate
def is_process_officer(user, process) -> bool:
    return process is not None and is_municipal_officer(user, process.municipality)


@rules.predicate
def is_officer_somewhere(user) -> bool:
    return bool(officer_municipality_ids(user))


@rules.predicate
def is_published(user, process) -> bool:
    return process is not None and process.published


can_manage = is_staff_member | is_process_officer

for feature in registry:
    for action in feature.actions:
        rules.add_perm(f"participation.{action.name}", _may(feature.key, action.name))

rules.add_perm("participation.view_process", is_published | can_manage)
rules.add_perm("participation.add_process", is_staff_member | is_officer_somewhere)
rules.add_perm("participation.manage_process", can_manage)
rules.add_perm("participation.answer_proposal", can_manage)
rules.add_perm("participation.moderate", is_moderator | is_process_officer)
rules.add_perm("participation.verify_residents", is_staff_member | is_municipal_officer)
