"""Participation in the site search: published processes (in each language, translated where they are) and the
proposals the public sees in them (visible, in a published process that takes proposals), in the words of their
authors, for every language."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from civiclink.moderation import registry as moderation
from civiclink.moderation.models import Visibility
from civiclink.participation import access
from civiclink.participation.models import Process, Proposal
from civiclink.search.registry import Document, in_every_language, register, schedule, text, visible_in


def process_documents(process: Process) -> list[Document]:
    if not process.published:
        return []
    return in_every_language(
        lambda language: Document(
            language,
            title=process.localised("title", language),
            body=text(
                process.municipality.display_name,
                process.localised("summary", language),
                process.localised("description", language),
            ),
            url=process.get_absolute_url(),
            municipality_id=process.municipality_id,
            date=timezone.localdate(process.created_at),
        )
    )


def proposal_documents(proposal: Proposal) -> list[Document]:
    process = proposal.process
    if proposal.is_hidden or not process.published or not access.enabled(process, "proposals"):
        return []
    with translation.override(settings.LANGUAGE_CODE):  # the search shows it in the visitor's language
        url = proposal.get_absolute_url()
    return [
        Document(
            "",
            title=proposal.title,
            body=text(proposal.body, proposal.address, proposal.answer),
            url=url,
            municipality_id=process.municipality_id,
            date=timezone.localdate(proposal.created_at),
        )
    ]


register(
    "process",
    model=Process,
    label=_("Participatory process"),
    label_plural=_("Participatory processes"),
    documents=process_documents,
    visible=visible_in(lambda: Process.objects.filter(published=True)),
    queryset=lambda: Process.objects.select_related("municipality"),
    dependents=lambda ids: {"proposal": Proposal.objects.filter(process__in=ids).values_list("pk", flat=True)},
    order=50,
)
register(
    "proposal",
    model=Proposal,
    label=_("Proposal"),
    label_plural=_("Problems and proposals"),
    documents=proposal_documents,
    visible=visible_in(
        lambda: Proposal.objects.filter(
            visibility=Visibility.VISIBLE, process__published=True, process__features__feature="proposals"
        )
    ),
    queryset=lambda: Proposal.objects.select_related("process").prefetch_related("process__features"),
    order=60,
)
# A moderator's decision and the report threshold change the visibility by UPDATE, without a signal.
moderation.on_visibility_change(Proposal, lambda pk, delta: schedule("proposal", [pk]))
