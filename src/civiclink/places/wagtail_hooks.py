"""The directory in the back office: staff manage municipalities, communities, CSOs and the network."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from civiclink.places.models import (
    Coalition,
    JointStatement,
    LocalCommunity,
    Municipality,
    MunicipalRole,
    NetworkMembership,
    Organisation,
    OrganisationMembership,
    Sector,
)

TRANSLATION_PANEL = MultiFieldPanel(
    [FieldPanel("language"), FieldPanel("translations")],
    heading=_("Language and translations"),
    classname="collapsed",
)


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_order = 100
    list_display = ["name", "name_cyrillic", "entity", "region", "population"]
    list_filter = ["entity"]
    search_fields = ["name", "name_cyrillic", "region"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_cyrillic")]),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("entity"), FieldPanel("region"), FieldPanel("population")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("website"),
        FieldPanel("coat_of_arms"),
        FieldPanel("description"),
        TRANSLATION_PANEL,
    ]


class LocalCommunityViewSet(SnippetViewSet):
    model = LocalCommunity
    icon = "home"
    menu_order = 110
    list_display = ["name", "name_cyrillic", "municipality", "population"]
    list_filter = ["municipality"]
    search_fields = ["name", "name_cyrillic"]
    search_backend_name = None


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_order = 120
    list_display = ["legal_name", "short_name", "municipality", "registration_number", "verified", "created_at"]
    list_filter = ["verified", "municipality", "sectors"]
    search_fields = ["legal_name", "short_name", "registration_number"]
    search_backend_name = None
    ordering = ["verified", "-created_at"]
    panels = [
        FieldRowPanel([FieldPanel("legal_name"), FieldPanel("short_name")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("registration_number")]),
        FieldPanel("verified", help_text=_("Check the details against the register before you verify.")),
        FieldRowPanel([FieldPanel("municipality"), FieldPanel("founded_year")]),
        FieldPanel("sectors"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")]),
        FieldPanel("address"),
        FieldPanel("description"),
        FieldPanel("logo"),
        TRANSLATION_PANEL,
    ]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_order = 130
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]
    search_backend_name = None


class OrganisationMembershipViewSet(SnippetViewSet):
    model = OrganisationMembership
    icon = "user"
    menu_order = 140
    list_display = ["user", "organisation", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__legal_name"]
    search_backend_name = None


class MunicipalRoleViewSet(SnippetViewSet):
    model = MunicipalRole
    icon = "user"
    menu_order = 150
    list_display = ["user", "municipality", "role", "granted_at"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__email"]
    search_backend_name = None


class NetworkMembershipViewSet(SnippetViewSet):
    model = NetworkMembership
    icon = "link"
    menu_order = 160
    list_display = ["organisation", "joined_on", "contact_person"]
    search_fields = ["organisation__legal_name"]
    search_backend_name = None


class CoalitionViewSet(SnippetViewSet):
    model = Coalition
    icon = "group"
    menu_order = 170
    list_display = ["name", "founded_on"]
    search_fields = ["name"]
    search_backend_name = None


class JointStatementViewSet(SnippetViewSet):
    model = JointStatement
    icon = "doc-full"
    menu_order = 180
    list_display = ["title", "coalition", "published_on"]
    list_filter = ["coalition"]
    search_fields = ["title"]
    search_backend_name = None


class DirectoryViewSetGroup(SnippetViewSetGroup):
    items = (
        MunicipalityViewSet,
        LocalCommunityViewSet,
        OrganisationViewSet,
        SectorViewSet,
        OrganisationMembershipViewSet,
        MunicipalRoleViewSet,
        NetworkMembershipViewSet,
        CoalitionViewSet,
        JointStatementViewSet,
    )
    menu_icon = "site"
    menu_label = _("Directory")
    menu_name = "directory"
    menu_order = 200


register_snippet(DirectoryViewSetGroup)
