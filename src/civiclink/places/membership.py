"""An organisation's members and administrators, managed by its administrators."""

from django.db import transaction

from civiclink.places.models import Organisation, OrganisationMembership


class LastAdministrator(Exception):
    """An organisation must keep at least one administrator, or nobody could manage it."""


def add_member(organisation: Organisation, user, role: str) -> OrganisationMembership:
    membership, _ = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def _guard_last_admin(membership: OrganisationMembership) -> None:
    admins = OrganisationMembership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, role=OrganisationMembership.Role.ADMIN
    )
    if membership.role == OrganisationMembership.Role.ADMIN and admins.exclude(pk=membership.pk).count() == 0:
        raise LastAdministrator


@transaction.atomic
def change_role(membership: OrganisationMembership, role: str) -> None:
    if role != OrganisationMembership.Role.ADMIN:
        _guard_last_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_member(membership: OrganisationMembership) -> None:
    _guard_last_admin(membership)
    membership.delete()
