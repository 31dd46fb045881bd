"""ELoGE campaigns in the site search: anyone may see a campaign (`governance.view_campaign`), so every one is
found, under its municipality's name and its cycle, in each language."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.governance.models import Campaign, Decision
from civiclink.search.registry import Document, in_every_language, register, text, visible_in


def campaign_documents(campaign: Campaign) -> list[Document]:
    cycle = campaign.cycle
    return in_every_language(
        lambda language: Document(
            language,
            title=f"{campaign.municipality.display_name}: {cycle.name}",
            body=text(
                "ELoGE",
                cycle.platform.name,
                cycle.benchmark.localised("title", language),
                campaign.get_phase_display(),
                campaign.get_decision_display() if campaign.decision != Decision.PENDING else "",
            ),
            url=campaign.get_absolute_url(),
            municipality_id=campaign.municipality_id,
            date=timezone.localdate(campaign.registered_at),
        )
    )


register(
    "campaign",
    model=Campaign,
    label=_("Good governance campaign"),
    label_plural=_("Good governance campaigns"),
    documents=campaign_documents,
    visible=visible_in(Campaign.objects.all),
    queryset=lambda: Campaign.objects.select_related("municipality", "cycle__platform", "cycle__benchmark"),
    order=70,
)
