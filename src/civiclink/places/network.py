"""The CSO network: organisations join it, form coalitions and co-sign joint statements."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from civiclink.places.models import JointStatement, NetworkMembership, Organisation, StatementSignature


def join_network(organisation: Organisation, contact_person) -> NetworkMembership:
    membership, _ = NetworkMembership.objects.get_or_create(
        organisation=organisation, defaults={"joined_on": timezone.localdate(), "contact_person": contact_person}
    )
    return membership


def organisations_that_may_sign(statement: JointStatement, admin_organisation_ids: set[int]):
    """Coalition members administered by the user that have not signed yet."""
    return (
        Organisation.objects.filter(
            pk__in=admin_organisation_ids, coalition_memberships__coalition_id=statement.coalition_id
        )
        .exclude(signatures__statement=statement)
        .order_by("legal_name")
    )


def sign_statement(statement: JointStatement, organisation: Organisation, user) -> StatementSignature:
    """Idempotent: a second signature for the same organisation returns the first."""
    try:
        with transaction.atomic():
            return StatementSignature.objects.create(statement=statement, organisation=organisation, signed_by=user)
    except IntegrityError:
        return StatementSignature.objects.get(statement=statement, organisation=organisation)
