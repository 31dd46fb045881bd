"""Who may do what in the directory and the CSO network. Used by views, templates and the API alike."""

import rules

from civiclink.accounts.rules import is_staff_member
from civiclink.places.models import MunicipalRole, OrganisationMembership


def _organisation_roles(user) -> dict[int, str]:
    """{organisation id: role} for the user, loaded once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_organisation_roles", None)
    if cached is None:
        cached = user._organisation_roles = dict(user.organisation_memberships.values_list("organisation_id", "role"))
    return cached


def _municipal_roles(user) -> set[tuple[int, str]]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_municipal_roles", None)
    if cached is None:
        cached = user._municipal_roles = set(user.municipal_roles.values_list("municipality_id", "role"))
    return cached


def municipal_roles_loaded(user) -> bool:
    """Whether this request already read the user's municipal roles (so asking again costs no query)."""
    return getattr(user, "_municipal_roles", None) is not None


def officer_municipality_ids(user) -> set[int]:
    return {pk for pk, role in _municipal_roles(user) if role == MunicipalRole.Role.OFFICER}


def admin_organisation_ids(user) -> set[int]:
    return {org_id for org_id, role in _organisation_roles(user).items() if role == OrganisationMembership.Role.ADMIN}


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in _organisation_roles(user)


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    return organisation is not None and organisation.pk in admin_organisation_ids(user)


@rules.predicate
def is_municipal_officer(user, municipality) -> bool:
    return municipality is not None and (municipality.pk, MunicipalRole.Role.OFFICER) in _municipal_roles(user)


@rules.predicate
def is_councillor(user, municipality) -> bool:
    return municipality is not None and (municipality.pk, MunicipalRole.Role.COUNCILLOR) in _municipal_roles(user)


@rules.predicate
def is_verified_organisation(user, organisation) -> bool:
    return organisation is not None and organisation.verified


@rules.predicate
def is_network_member_organisation(user, organisation) -> bool:
    return organisation is not None and organisation.is_network_member


@rules.predicate
def administers_a_coalition_member(user, coalition) -> bool:
    admin_ids = admin_organisation_ids(user)
    return bool(admin_ids) and coalition.memberships.filter(organisation_id__in=admin_ids).exists()


@rules.predicate
def administers_a_network_member(user) -> bool:
    admin_ids = admin_organisation_ids(user)
    return (
        bool(admin_ids)
        and OrganisationMembership.objects.filter(
            organisation_id__in=admin_ids, organisation__network_membership__isnull=False
        ).exists()
    )


@rules.predicate
def can_sign_for_someone(user, statement) -> bool:
    """The user administers a coalition member that has not signed the statement yet."""
    admin_ids = admin_organisation_ids(user)
    if not admin_ids:
        return False
    signed = set(statement.signatures.values_list("organisation_id", flat=True))
    members = set(statement.coalition.memberships.values_list("organisation_id", flat=True))
    return bool((admin_ids & members) - signed)


rules.add_perm("places.view_municipality", rules.always_allow)
rules.add_perm("places.change_municipality", is_staff_member | is_municipal_officer)
rules.add_perm("places.add_municipality", is_staff_member)
rules.add_perm("places.delete_municipality", is_staff_member)

rules.add_perm("places.view_organisation", is_verified_organisation | is_organisation_member | is_staff_member)
rules.add_perm("places.add_organisation", rules.is_authenticated)
rules.add_perm("places.change_organisation", is_organisation_admin | is_staff_member)
rules.add_perm("places.delete_organisation", is_staff_member)
rules.add_perm("places.verify_organisation", is_staff_member)
rules.add_perm("places.manage_organisation_members", is_organisation_admin | is_staff_member)

rules.add_perm(
    "places.join_network",
    (is_organisation_admin & is_verified_organisation & ~is_network_member_organisation) | is_staff_member,
)
rules.add_perm("places.add_coalition", administers_a_network_member | is_staff_member)
rules.add_perm("places.change_coalition", administers_a_coalition_member | is_staff_member)
rules.add_perm("places.add_statement", administers_a_coalition_member | is_staff_member)
rules.add_perm("places.sign_statement", can_sign_for_someone)
