"""The search shows only what the public may see, and asks each kind again at query time: an index that missed a
change (a moderator's hide is an UPDATE without signals) never shows what it should not."""

import pytest

from civiclink.moderation.models import Visibility
from civiclink.participation.models import Proposal
from civiclink.search import index
from civiclink.search.models import SearchEntry

from .conftest import find

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(make_process):
    return make_process("Budžet po mjeri građana")


def test_a_proposal_hidden_without_a_signal_never_appears_and_leaves_the_index(
    process, django_capture_on_commit_callbacks
):
    shown = Proposal.objects.create(process=process, title="Česma na trgu", body="Pitka voda.")
    hidden = Proposal.objects.create(process=process, title="Česma u parku", body="Spam spam.")
    index.rebuild()
    assert sorted(find("cesma")["proposal"]) == ["Česma na trgu", "Česma u parku"]

    Proposal.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)  # no signal: the index is stale
    assert SearchEntry.objects.filter(kind="proposal", object_id=hidden.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert find("cesma") == {"proposal": ["Česma na trgu"]}
    # The search queued the stale entry for reindexing: it is gone.
    assert not SearchEntry.objects.filter(kind="proposal", object_id=hidden.pk).exists()
    assert SearchEntry.objects.filter(kind="proposal", object_id=shown.pk).exists()


def test_a_proposal_hidden_by_a_moderator_leaves_the_index(process, make_user, django_capture_on_commit_callbacks):
    from civiclink.moderation import actions

    proposal = Proposal.objects.create(process=process, title="Česma na trgu", body="Pitka voda.")
    index.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        actions.hide(proposal, moderator=make_user(), reason="Off topic.")
    assert not SearchEntry.objects.filter(kind="proposal").exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.restore(proposal, moderator=make_user(), reason="It was on topic after all.")
    assert find("cesma") == {"proposal": ["Česma na trgu"]}


def test_pending_proposals_and_those_of_unpublished_processes_are_not_indexed(process, make_process):
    draft = make_process("Nacrt procesa", published=False)
    Proposal.objects.create(process=process, title="Klupe pending", body="x", visibility=Visibility.PENDING)
    Proposal.objects.create(process=draft, title="Klupe draft", body="x")
    Proposal.objects.create(process=make_process("Bez prijedloga", features=()), title="Klupe no feature", body="x")
    index.rebuild()
    assert find("klupe") == {}
    assert find("nacrt") == {}
    assert not SearchEntry.objects.filter(kind__in=["proposal"]).exists()


def test_unpublishing_a_process_takes_it_and_its_proposals_out(process, django_capture_on_commit_callbacks):
    Proposal.objects.create(process=process, title="Klupe uz rijeku", body="Više klupa.")
    index.rebuild()
    assert find("klupe") == {"proposal": ["Klupe uz rijeku"]}
    assert find("budzet")["process"] == ["Budžet po mjeri građana"]

    process.published = False
    with django_capture_on_commit_callbacks(execute=True):
        process.save()
    assert not SearchEntry.objects.filter(kind__in=["process", "proposal"]).exists()
    assert find("budzet") == {} and find("klupe") == {}


def test_an_unpublished_process_still_in_the_index_is_not_shown(process):
    index.rebuild()
    type(process).objects.filter(pk=process.pk).update(published=False)
    assert find("budzet") == {}


def test_only_verified_organisations_are_found(world, django_capture_on_commit_callbacks):
    index.rebuild()
    assert find("udruzenje") == {}  # "Udruženje „Novi početak”" awaits verification
    assert not SearchEntry.objects.filter(kind="organisation", object_id=world.own_pending.pk).exists()

    world.own_pending.verified = True
    with django_capture_on_commit_callbacks(execute=True):
        world.own_pending.save()
    assert find("udruzenje") == {"organisation": ["Udruženje „Novi početak”"]}

    type(world.own_pending).objects.filter(pk=world.own_pending.pk).update(verified=False)
    assert find("udruzenje") == {}


def test_drafts_unpublished_and_private_articles_are_not_found(make_article, site_pages):
    from wagtail.models import PageViewRestriction

    make_article("Konferencija o dobrom upravljanju")
    make_article("Konferencija nacrt", live=False)
    private = make_article("Konferencija za partnere")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    index.rebuild()
    assert find("konferencija", language="bs") == {"article": ["Konferencija o dobrom upravljanju"]}
    assert not SearchEntry.objects.filter(object_id=private.pk).exists()
