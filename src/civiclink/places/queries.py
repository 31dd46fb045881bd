"""The directory's read queries. Each returns a fixed number of SQL queries whatever the number of rows."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from civiclink.core.i18n import search_key
from civiclink.places.models import Coalition, LocalCommunity, Municipality, Organisation, Sector


def _count(model, **filters):
    """A correlated COUNT(*) subquery on `model` for the outer municipality."""
    return Coalesce(
        Subquery(
            model.objects.filter(municipality=OuterRef("pk"), **filters)
            .order_by()
            .values("municipality")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def municipalities():
    return Municipality.objects.annotate(
        community_count=_count(LocalCommunity), organisation_count=_count(Organisation, verified=True)
    ).order_by("name")


def listed_organisations():
    return (
        Organisation.objects.filter(verified=True)
        .select_related("municipality", "network_membership")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("slug")))
    )


def organisation_directory(q: str = "", sector=None, municipality=None, network: bool = False):
    organisations = listed_organisations()
    if q:
        for word in search_key(q).split():
            organisations = organisations.filter(search_text__contains=word)
    if sector:
        organisations = organisations.filter(sectors=sector)
    if municipality:
        organisations = organisations.filter(municipality=municipality)
    if network:
        organisations = organisations.filter(network_membership__isnull=False)
    return organisations.order_by("legal_name")


def coalitions():
    return Coalition.objects.annotate(
        member_count=Count("memberships", distinct=True), statement_count=Count("statements", distinct=True)
    ).order_by("name")


def network_members():
    return listed_organisations().filter(network_membership__isnull=False).order_by("legal_name")


def organisations_in(municipality: Municipality):
    return listed_organisations().filter(municipality=municipality).order_by("legal_name")
