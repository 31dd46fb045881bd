"""Moderation: anyone reports, three reports hide a contribution until a moderator looks at it (exactly once, also
under concurrent reports), moderators see everything and officers their own municipality, decisions need a reason
that the author is told and that stays in the history, blocked accounts cannot contribute."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from civiclink.moderation import actions
from civiclink.moderation.models import Block, Decision, Report, Visibility
from civiclink.participation import access, comments
from civiclink.participation.models import Comment, Proposal
from support import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(make_process, fresh):
    return fresh(make_process(title="Clean Neretva"))


@pytest.fixture
def proposal(process, people):
    found = Proposal.objects.create(
        process=process, title="Bins along the river", body="Put bins every 200 m.", author=people.citizen
    )
    found.process = process
    return found


@pytest.fixture
def comment(proposal, people):
    return comments.post(proposal, people.citizen, "The council never listens, idiots.")


def report_url(obj) -> str:
    return reverse("moderation:report", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def item_url(obj) -> str:
    return reverse("moderation:item", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def text(response) -> str:
    return response.content.decode()


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def count_of(proposal) -> int:
    return Proposal.objects.values_list("comment_count", flat=True).get(pk=proposal.pk)


# --- Reporting ----------------------------------------------------------------------------------------------------


def test_anyone_can_open_the_report_form(client, comment):
    page = client.get(report_url(comment))
    assert page.status_code == 200
    html = text(page)
    assert "<legend>Why should the moderators look at this?</legend>" in html
    assert "Spam or advertising" in html and "csrfmiddlewaretoken" in html
    assert "The council never listens" in html
    assert "no-cache" in page["Cache-Control"]


def test_three_reports_hide_a_comment_pending_review(client, proposal, comment, people):
    reporters = [people.resident, people.org_member, None]
    for number, reporter in enumerate(reporters, start=1):
        if reporter:
            client.force_login(reporter)
        else:
            client.logout()
        response = client.post(
            report_url(comment) + f"?next={proposal.get_absolute_url()}",
            {"reason": "offensive", "details": "Insults."},
            REMOTE_ADDR="203.0.113.5",
        )
        assert response.status_code == 303 and response["Location"] == proposal.get_absolute_url()
        expected = Visibility.PENDING if number == 3 else Visibility.VISIBLE
        assert (reload(comment).visibility, reload(comment).report_count) == (expected, number)
    assert count_of(proposal) == 0
    page = text(client.get(proposal.get_absolute_url()))
    assert "Thank you for your report." in page
    assert "This comment is hidden while the moderators review it." in page and "idiots" not in page
    client.force_login(people.citizen)
    assert "Your comment is hidden while the moderators review reports about it." in text(
        client.get(proposal.get_absolute_url())
    )


def test_the_same_reporter_counts_once(client, proposal, comment, people):
    client.force_login(people.resident)
    for _attempt in range(2):
        response = client.post(report_url(comment), {"reason": "spam"}, follow=True)
    assert "You have already reported this." in text(response)
    client.logout()
    for _attempt in range(2):
        client.post(report_url(comment), {"reason": "spam"}, REMOTE_ADDR="198.51.100.7")
    assert reload(comment).report_count == 2 and Report.objects.count() == 2
    assert reload(comment).visibility == Visibility.VISIBLE


def test_a_report_needs_a_reason_and_only_registered_kinds_can_be_reported(client, comment, people):
    response = client.post(report_url(comment), {"details": "x" * 1001})
    assert response.status_code == 400
    assert "This field is required." in text(response) and "at most 1000 characters" in text(response)
    assert not Report.objects.exists()
    assert client.get(reverse("moderation:report", args=["accounts", "user", people.citizen.pk])).status_code == 404
    assert client.get(reverse("moderation:report", args=["participation", "comment", 999999])).status_code == 404
    comments.delete(comment, people.citizen)
    assert client.get(report_url(comment)).status_code == 404


def test_anonymous_reports_are_rate_limited(client, proposal, people, settings):
    settings.MODERATION_ANONYMOUS_RATE_LIMIT = "2/h"
    targets = [comments.post(proposal, people.resident, f"Comment {number}.") for number in range(3)]
    statuses = [
        client.post(report_url(target), {"reason": "spam"}, REMOTE_ADDR="203.0.113.8").status_code for target in targets
    ]
    assert statuses == [303, 303, 429]
    assert Report.objects.count() == 2


def test_a_contribution_hidden_already_is_not_reported_again(client, comment, people):
    actions.hide(comment, moderator=people.moderator, reason="Insults.")
    page = client.get(report_url(comment))
    assert "already hidden" in text(page) and "<form" not in text(page).split("<main", 1)[1]
    client.post(report_url(comment), {"reason": "spam"})
    assert not Report.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_hide_exactly_once(make_process, fresh, people):
    process = fresh(make_process())
    proposal = Proposal.objects.create(process=process, title="Racing reports", body="Go.")
    proposal.process = process
    target = comments.post(proposal, people.citizen, "Report me five times at once.")
    assert count_of(proposal) == 1

    def report(barrier, number):
        barrier.wait()
        return actions.report(target, user=AnonymousUser(), address_key=f"address-{number}", reason="spam")

    outcomes = at_once(report, [(number,) for number in range(5)], {})
    assert outcomes == [False, False, False, False, True]
    assert (reload(target).visibility, reload(target).report_count) == (Visibility.PENDING, 5)
    assert count_of(proposal) == 0


# --- The queue and who sees it --------------------------------------------------------------------------------------


@pytest.fixture
def reported(proposal, make_process, fresh, world, people):
    """A reported proposal in Mostar and one in Trebinje."""
    away = fresh(make_process(title="Trebinje parks", municipality=world.away))
    elsewhere = Proposal.objects.create(
        process=away, title="Fountain in Trebinje", body="Water.", author=people.resident
    )
    for target in (proposal, elsewhere):
        actions.report(target, user=AnonymousUser(), address_key="someone", reason="spam")
    return proposal, elsewhere


def test_moderators_see_every_report_and_officers_their_municipality(client, reported, people):
    home, away = reported
    client.force_login(people.moderator)
    queue = text(client.get(reverse("moderation:queue")))
    assert "Bins along the river" in queue and "Fountain in Trebinje" in queue
    assert "Spam or advertising: 1" in queue and "Blocked accounts" in queue

    client.force_login(people.officer)
    queue = text(client.get(reverse("moderation:queue")))
    assert "Bins along the river" in queue and "Fountain in Trebinje" not in queue
    assert "Blocked accounts" not in queue
    assert client.get(item_url(home)).status_code == 200
    assert client.get(item_url(away)).status_code == 403
    assert client.post(item_url(away), {"action": "hide", "hide-reason": "No."}).status_code == 403
    assert client.get(reverse("moderation:blocked")).status_code == 403

    client.force_login(people.citizen)
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert client.get(item_url(home)).status_code == 403
    client.logout()
    assert client.get(reverse("moderation:queue")).status_code == 302


def test_hide_and_restore_need_a_reason_and_keep_a_history(client, proposal, comment, people, mailoutbox):
    client.force_login(people.officer)
    refused = client.post(item_url(comment), {"action": "hide", "hide-reason": "  "})
    assert refused.status_code == 400 and "This field is required." in text(refused)
    assert reload(comment).visibility == Visibility.VISIBLE and not Decision.objects.exists()

    hidden = client.post(item_url(comment), {"action": "hide", "hide-reason": "Insults are not allowed."})
    assert hidden.status_code == 303
    assert (reload(comment).visibility, reload(comment).moderation_reason) == (
        Visibility.HIDDEN,
        "Insults are not allowed.",
    )
    assert count_of(proposal) == 0
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [people.citizen.email] and mail.subject == "Your contribution was hidden by a moderator"
    assert "Insults are not allowed." in mail.body and "The council never listens, idiots." in mail.body

    client.post(item_url(comment), {"action": "restore", "restore-reason": "The author apologised."})
    assert reload(comment).visibility == Visibility.VISIBLE and count_of(proposal) == 1
    assert list(Decision.objects.values_list("action", "reason")) == [
        ("restore", "The author apologised."),
        ("hide", "Insults are not allowed."),
    ]
    page = text(client.get(item_url(comment)))
    assert "Insults are not allowed." in page and "The author apologised." in page
    assert len(mailoutbox) == 1  # a restore tells nobody


def test_the_author_is_told_in_the_language_they_chose(client, comment, people, mailoutbox):
    people.citizen.language = "sq"
    people.citizen.save(update_fields=["language"])
    client.force_login(people.officer)

    client.post(item_url(comment), {"action": "hide", "hide-reason": "Insults are not allowed."})

    assert mailoutbox[0].subject == "Kontributi juaj u fsheh nga një moderator"
    assert "Insults are not allowed." in mailoutbox[0].body  # the moderator's words, as written


def test_decisions_close_the_reports(client, comment, people):
    for number in range(3):
        actions.report(comment, user=AnonymousUser(), address_key=f"a{number}", reason="spam")
    client.force_login(people.moderator)
    client.post(item_url(comment), {"action": "restore", "restore-reason": "Not spam."})
    assert reload(comment).report_count == 0
    assert not Report.objects.filter(resolved=False).exists()
    assert "There is nothing to review." in text(client.get(reverse("moderation:queue")))
    actions.report(comment, user=AnonymousUser(), address_key="new", reason="spam")
    assert reload(comment).visibility == Visibility.VISIBLE  # counting starts again


def test_hidden_proposals_leave_the_public_pages_and_the_author_sees_why(client, proposal, people, mailoutbox):
    client.force_login(people.moderator)
    client.post(item_url(proposal), {"action": "hide", "hide-reason": "Advertising for a shop."})
    assert "Advertising for a shop." in mailoutbox[0].body and "Bins along the river" in mailoutbox[0].body
    hidden_queue = text(client.get(reverse("moderation:queue") + "?show=hidden"))
    assert "Bins along the river" in hidden_queue and "Advertising for a shop." in hidden_queue

    client.logout()
    listing = text(client.get(reverse("participation:process", args=[proposal.process.slug])))
    assert "Bins along the river" not in listing
    page = text(client.get(proposal.get_absolute_url()))
    assert "Put bins every 200 m." not in page and "hidden by the moderators" in page

    client.force_login(people.citizen)
    own = text(client.get(proposal.get_absolute_url()))
    assert "Advertising for a shop." in own


# --- Blocking -------------------------------------------------------------------------------------------------------


def test_a_blocked_author_cannot_contribute_until_unblocked(client, proposal, comment, people, fresh):
    client.force_login(people.officer)
    assert client.post(item_url(comment), {"action": "block", "block-reason": "Spam."}).status_code == 403
    client.force_login(people.moderator)
    refused = client.post(item_url(comment), {"action": "block", "block-reason": ""})
    assert refused.status_code == 400 and not Block.objects.exists()
    assert client.post(item_url(comment), {"action": "block", "block-reason": "Insults again."}).status_code == 303
    assert "has been blocked since" in text(client.get(item_url(comment)))
    blocked_page = text(client.get(reverse("moderation:blocked")))
    assert people.citizen.email in blocked_page and "Insults again." in blocked_page

    citizen = type(people.citizen).objects.get(pk=people.citizen.pk)
    process = fresh(proposal.process)
    assert access.check(citizen, process, "proposals", "submit").need == "blocked"
    client.force_login(citizen)
    post_url = reverse("participation:comment_post", args=[process.slug, "proposal", proposal.pk])
    response = client.post(post_url, {"comment-body": "I am back."})
    assert response.status_code == 403 and "blocked by the moderators" in text(response)
    assert not Comment.objects.filter(body="I am back.").exists()

    client.force_login(people.moderator)
    block = Block.objects.get()
    assert client.post(reverse("moderation:unblock", args=[block.pk])).status_code == 303
    assert "No account is blocked." in text(client.get(reverse("moderation:blocked")))
    client.force_login(citizen)
    assert client.post(post_url, {"comment-body": "I am back."}).status_code == 303


def test_the_back_office_links_to_the_queue(client, people):
    client.force_login(people.staff)
    page = text(client.get("/admin/"))
    assert '"name": "moderation-queue"' in page and '/moderation/"' in page
