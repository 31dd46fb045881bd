from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from civiclink.places import queries
from civiclink.places.models import Municipality, Sector

router = Router(tags=["directory"])


class CommunityOut(Schema):
    name: str
    name_cyrillic: str
    slug: str
    population: int | None


class MunicipalityOut(Schema):
    name: str
    name_cyrillic: str
    slug: str
    entity: str
    region: str
    population: int | None
    latitude: float | None
    longitude: float | None
    website: str
    community_count: int
    organisation_count: int


class MunicipalityDetailOut(MunicipalityOut):
    communities: list[CommunityOut] = Field(..., alias="communities_in_order")


class OrganisationOut(Schema):
    slug: str
    legal_name: str
    short_name: str
    registration_number: str
    municipality: str = Field(..., alias="municipality.slug")
    sectors: list[str]
    website: str
    founded_year: int | None
    network_member: bool = Field(..., alias="is_network_member")
    description: str

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return [sector.slug for sector in obj.sectors.all()]


@router.get("/municipalities", response=list[MunicipalityOut], summary="All municipalities")
def list_municipalities(request):
    return queries.municipalities()


@router.get("/municipalities/{slug}", response=MunicipalityDetailOut, summary="One municipality with its communities")
def get_municipality(request, slug: str):
    municipality = get_object_or_404(queries.municipalities(), slug=slug)
    municipality.communities_in_order = municipality.communities.order_by("name")
    return municipality


@router.get("/organisations", response=list[OrganisationOut], summary="Verified organisations (CSOs)")
@paginate(LimitOffsetPagination)
def list_organisations(request, q: str = "", sector: str = "", municipality: str = "", network: bool = False):
    return queries.organisation_directory(
        q=q,
        sector=get_object_or_404(Sector, slug=sector) if sector else None,
        municipality=get_object_or_404(Municipality, slug=municipality) if municipality else None,
        network=network,
    )
