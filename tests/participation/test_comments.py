"""Comments: two levels of replies, stances, edit marks, deletion placeholders, official answers by the
municipality, an exact `comment_count`, and the defences (closed phase, size, repetition, blocked accounts, rate
limits). The section on the proposal page holds no form for anonymous visitors (the page is cached for them) and
costs the same number of queries for 5 comments as for 60."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiclink.moderation import actions
from civiclink.moderation.guards import Refused
from civiclink.moderation.models import Visibility
from civiclink.participation import comments
from civiclink.participation.models import Comment, Proposal
from civiclink.participation.models.comments import COMMENT_MAX
from civiclink.participation.views.comments import THREADS_PER_PAGE, section_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(make_process, fresh):
    return fresh(make_process(title="Green Mostar"))


@pytest.fixture
def proposal(process, people):
    found = Proposal.objects.create(process=process, title="Benches by the river", body="We need benches.")
    found.process = process
    return found


def post_url(proposal) -> str:
    return reverse("participation:comment_post", args=[proposal.process.slug, "proposal", proposal.pk])


def page(client, proposal) -> str:
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section_of(html: str) -> str:
    """The comment section of a page."""
    return html[html.index('id="comments"') : html.index("</section>", html.index('id="comments"'))]


def count_of(proposal) -> int:
    return Proposal.objects.values_list("comment_count", flat=True).get(pk=proposal.pk)


# --- Threads ------------------------------------------------------------------------------------------------------


def test_a_reply_to_a_reply_joins_the_thread_of_the_top_level_comment(proposal, people):
    top = comments.post(proposal, people.citizen, "Where exactly?")
    reply = comments.post(proposal, people.resident, "By the old bridge.", parent=top)
    answer = comments.post(proposal, people.citizen, "Good place, thanks.", parent=reply)
    assert (reply.parent_id, answer.parent_id) == (top.pk, top.pk)
    [thread] = comments.thread(proposal)
    assert thread == top and thread.thread_replies == [reply, answer]


def test_the_page_shows_stances_replies_and_the_edit_mark(client, proposal, people):
    top = comments.post(proposal, people.citizen, "Shade matters more than benches.", stance="against")
    comments.post(proposal, people.resident, "Both, please.", parent=top, stance="for")
    client.force_login(people.citizen)
    response = client.post(
        reverse("participation:comment_edit", args=[proposal.process.slug, top.pk]),
        {"comment-body": "Shade matters as much as benches.", "comment-stance": "neutral"},
    )
    assert response.status_code == 303 and response["Location"].endswith(f"#comment-{top.pk}")
    section = section_of(page(client, proposal))
    assert "Shade matters as much as benches." in section and "Shade matters more" not in section
    assert "Stance: </span>Neutral" in section and "Stance: </span>For" in section
    assert section.count('class="comment-edited"') == 1
    assert 'class="comment-replies"' in section


def test_only_the_author_edits(client, proposal, people):
    comment = comments.post(proposal, people.citizen, "Mine.")
    client.force_login(people.resident)
    edit_url = reverse("participation:comment_edit", args=[proposal.process.slug, comment.pk])
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"comment-body": "Not yours."}).status_code == 403
    with pytest.raises(Refused):
        comments.edit(comment, people.resident, "Not yours.")
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Mine.", None)


def test_a_deleted_comment_leaves_a_placeholder_and_its_replies(client, proposal, people):
    top = comments.post(proposal, people.citizen, "A comment I regret.")
    comments.post(proposal, people.resident, "A reply that stays.", parent=top)
    client.force_login(people.citizen)
    response = client.post(reverse("participation:comment_delete", args=[proposal.process.slug, top.pk]))
    assert response.status_code == 303
    section = section_of(page(client, proposal))
    assert "This comment was deleted." in section and "A comment I regret." not in section
    assert "A reply that stays." in section
    top.refresh_from_db()
    assert top.is_deleted and top.body == ""


def test_others_cannot_delete_but_moderators_can(client, proposal, people):
    comment = comments.post(proposal, people.citizen, "Delete me if you can.")
    delete_url = reverse("participation:comment_delete", args=[proposal.process.slug, comment.pk])
    client.force_login(people.resident)
    assert client.post(delete_url).status_code == 403
    assert client.get(delete_url).status_code == 405
    client.force_login(people.moderator)
    assert client.post(delete_url).status_code == 303
    assert Comment.objects.get(pk=comment.pk).is_deleted


def test_official_answers_only_by_the_municipality_and_they_stand_out(client, proposal, people):
    with pytest.raises(Refused) as refused:
        comments.post(proposal, people.citizen, "I speak for the town.", official=True)
    assert str(refused.value.message) == "Only the municipality's officers can give an official answer."
    client.force_login(people.citizen)
    assert 'name="comment-official"' not in section_of(page(client, proposal))
    client.post(post_url(proposal), {"comment-body": "Still not official.", "comment-official": "on"})
    assert not Comment.objects.get(body="Still not official.").official  # the field is not offered at all

    client.force_login(people.officer)
    assert 'name="comment-official"' in section_of(page(client, proposal))
    response = client.post(post_url(proposal), {"comment-body": "We will place ten benches.", "comment-official": "on"})
    assert response.status_code == 303
    assert Comment.objects.get(body="We will place ten benches.").official
    client.logout()
    section = section_of(page(client, proposal))
    assert section.count("comment-official") == 2  # the class and the label, once
    assert "Official answer of the municipality" in section


def test_comment_count_counts_visible_comments_that_are_not_deleted(proposal, people):
    first = comments.post(proposal, people.citizen, "One.")
    second = comments.post(proposal, people.resident, "Two.", parent=first)
    third = comments.post(proposal, people.org_member, "Three.")
    assert count_of(proposal) == 3
    stale = Comment.objects.get(pk=second.pk)
    comments.delete(second, people.resident)
    comments.delete(stale, people.moderator)  # deleted in between, by someone else: no change
    assert count_of(proposal) == 2
    actions.hide(first, moderator=people.moderator, reason="Insults.")
    assert count_of(proposal) == 1
    actions.hide(first, moderator=people.moderator, reason="Still insults.")  # hidden already
    assert count_of(proposal) == 1
    actions.restore(first, moderator=people.moderator, reason="It was irony.")
    assert count_of(proposal) == 2
    for number in range(3):
        actions.report(third, user=AnonymousUser(), address_key=f"address-{number}", reason="spam")
    assert Comment.objects.get(pk=third.pk).visibility == Visibility.PENDING and count_of(proposal) == 1
    comments.delete(Comment.objects.get(pk=third.pk), people.org_member)  # hidden and deleted: no change
    actions.restore(third, moderator=people.moderator, reason="Not spam.")  # deleted stays uncounted
    assert count_of(proposal) == 1
    visible = Comment.objects.filter(object_id=proposal.pk, visibility=Visibility.VISIBLE, deleted_at__isnull=True)
    assert visible.count() == count_of(proposal)


# --- Refusals: clear messages, nothing saved, the draft kept --------------------------------------------------------


def test_a_closed_phase_refuses_with_a_message_and_keeps_the_draft(client, make_process, fresh, people):
    process = fresh(make_process(capabilities={"proposals.submit": "registered"}))
    proposal = Proposal.objects.create(process=process, title="Closed", body="Closed for comments.")
    client.force_login(people.citizen)
    section = section_of(page(client, proposal))
    assert "It is not possible to comment in this phase of the process." in section and "<form" not in section
    response = client.post(post_url(proposal), {"comment-body": "My careful draft."})
    assert response.status_code == 403
    html = response.content.decode()
    assert "It is not possible to comment in this phase of the process." in html
    assert "My careful draft." in html
    assert not Comment.objects.exists()
    with pytest.raises(Refused):
        comments.post(proposal, people.citizen, "Directly.")
    assert not Comment.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in_without_a_form(client, proposal):
    section = section_of(page(client, proposal))
    assert "Log in to comment." in section
    assert "<form" not in section and "csrfmiddlewaretoken" not in section
    response = client.post(post_url(proposal), {"comment-body": "Anonymous attempt."})
    assert response.status_code == 403 and "Log in to comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_oversized_comment_is_refused_and_kept(client, proposal, people):
    client.force_login(people.citizen)
    response = client.post(post_url(proposal), {"comment-body": "x" * (COMMENT_MAX + 1)})
    assert response.status_code == 400
    assert f"Ensure this value has at most {COMMENT_MAX} characters" in response.content.decode()
    assert "x" * (COMMENT_MAX + 1) in response.content.decode()
    with pytest.raises(Refused) as refused:
        comments.post(proposal, people.citizen, "y" * (COMMENT_MAX + 1))
    assert refused.value.status == 400
    assert not Comment.objects.exists()


def test_an_empty_comment_or_a_wrong_stance_is_refused(client, proposal, people):
    client.force_login(people.citizen)
    assert client.post(post_url(proposal), {"comment-body": "   "}).status_code == 400
    response = client.post(post_url(proposal), {"comment-body": "Fine.", "comment-stance": "maybe"})
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()
    assert not Comment.objects.exists()


def test_the_same_comment_twice_is_refused(client, proposal, people):
    client.force_login(people.citizen)
    assert client.post(post_url(proposal), {"comment-body": "Benches now!"}).status_code == 303
    response = client.post(post_url(proposal), {"comment-body": "  benches   NOW! "})
    assert response.status_code == 409
    assert "You have already sent exactly this text." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_blocked_account_cannot_comment(client, proposal, people):
    actions.block(people.citizen, moderator=people.moderator, reason="Spam.")
    client.force_login(people.citizen)
    section = section_of(page(client, proposal))
    assert "Your account has been blocked by the moderators, so you cannot comment." in section
    response = client.post(post_url(proposal), {"comment-body": "Let me in."})
    assert response.status_code == 403
    assert "Your account has been blocked by the moderators" in response.content.decode()
    assert not Comment.objects.exists()


def test_anonymous_comments_where_allowed_are_rate_limited(client, make_process, fresh, settings):
    settings.MODERATION_ANONYMOUS_RATE_LIMIT = "2/h"
    process = fresh(make_process(capabilities={"comments.comment": "anyone"}))
    proposal = Proposal.objects.create(process=process, title="Open", body="Open to all.")
    section = section_of(page(client, proposal))
    assert "<form" not in section and "csrfmiddlewaretoken" not in section  # cached for anonymous visitors
    assert f'href="{post_url(proposal)}"' in section  # the form is on its own page
    form_page = client.get(post_url(proposal))
    assert form_page.status_code == 200 and "csrfmiddlewaretoken" in form_page.content.decode()
    for number in range(2):
        response = client.post(post_url(proposal), {"comment-body": f"Anonymous {number}."}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 303
    response = client.post(post_url(proposal), {"comment-body": "One too many."}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Please wait a while and try again." in response.content.decode()
    assert list(Comment.objects.values_list("author", flat=True)) == [None, None]
    other = client.post(post_url(proposal), {"comment-body": "From elsewhere."}, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 303


def test_replies_go_to_comments_of_the_same_process(client, proposal, make_process, fresh, people):
    comment = comments.post(proposal, people.citizen, "Here.")
    elsewhere = fresh(make_process(title="Another process"))
    client.force_login(people.resident)
    assert client.get(reverse("participation:comment_reply", args=[elsewhere.slug, comment.pk])).status_code == 404
    reply_url = reverse("participation:comment_reply", args=[proposal.process.slug, comment.pk])
    assert "Here." in client.get(reply_url).content.decode()
    assert client.post(reply_url, {"comment-body": "There."}).status_code == 303
    assert Comment.objects.get(body="There.").parent_id == comment.pk
    assert (
        client.get(reverse("participation:comment_post", args=[proposal.process.slug, "process", 1])).status_code == 404
    )


# --- The section on large pages ---------------------------------------------------------------------------------------


def add_comments(proposal, people, count: int) -> None:
    """`count` comments, every third a reply, from several authors, some official, deleted or hidden."""
    authors = [people.citizen, people.resident, people.org_member, people.officer]
    top = None
    for number in range(count):
        parent = top if number % 3 == 2 else None
        comment = comments.post(
            proposal,
            authors[number % 4],
            f"{proposal.title}: comment {number}.",
            parent=parent,
            stance=["for", "against", ""][number % 3],
            official=authors[number % 4] == people.officer,
        )
        top = comment if parent is None else top
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HIDDEN, moderation_reason="Rude.")


def render_section(user, process, proposal) -> str:
    request = RequestFactory().get(proposal.get_absolute_url())
    request.user = user
    return render_to_string(
        "participation/comments/_section.html", section_context(request, process, proposal), request
    )


@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer"])
def test_the_section_costs_the_same_queries_for_5_and_60_comments(make_process, fresh, people, who):
    counts = []
    for size in (5, 60):
        process = fresh(make_process())
        proposal = Proposal.objects.create(process=process, title=f"{size} comments", body="Talk.")
        add_comments(proposal, people, size)
        user = getattr(people, who) or AnonymousUser()
        for cached in ("_participation_facts", "_platform_roles", "_municipal_roles", "_moderation_blocked"):
            user.__dict__.pop(cached, None)
        with CaptureQueriesContext(connection) as queries:
            html = render_section(user, process, proposal)
        assert html.count('class="comment') >= size // 2
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 8


def test_threads_are_paged(client, proposal, people):
    for number in range(THREADS_PER_PAGE + 3):
        Comment.objects.create(target=proposal, process=proposal.process, author=people.citizen, body=f"C{number}.")
    first = section_of(page(client, proposal))
    assert first.count("<article") == THREADS_PER_PAGE and "?comments=2#comments" in first
    second = client.get(proposal.get_absolute_url() + "?comments=2").content.decode()
    assert section_of(second).count("<article") == 3 and "?comments=1#comments" in section_of(second)


def test_the_author_of_a_hidden_comment_sees_why(client, proposal, people):
    comment = comments.post(proposal, people.citizen, "Something rude.")
    actions.hide(comment, moderator=people.moderator, reason="Please keep it polite.")
    public = section_of(page(client, proposal))
    assert "This comment was hidden by a moderator." in public and "Something rude." not in public
    client.force_login(people.citizen)
    own = section_of(page(client, proposal))
    assert "A moderator hid your comment." in own and "Please keep it polite." in own
