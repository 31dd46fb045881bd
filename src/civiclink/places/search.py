"""The directory in the site search: municipalities (in the script of each language) and verified organisations."""

from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _

from civiclink.places.models import Municipality, Organisation
from civiclink.search.registry import Document, in_every_language, register, schedule, text, visible_in


def municipality_documents(municipality: Municipality) -> list[Document]:
    return in_every_language(
        lambda language: Document(
            language,
            title=municipality.display_name,
            body=text(
                municipality.name,
                municipality.name_cyrillic,
                municipality.get_entity_display(),
                municipality.region,
                municipality.localised("description", language),
            ),
            url=municipality.get_absolute_url(),
            municipality_id=municipality.pk,
        )
    )


def organisation_documents(organisation: Organisation) -> list[Document]:
    if not organisation.verified:
        return []
    return in_every_language(
        lambda language: Document(
            language,
            title=organisation.legal_name,
            body=text(
                organisation.short_name,
                organisation.municipality.display_name,
                *(sector.localised("name", language) for sector in organisation.sectors.all()),
                organisation.localised("description", language),
            ),
            url=organisation.get_absolute_url(),
            municipality_id=organisation.municipality_id,
        )
    )


def _municipality_dependents(ids: list[int]) -> dict[str, list[int]]:
    """Organisations and processes name their municipality."""
    from civiclink.participation.models import Process

    return {
        "organisation": Organisation.objects.filter(municipality__in=ids).values_list("pk", flat=True),
        "process": Process.objects.filter(municipality__in=ids).values_list("pk", flat=True),
    }


register(
    "municipality",
    model=Municipality,
    label=_("Municipality"),
    label_plural=_("Municipalities"),
    documents=municipality_documents,
    visible=visible_in(Municipality.objects.all),
    dependents=_municipality_dependents,
    order=30,
)
register(
    "organisation",
    model=Organisation,
    label=_("Organisation"),
    label_plural=_("Organisations"),
    documents=organisation_documents,
    visible=visible_in(lambda: Organisation.objects.filter(verified=True)),
    queryset=lambda: Organisation.objects.select_related("municipality").prefetch_related("sectors"),
    order=40,
)


def _sectors_changed(sender, instance, action, pk_set, **kwargs):
    if action.startswith("post_"):
        ids = [instance.pk] if isinstance(instance, Organisation) else pk_set or ()
        schedule("organisation", ids)


m2m_changed.connect(_sectors_changed, sender=Organisation.sectors.through, dispatch_uid="search-organisation-sectors")
