"""ELoGE in the back office: platforms and their rules, cycles, campaigns, and the benchmark catalogue.

Staff adapt a benchmark by copying it (on the benchmark's public page) and then rewording, adding or retiring
principles' indicators and questionnaire items here; a benchmark that campaigns answered against refuses changes.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from civiclink.governance.models import Benchmark, Campaign, Cycle, Indicator, Item, Platform, Principle
from civiclink.places.wagtail_hooks import TRANSLATION_PANEL

RULES_PANEL = MultiFieldPanel(
    [
        FieldRowPanel([FieldPanel("scale_min"), FieldPanel("scale_max")]),
        FieldRowPanel(
            [
                FieldPanel("weight_self"),
                FieldPanel("weight_councillors"),
                FieldPanel("weight_staff"),
                FieldPanel("weight_citizens"),
            ]
        ),
        FieldRowPanel([FieldPanel("min_principle_score"), FieldPanel("overall_threshold")]),
        FieldRowPanel([FieldPanel("min_citizen_responses"), FieldPanel("label_validity_years")]),
    ],
    heading=_("Scoring rules"),
)


class PlatformViewSet(SnippetViewSet):
    model = Platform
    icon = "group"
    menu_label = _("Stakeholders' platforms")
    list_display = ["name", "accredited_from", "accredited_until"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("accredited_from"), FieldPanel("accredited_until")]),
        FieldPanel("team"),
        RULES_PANEL,
    ]


class CycleViewSet(SnippetViewSet):
    model = Cycle
    icon = "date"
    menu_label = _("Cycles")
    list_display = ["name", "platform", "benchmark", "year"]
    list_filter = ["platform", "year"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("platform"),
        FieldPanel("benchmark"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("registration_closes"), FieldPanel("assessment_closes")]),
        FieldPanel("evaluators"),
        RULES_PANEL,
    ]


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "clipboard-list"
    menu_label = _("Campaigns")
    list_display = ["municipality", "cycle", "phase", "decision", "results_public"]
    list_filter = ["cycle", "phase", "decision"]
    search_fields = ["municipality__name"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("cycle"), FieldPanel("municipality")]),
        FieldRowPanel([FieldPanel("phase"), FieldPanel("results_public"), FieldPanel("citizen_codes_required")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision"), FieldPanel("decided_at")]),
                FieldRowPanel([FieldPanel("label_valid_from"), FieldPanel("label_valid_until")]),
                FieldPanel("decision_minutes"),
            ],
            heading=_("Decision"),
        ),
    ]


class BenchmarkViewSet(SnippetViewSet):
    model = Benchmark
    icon = "list-ol"
    menu_label = _("Benchmarks")
    list_display = ["title", "key", "edition", "platform"]
    search_fields = ["title", "key"]
    search_backend_name = None
    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("maturity_min"), FieldPanel("maturity_max")]),
        FieldPanel("maturity_levels"),
        TRANSLATION_PANEL,
    ]


class PrincipleViewSet(SnippetViewSet):
    model = Principle
    icon = "pick"
    menu_label = _("Principles")
    list_display = ["__str__", "benchmark"]
    list_filter = ["benchmark"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("benchmark"), FieldPanel("number")]),
        FieldPanel("name"),
        FieldPanel("description"),
        TRANSLATION_PANEL,
    ]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "tick"
    menu_label = _("Indicators")
    list_display = ["code", "statement", "benchmark", "retired"]
    list_filter = ["benchmark", "retired"]
    search_fields = ["code", "statement"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("benchmark"), FieldPanel("principle"), FieldPanel("outcome")]),
        FieldRowPanel([FieldPanel("code"), FieldPanel("position"), FieldPanel("retired")]),
        FieldPanel("statement"),
        FieldPanel("guidance"),
        FieldPanel("levels"),
        TRANSLATION_PANEL,
    ]


class ItemViewSet(SnippetViewSet):
    model = Item
    icon = "help"
    menu_label = _("Questionnaire items")
    list_display = ["code", "text", "questionnaire", "retired"]
    list_filter = ["questionnaire__benchmark", "questionnaire__audience", "retired"]
    search_fields = ["code", "text"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("questionnaire"), FieldPanel("principle")]),
        FieldRowPanel([FieldPanel("code"), FieldPanel("position"), FieldPanel("retired")]),
        FieldPanel("text"),
        TRANSLATION_PANEL,
    ]


class GovernanceGroup(SnippetViewSetGroup):
    menu_label = _("Good governance")
    menu_name = "good-governance"
    menu_icon = "pick"
    menu_order = 210
    items = (
        PlatformViewSet,
        CycleViewSet,
        CampaignViewSet,
        BenchmarkViewSet,
        PrincipleViewSet,
        IndicatorViewSet,
        ItemViewSet,
    )


register_snippet(GovernanceGroup)
