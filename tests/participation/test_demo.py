"""The participation demo: a process in every municipality, Mostar's large call for proposals in its proposals phase
with counters that match the rows, a poll answered on the web, on benches and on paper, meetings with
registrations, a finished process in Trebinje with results, and processes for residents and CSOs only.

Loading takes a few seconds, so one test loads it (after the directory and the demo accounts it builds on) and
checks it piece by piece, then loads it again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from civiclink.accounts import demo as accounts_demo
from civiclink.participation import access
from civiclink.participation import demo as participation_demo
from civiclink.participation.models import (
    Audience,
    Ballot,
    Comment,
    Meeting,
    PhaseCapability,
    Poll,
    Process,
    Proposal,
    ProposalState,
    Question,
    Result,
    ResultStatus,
    StateChange,
    Support,
    SupportAllowance,
    TextAnswer,
    Vote,
)
from civiclink.places import demo as places_demo
from civiclink.places.models import Municipality

pytestmark = pytest.mark.django_db

COUNTED = [Process, Proposal, Support, Comment, StateChange, Ballot, Vote, TextAnswer, Meeting, Result]


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def check_every_municipality():
    published = Process.objects.filter(published=True)
    assert set(published.values_list("municipality__slug", flat=True)) == set(
        Municipality.objects.values_list("slug", flat=True)
    )
    for process in published.prefetch_related("phases", "features"):
        assert process.phases.exists() and process.features.exists(), process
        assert PhaseCapability.objects.filter(phase__process=process).exists(), process
    languages = dict(published.values_list("municipality__entity", "language").distinct())
    assert languages["RS"] == "sr"  # Serbian, written in Cyrillic (transliterated for sr-latn)
    assert Process.objects.get(slug="trebinje-prijedlozi-mjesnih-zajednica").title.startswith("Приједлози")
    assert set(published.values_list("language", flat=True)) == {"bs", "hr", "sr"}
    assert all(process.translations["en"]["title"] for process in published)


def check_mostar():
    process = Process.objects.select_related("municipality").get(slug=participation_demo.MOSTAR.slug)
    assert process.municipality.slug == "mostar"
    phase = process.current_phase
    assert phase is not None and phase.capabilities.filter(feature="proposals", action="submit").exists()
    assert access.feature_settings(process, "supports")["threshold"] == 50
    proposals = process.proposals.annotate(support_rows=Count("supports"))
    assert proposals.count() == 200
    comments_per_proposal = dict(
        Comment.objects.filter(content_type=ContentType.objects.get_for_model(Proposal), process=process)
        .values_list("object_id")
        .annotate(Count("pk"))
    )
    for proposal in proposals:
        assert proposal.support_count == proposal.support_rows, proposal
        assert proposal.comment_count == comments_per_proposal.get(proposal.pk, 0), proposal
        if proposal.support_count >= 50:
            assert proposal.state != ProposalState.SUBMITTED, proposal
    assert len({proposal.title for proposal in proposals}) == 200
    assert proposals.filter(support_count__gte=50).exists()
    assert {kind for (kind,) in proposals.values_list("kind")} == {"problem", "proposal"}
    assert proposals.values("community").distinct().count() == 7
    assert proposals.values("category").distinct().count() == process.categories.count() == 8
    assert {state for (state,) in proposals.values_list("state")} == set(ProposalState.values)
    assert not proposals.filter(state=ProposalState.REJECTED, answer="").exists()
    assert StateChange.objects.filter(proposal__process=process, automatic=True).exists()
    comments = Comment.objects.filter(process=process)
    assert comments.filter(parent__isnull=False).exists() and comments.filter(official=True).exists()
    assert set(comments.values_list("stance", flat=True)) == {"", "for", "against", "neutral"}
    assert not comments.filter(parent__parent__isnull=False).exists()  # two levels
    assert comments.filter(edited_at__isnull=False).exists()
    proposal_dates = dict(proposals.values_list("pk", "created_at"))
    assert all(comment.created_at >= proposal_dates[comment.object_id] for comment in comments)
    assert process.proposals.filter(endorsements__isnull=False).exists()


def check_poll():
    poll = Poll.objects.get(process__slug=participation_demo.MOSTAR.slug)
    assert poll.is_open
    kinds = set(Question.objects.filter(poll=poll).values_list("kind", flat=True))
    assert kinds == {"single", "multiple", "ranking", "text"}
    per_source = dict(poll.ballots.values_list("source").annotate(Count("pk")))
    assert set(per_source) == {"web", "bench", "paper"} and all(per_source.values())
    assert poll.ballot_count == sum(per_source.values())
    assert not Vote.objects.filter(poll=poll).exclude(source=F("ballot__source")).exists()
    ranking = Question.objects.get(poll=poll, kind="ranking")
    assert set(Vote.objects.filter(question=ranking).values_list("rank", flat=True)) == {1, 2, 3}
    assert TextAnswer.objects.filter(ballot__poll=poll).exists()
    single = Question.objects.filter(poll=poll, kind="single").first()
    assert Vote.objects.filter(question=single).count() == poll.ballot_count  # one choice per ballot


def check_meetings():
    meetings = Meeting.objects.filter(process__slug=participation_demo.MOSTAR.slug).annotate(
        registrations_made=Count("registrations")
    )
    assert meetings.filter(starts_at__gt=timezone.now(), registration_open=True).exists()
    assert meetings.filter(starts_at__lt=timezone.now()).exclude(minutes="").exists()
    for meeting in Meeting.objects.annotate(registrations_made=Count("registrations")):
        assert meeting.registered_count == meeting.registrations_made, meeting
        assert meeting.capacity is None or meeting.registered_count <= meeting.capacity


def check_finished_process():
    process = Process.objects.get(slug="trebinje-prijedlozi-mjesnih-zajednica")
    assert process.current_phase is None and process.phases.filter(ends_at__gt=timezone.now()).count() == 0
    results = Result.objects.filter(process=process)
    assert results.filter(status=ResultStatus.DONE, progress=100).count() >= 3
    assert results.filter(status=ResultStatus.IN_PROGRESS, progress__gt=0, progress__lt=100).count() >= 2
    assert results.filter(proposal__state__in=[ProposalState.DONE, ProposalState.IN_PROGRESS]).exists()
    for result in results.filter(status=ResultStatus.DONE):
        update = result.updates.first()  # the latest
        assert update.progress == 100 and update.date <= timezone.localdate()
    assert all(result.proposal is None or result.proposal.state != ProposalState.REJECTED for result in results)
    assert process.proposals.filter(state=ProposalState.REJECTED).exists()


def check_audiences():
    audiences = set(PhaseCapability.objects.values_list("audience", flat=True))
    assert {Audience.RESIDENT, Audience.CSO_MEMBER, Audience.ANYONE} <= audiences
    assert Process.objects.filter(for_network=True, published=True).exists()
    limited = Process.objects.get(slug="zepce-proracun-po-mjeri-gradana")
    used = dict(SupportAllowance.objects.filter(process=limited).values_list("user", "used"))
    given = dict(Support.objects.filter(proposal__process=limited).values_list("user").annotate(Count("pk")).order_by())
    assert used == given and max(used.values()) <= 3
    assert Process.objects.filter(published=False).exists()  # a draft only its officers see


def check_pages(client):
    """The demo's pages, as a visitor finds them in Bosnian and in Serbian."""
    mostar = Process.objects.get(slug=participation_demo.MOSTAR.slug)
    trebinje = Process.objects.get(slug="trebinje-prijedlozi-mjesnih-zajednica")
    paths = [process.get_absolute_url() for process in Process.objects.filter(published=True)]
    paths += [
        mostar.proposals.order_by("-comment_count").first().get_absolute_url(),
        mostar.polls.get().get_absolute_url(),
        mostar.meetings.first().get_absolute_url(),
        reverse("participation:results", args=[trebinje.slug]),
        trebinje.results.first().get_absolute_url(),
    ]
    for path in paths:
        for language in ("bs", "sr"):
            localised = path.replace("/en/", f"/{language}/", 1)
            assert client.get(localised).status_code == 200, localised


def test_demo(client, subtests, django_assert_max_num_queries):
    places_demo.load()
    accounts_demo.load()
    assert participation_demo.load().startswith("participation: 14 processes in 12 municipalities")

    with subtests.test("a process in every municipality, in its language"):
        check_every_municipality()
    with subtests.test("Mostar's call for proposals"):
        check_mostar()
    with subtests.test("a poll with ballots from each source"):
        check_poll()
    with subtests.test("meetings with registrations"):
        check_meetings()
    with subtests.test("a finished process with results"):
        check_finished_process()
    with subtests.test("processes for residents and CSOs"):
        check_audiences()
    with subtests.test("the pages show the demo"):
        check_pages(client)
    with subtests.test("the phases already begun are not announced again by the hourly job"):
        from civiclink.participation.processes import announce_started_phases

        assert announce_started_phases() == 0

    before = counts()
    with django_assert_max_num_queries(5):
        assert participation_demo.load() == "participation: demo processes already present"
    assert counts() == before, "running the demo again must change nothing"
