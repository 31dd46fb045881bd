"""Following, notifications and their e-mails: followers hear about what they follow (never about their own acts),
at once or in a daily digest, each e-mail once however often its task runs, and every e-mail unsubscribes in one
click, without logging in, also from the mail program's own button (RFC 8058)."""

import re
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from civiclink.participation import following, notify, proposals
from civiclink.participation.models import Comment, Follow, Notification, NotificationSettings, Proposal
from civiclink.participation.tasks import send_daily_digest, send_notifications
from support import at_once

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/unsubscribe/(\S+)/")


@pytest.fixture
def scene(make_process, people):
    """A process, a proposal by the citizen, and the resident following the process."""
    process = make_process(title="Green Mostar")
    proposal = proposals.create_proposal(process, author=people.citizen, title="Trees on Rondo", body="Plant trees.")
    following.follow(people.resident, process)
    return process, proposal


def settle(user, frequency: str = "immediate", follow_own: bool = True) -> None:
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"frequency": frequency, "follow_own": follow_own}
    )


def links(message) -> list[str]:
    return LINK.findall(message.body)


# --- Following -------------------------------------------------------------------------------------------------


def test_follow_and_unfollow_are_idempotent(make_process, people):
    process = make_process()
    assert following.follow(people.citizen, process) is True
    assert following.follow(people.citizen, process) is False
    assert following.is_following(people.citizen, process)
    assert following.unfollow(people.citizen, process) is True
    assert following.unfollow(people.citizen, process) is False
    assert not Follow.objects.exists()


def test_followed_ids_answers_for_a_whole_list_in_one_query(make_process, people, django_assert_num_queries):
    processes = [make_process() for _ in range(4)]
    following.follow(people.citizen, processes[1])
    following.follow(people.citizen, processes[3])
    following.follow(people.resident, processes[0])
    with django_assert_num_queries(1):
        assert following.followed_ids(people.citizen, processes) == {processes[1].pk, processes[3].pk}


def test_authors_follow_their_proposals_unless_they_said_no(make_process, people):
    process = make_process()
    own = proposals.create_proposal(process, author=people.citizen, title="Benches", body="More benches.")
    settle(people.resident, follow_own=False)
    other = proposals.create_proposal(process, author=people.resident, title="Lights", body="More lights.")
    assert following.is_following(people.citizen, own)
    assert not following.is_following(people.resident, other)


def test_the_follow_button_toggles_and_goes_back(client, scene, people):
    process, proposal = scene
    client.force_login(people.resident)
    url = f"/en/participation/follow/proposal/{proposal.pk}/"

    response = client.post(url, {"next": process.get_absolute_url()})
    assert response.status_code == 303 and response["Location"] == process.get_absolute_url()
    assert following.is_following(people.resident, proposal)

    response = client.post(url, {"next": "https://elsewhere.example/"}, follow=True)
    assert not following.is_following(people.resident, proposal)
    assert response.redirect_chain[0] == (proposal.get_absolute_url(), 303)  # not off-site
    assert "You no longer follow “Trees on Rondo”." in response.content.decode()


def test_following_needs_an_account_and_a_visible_target(client, make_process, scene, people):
    process, proposal = scene
    draft = make_process(published=False)
    assert client.get(f"/en/participation/follow/process/{process.pk}/").status_code == 405
    response = client.post(f"/en/participation/follow/process/{process.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(people.citizen)
    assert client.post(f"/en/participation/follow/process/{draft.pk}/").status_code == 404
    assert client.post(f"/en/participation/follow/meeting/{process.pk}/").status_code == 404
    assert not Follow.objects.filter(user=people.citizen, object_id=draft.pk).exists()
    Proposal.objects.filter(pk=proposal.pk).update(visibility="hidden")
    client.force_login(people.resident)
    assert client.post(f"/en/participation/follow/proposal/{proposal.pk}/").status_code == 404
    client.force_login(people.citizen)  # the author follows it: stopping is always possible
    assert client.post(f"/en/participation/follow/proposal/{proposal.pk}/").status_code == 303
    assert not following.is_following(people.citizen, proposal)


def test_the_follow_button_swaps_itself_with_htmx(client, scene, people):
    process, _proposal = scene
    client.force_login(people.citizen)
    response = client.post(f"/en/participation/follow/process/{process.pk}/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and "<form" in page and "Stop following" in page
    assert "You now follow “Green Mostar”" in page


def test_settings_page_saves_the_frequency_and_lists_what_is_followed(client, scene, people):
    assert client.get("/en/participation/notifications/").status_code == 302
    client.force_login(people.citizen)
    page = client.get("/en/participation/notifications/").content.decode()
    assert "Trees on Rondo" in page and "<legend" in page  # the author follows their proposal

    response = client.post("/en/participation/notifications/", {"frequency": "daily", "follow_own": ""})
    assert response.status_code == 303
    saved = NotificationSettings.objects.get(user=people.citizen)
    assert (saved.frequency, saved.follow_own) == ("daily", False)

    response = client.post("/en/participation/notifications/", {"frequency": "hourly"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert NotificationSettings.objects.get(user=people.citizen).frequency == "daily"


# --- Events ----------------------------------------------------------------------------------------------------


def test_events_reach_followers_of_the_target_and_its_process_but_not_the_actor(scene, people, make_user):
    process, proposal = scene
    both = make_user("both@example.org")
    following.follow(both, process)
    following.follow(both, proposal)
    silent = make_user("silent@example.org")
    following.follow(silent, process)
    settle(silent, "never")
    make_user("stranger@example.org")

    notify.event(proposal, Notification.Event.ANSWERED, actor=people.resident, text="We will plant 40 trees.")

    rows = {row.user.email: row for row in Notification.objects.select_related("user")}
    assert set(rows) == {"citizen@example.org", "both@example.org"}  # the resident acted
    assert rows["citizen@example.org"].title == "Your proposal “Trees on Rondo” was answered"
    assert rows["both@example.org"].title == "The municipality answered “Trees on Rondo”"
    assert rows["both@example.org"].url == f"/en/participation/green-mostar/proposals/{proposal.pk}/"
    assert rows["both@example.org"].text == "We will plant 40 trees."


def test_what_a_moderator_hid_is_told_to_its_own_followers_only(scene, people):
    _process, proposal = scene  # the resident follows the process, the citizen their proposal
    notify.event(proposal, Notification.Event.HIDDEN, actor=people.moderator)
    (row,) = Notification.objects.all()
    assert row.user == people.citizen and row.title == "Your proposal “Trees on Rondo” was hidden by a moderator"


def test_titles_and_links_are_in_the_site_language_whatever_the_actor_reads(scene, people, settings):
    settings.LANGUAGE_CODE = "hr"
    _process, proposal = scene
    notify.event(proposal, Notification.Event.ANSWERED)
    row = Notification.objects.get(user=people.citizen)
    assert "Trees on Rondo" in row.title and row.url.startswith("/hr/participation/")


def test_a_comment_stands_for_what_it_comments_on(scene, people):
    _process, proposal = scene
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Proposal),
        object_id=proposal.pk,
        author=people.resident,
        body="Yes, please!",
    )
    notify.event(comment, Notification.Event.COMMENTED, actor=people.resident)
    row = Notification.objects.get()
    assert (row.user, row.object_id, row.text) == (people.citizen, proposal.pk, "Yes, please!")
    assert row.title == "Someone commented on your proposal “Trees on Rondo”"


# --- E-mails ---------------------------------------------------------------------------------------------------


def test_an_immediate_email_leaves_once_even_if_the_task_runs_twice(
    scene, people, mailoutbox, django_capture_on_commit_callbacks
):
    _process, proposal = scene
    with django_capture_on_commit_callbacks(execute=True):
        notify.event(proposal, Notification.Event.ANSWERED, actor=people.officer, text="Accepted.")
    by_address = {message.to[0]: message for message in mailoutbox}
    assert len(mailoutbox) == 2 and set(by_address) == {"citizen@example.org", "resident@example.org"}
    message = by_address["citizen@example.org"]
    assert message.subject == "Your proposal “Trees on Rondo” was answered"
    assert f"/participation/green-mostar/proposals/{proposal.pk}/" in message.body and "Accepted." in message.body

    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_notifications.call(ids) == 0
    assert len(mailoutbox) == 2
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_process_followers_hear_about_its_proposals(scene, people, mailoutbox, django_capture_on_commit_callbacks):
    _process, proposal = scene
    with django_capture_on_commit_callbacks(execute=True):
        notify.event(proposal, Notification.Event.STATE, actor=people.citizen)
    assert [message.to for message in mailoutbox] == [["resident@example.org"]]


def test_each_follower_is_written_to_in_the_language_they_chose(
    scene, people, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    _process, proposal = scene
    albanian = make_user("albanian@example.org", language="sq")
    following.follow(albanian, proposal)
    people.resident.language = "mk"
    people.resident.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        notify.event(proposal, Notification.Event.ANSWERED, actor=people.officer)

    sent = {message.to[0]: message for message in mailoutbox}
    macedonian, albanian, english = (sent[f"{name}@example.org"] for name in ("resident", "albanian", "citizen"))
    assert macedonian.subject == "Општината одговори на „Trees on Rondo“"
    assert albanian.subject == "Komuna iu përgjigj «Trees on Rondo»"
    assert english.subject == "Your proposal “Trees on Rondo” was answered"  # never chosen: the site's language
    # The links to the proposal, to the settings and to unsubscribe lead to pages in the same language.
    for message, language in ((macedonian, "mk"), (albanian, "sq")):
        with translation.override(language):
            assert proposal.get_absolute_url() in message.body
        assert f"/{language}/participation/notifications/" in message.body
        assert f"/{language}/participation/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_emails_carry_the_one_click_unsubscribe_headers(scene, people, mailoutbox, django_capture_on_commit_callbacks):
    _process, proposal = scene
    with django_capture_on_commit_callbacks(execute=True):
        notify.event(proposal, Notification.Event.ANSWERED)
    assert len(mailoutbox) == 2
    message = mailoutbox[0]
    everything = message.extra_headers["List-Unsubscribe"]
    assert everything.startswith("<http") and everything.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert everything[1:-1] in message.body
    assert len(links(message)) == 2  # stop following this, and no more e-mails at all


def test_the_daily_digest_gathers_unsent_notifications(scene, people, mailoutbox, django_capture_on_commit_callbacks):
    _process, proposal = scene
    settle(people.resident, "daily")
    with django_capture_on_commit_callbacks(execute=True):
        notify.event(proposal, Notification.Event.ANSWERED, actor=people.citizen)
        notify.event(proposal, Notification.Event.STATE, actor=people.citizen)
    assert mailoutbox == []

    out = StringIO()
    call_command("participation", "send-digest", stdout=out)
    assert "Digests sent: 1" in out.getvalue()
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert digest.to == ["resident@example.org"]
    assert digest.subject == "Your daily summary from CivicLink: 2 updates"
    assert "The municipality answered “Trees on Rondo”" in digest.body
    assert "“Trees on Rondo” is now in the state “Submitted”" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert send_daily_digest.call() == 0
    assert len(mailoutbox) == 1


def test_the_digest_is_in_the_language_its_reader_chose(scene, people, mailoutbox, django_capture_on_commit_callbacks):
    _process, proposal = scene
    settle(people.resident, "daily")
    people.resident.language = "hr"
    people.resident.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        notify.event(proposal, Notification.Event.ANSWERED, actor=people.citizen)
        notify.event(proposal, Notification.Event.STATE, actor=people.citizen)

    assert send_daily_digest.call() == 1
    digest = mailoutbox[0]
    assert digest.subject == "Vaš dnevni sažetak s CivicLinka: 2 novosti"
    assert "Općina je odgovorila na „Trees on Rondo“" in digest.body
    assert "/hr/participation/notifications/" in digest.body


def test_the_digest_skips_those_who_want_nothing(scene, people, mailoutbox):
    _process, proposal = scene
    settle(people.resident, "daily")
    notify.event(proposal, Notification.Event.ANSWERED, actor=people.citizen)
    settle(people.resident, "never")
    assert send_daily_digest.call() == 0 and mailoutbox == []


def unsent(proposal, *users) -> list[int]:
    """Notifications waiting for their e-mail, as `event` leaves them before its task runs."""
    kinds = {"content_type": ContentType.objects.get_for_model(Proposal), "object_id": proposal.pk}
    return [
        Notification.objects.create(user=user, event="answered", title="Answered", url="/", **kinds).pk
        for user in users
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_running_at_once_send_each_email_once(scene, people, mailoutbox):
    """Every worker reads the notifications before any has claimed one; the conditional UPDATE lets one send."""
    _process, proposal = scene
    ids = unsent(proposal, people.citizen, people.resident)
    settle(people.officer, "daily")
    unsent(proposal, people.officer, people.officer)

    def work(barrier, task, *args):
        barrier.wait()
        return task.call(*args)

    outcomes = at_once(work, [(send_notifications, ids)] * 3 + [(send_daily_digest,)] * 3, {})
    assert sum(outcomes) == 3, outcomes  # however the workers shared the work
    assert sorted(message.to[0] for message in mailoutbox) == [
        "citizen@example.org",
        "officer@example.org",
        "resident@example.org",
    ]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


# --- Unsubscribing ---------------------------------------------------------------------------------------------


@pytest.fixture
def emailed(scene, people, mailoutbox, django_capture_on_commit_callbacks):
    """The e-mail the citizen got about their proposal: (stop-following token, unsubscribe-all token)."""
    _process, proposal = scene
    with django_capture_on_commit_callbacks(execute=True):
        notify.event(proposal, Notification.Event.ANSWERED, actor=people.officer)
    (message,) = [message for message in mailoutbox if message.to == [people.citizen.email]]
    stop, everything = links(message)
    assert message.extra_headers["List-Unsubscribe"].endswith(f"/unsubscribe/{everything}/>")
    return stop, everything


def frequency(user) -> str:
    return following.settings_for(user).frequency


def test_the_unsubscribe_link_works_without_logging_in(client, emailed, people):
    _stop, everything = emailed
    url = f"/en/participation/unsubscribe/{everything}/"
    page = client.get(url)
    assert page.status_code == 200 and "<button" in page.content.decode()
    assert frequency(people.citizen) == "immediate"  # looking at the link changes nothing

    response = client.post(url)
    assert response.status_code == 303 and response["Location"] == url
    assert frequency(people.citizen) == "never"
    assert "You are unsubscribed" in client.get(url).content.decode()
    assert following.is_following(people.citizen, Proposal.objects.get())  # follows stay, e-mails stop


def test_the_stop_following_link_removes_that_follow_only(client, emailed, scene, people):
    process, proposal = scene
    following.follow(people.citizen, process)
    stop, _everything = emailed
    url = f"/en/participation/unsubscribe/{stop}/"
    assert "Stop following “Trees on Rondo”" in client.get(url).content.decode()
    client.post(url)
    assert not following.is_following(people.citizen, proposal)
    assert following.is_following(people.citizen, process)
    assert frequency(people.citizen) == "immediate"
    assert "You no longer follow this" in client.get(url).content.decode()


def test_the_one_click_post_of_mail_programs_works_without_csrf(emailed, people):
    _stop, everything = emailed
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        f"/en/participation/unsubscribe/{everything}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and "Location" not in response
    assert frequency(people.citizen) == "never"
    again = mail_program.post(
        f"/en/participation/unsubscribe/{everything}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 200


@pytest.mark.parametrize("change", [lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), lambda t: "x" + t])
def test_a_tampered_token_is_refused(client, emailed, people, change):
    _stop, everything = emailed
    url = f"/en/participation/unsubscribe/{change(everything)}/"
    assert client.get(url).status_code == 400
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert frequency(people.citizen) == "immediate"


def test_a_token_for_another_purpose_is_refused(client, people):
    from django.core import signing

    forged = signing.dumps({"u": people.citizen.pk}, salt="another-purpose", compress=True)
    assert client.post(f"/en/participation/unsubscribe/{forged}/").status_code == 400
    assert frequency(people.citizen) == "immediate"


# --- Counters --------------------------------------------------------------------------------------------------


def test_recount_fixes_drifted_counters(scene, people):
    from civiclink.participation.models import Support

    _process, proposal = scene
    Support.objects.create(proposal=proposal, user=people.resident)
    kinds = {"content_type": ContentType.objects.get_for_model(Proposal), "object_id": proposal.pk}
    Comment.objects.create(**kinds, author=people.resident, body="Shown")
    Comment.objects.create(**kinds, author=people.resident, body="Deleted", deleted_at="2024-01-01T00:00Z")
    Comment.objects.create(**kinds, author=people.resident, body="Hidden", visibility="hidden")
    Proposal.objects.filter(pk=proposal.pk).update(support_count=7, comment_count=1)

    out = StringIO()
    call_command("participation", "recount", stdout=out)
    assert "support_count: 1 proposal(s) drifted, fixed" in out.getvalue()
    assert "comment_count: 0 proposal(s) drifted, fixed" in out.getvalue()
    proposal.refresh_from_db()
    assert (proposal.support_count, proposal.comment_count) == (1, 1)


def test_followers_hear_once_of_a_phase_that_begins_on_its_date(make_process, people):
    import datetime

    from django.utils import timezone

    from civiclink.participation.models import Phase
    from civiclink.participation.processes import announce_started_phases

    process = make_process()
    following.follow(people.citizen, process)
    Phase.objects.filter(process=process).update(announced_at=timezone.now())  # the running one, told already
    starts = timezone.now() + datetime.timedelta(days=31)
    voting = Phase.objects.create(
        process=process, name="Voting", starts_at=starts, ends_at=starts + datetime.timedelta(days=7)
    )

    out = StringIO()
    call_command("participation", "announce-phases", stdout=out)
    assert out.getvalue().strip() == "Phases announced: 0"  # not begun yet
    assert announce_started_phases(now=starts + datetime.timedelta(hours=1)) == 1
    assert announce_started_phases(now=starts + datetime.timedelta(hours=2)) == 0  # once only
    notice = Notification.objects.get(user=people.citizen)
    assert notice.event == Notification.Event.PHASE and "Voting" in f"{notice.title} {notice.text}"
    voting.refresh_from_db()
    assert voting.announced_at is not None
