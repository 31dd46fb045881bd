"""What the directory holds about a person, for the account's data export and deletion (see `accounts.gdpr`)."""

from civiclink.accounts import gdpr
from civiclink.places.models import MunicipalRole, NetworkMembership, OrganisationMembership, StatementSignature


def export(user) -> dict:
    return {
        "organisation_memberships": [
            {"organisation": m.organisation.legal_name, "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in OrganisationMembership.objects.filter(user=user).select_related("organisation")
        ],
        "municipal_roles": [
            {"municipality": r.municipality.name, "role": r.role, "granted_at": r.granted_at.isoformat()}
            for r in MunicipalRole.objects.filter(user=user).select_related("municipality")
        ],
        "network_contact_for": list(
            NetworkMembership.objects.filter(contact_person=user).values_list("organisation__legal_name", flat=True)
        ),
        "statements_signed": [
            {"statement": s.statement.title, "organisation": s.organisation.legal_name, "at": s.signed_at.isoformat()}
            for s in StatementSignature.objects.filter(signed_by=user).select_related("statement", "organisation")
        ],
    }


def anonymise(user) -> None:
    """Roles go; signatures stay, as the organisation's public act, without the person's name.

    Where the person was an organisation's last administrator, its longest-standing member takes over.
    """
    for membership in OrganisationMembership.objects.filter(user=user, role=OrganisationMembership.Role.ADMIN):
        others = OrganisationMembership.objects.filter(organisation_id=membership.organisation_id).exclude(user=user)
        successor = others.order_by("joined_at").first()
        if successor and not others.filter(role=OrganisationMembership.Role.ADMIN).exists():
            successor.role = OrganisationMembership.Role.ADMIN
            successor.save(update_fields=["role"])
    OrganisationMembership.objects.filter(user=user).delete()
    MunicipalRole.objects.filter(user=user).delete()
    NetworkMembership.objects.filter(contact_person=user).update(contact_person=None)
    StatementSignature.objects.filter(signed_by=user).update(signed_by=None)


gdpr.register("directory", export, anonymise)
