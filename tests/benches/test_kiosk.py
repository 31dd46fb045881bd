"""The kiosk on a bench's screen without JavaScript: signing the screen in as the bench (and out, when the
credential is rotated or revoked), what it offers its community, answering with plain forms, the cool-down,
language and text size, the endpoints of kiosk.js, and the queries of the main screens."""

import datetime
import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benches.kiosk_setup import choices_of, citizen_campaign, first_question, open_poll, open_process, sign_in, vote
from civiclink.benches import credentials, kiosk
from civiclink.benches.models import BallotToken, KioskAnswer, Status
from civiclink.benches.views.kiosk import SESSION_KEY
from civiclink.governance.models import Channel, Phase, Response
from civiclink.participation.models import Ballot, Poll, Process, Proposal, Source

pytestmark = pytest.mark.django_db


def url(name, bench, *args, **query):
    path = reverse(f"kiosk:{name}", args=[bench.pk, *args])
    return f"{path}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else path


def text(response) -> str:
    return response.content.decode()


def hidden(response, name) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', text(response)).group(1)


@pytest.fixture
def bench_and_credential(make_bench):
    return make_bench()


@pytest.fixture
def bench(bench_and_credential):
    return bench_and_credential[0]


@pytest.fixture
def screen(client, bench):
    """A test client signed in as the bench."""
    sign_in(client, bench)
    return client


@pytest.fixture
def process(world, community):
    return open_process(world.home)


@pytest.fixture
def poll(process):
    return open_poll(process, title="A new playground?")


@pytest.fixture(autouse=True)
def _no_cool_down(settings):
    settings.BENCH_KIOSK_COOLDOWN_SECONDS = 0


def answer_form(page, **answers) -> dict:
    return {"token": hidden(page, "token"), "message": hidden(page, "message"), **answers}


# --- Signing the screen in and out ---------------------------------------------------------------------------------


def test_the_screen_signs_in_once_with_the_bench_credential(client, bench_and_credential, make_bench):
    bench, credential = bench_and_credential
    _other, other_credential = make_bench()
    assert client.get(url("home", bench)).url == url("start", bench)
    assert client.post(url("start", bench), {"credential": "nonsense"}).status_code == 400
    refused = client.post(url("start", bench), {"credential": other_credential})
    assert refused.status_code == 400 and "not the credential of this bench" in text(refused)
    started = client.post(url("start", bench), {"credential": credential})
    assert (started.status_code, started.url) == (303, url("home", bench))
    assert client.session[SESSION_KEY] == {"bench": str(bench.pk), "version": bench.credential_version}
    assert client.get(url("home", bench)).status_code == 200
    assert client.get(url("start", bench)).url == url("home", bench)  # already started


def test_a_rotated_credential_ends_the_session(screen, bench):
    assert screen.get(url("home", bench)).status_code == 200
    credentials.rotate(bench)
    assert screen.get(url("home", bench)).url == url("start", bench)
    assert SESSION_KEY not in screen.session
    assert screen.post(url("messages", bench), "[]", content_type="application/json").status_code == 403


@pytest.mark.parametrize("switch_off", ["revoke", "retire"])
def test_a_revoked_or_retired_bench_shows_that_it_is_out_of_service(screen, bench, switch_off):
    type(bench).objects.filter(pk=bench.pk).update(languages=["en"])  # the kiosk speaks the bench's first language
    if switch_off == "revoke":
        credentials.revoke(bench)
    else:
        type(bench).objects.filter(pk=bench.pk).update(status=Status.RETIRED)
    page = screen.get(url("home", bench))
    assert page.status_code == 403 and "This bench is out of service" in text(page)
    assert "<form" not in text(page)
    assert SESSION_KEY not in screen.session
    assert screen.get(url("start", bench)).status_code == 403
    assert screen.post(url("messages", bench), "[]", content_type="application/json").status_code == 403


def test_staff_who_manage_the_bench_may_preview_it_without_recording(client, bench, poll, role_user, make_user):
    type(bench).objects.filter(pk=bench.pk).update(languages=["en"])  # the kiosk speaks the bench's first language
    client.force_login(make_user("passer-by@example.org"))
    assert client.get(url("home", bench)).url == url("start", bench)
    client.force_login(role_user("officer"))  # an officer of Mostar, where the bench stands
    home = client.get(url("home", bench))
    assert home.status_code == 200 and "answers given here are not recorded" in text(home)
    ballot = client.get(url("poll", bench, poll.pk))
    assert hidden(ballot, "token") == "" and "disabled" in text(ballot)
    question, choices = first_question(poll)
    refused = client.post(url("poll", bench, poll.pk), {"message": str(uuid.uuid4()), f"q-{question}": choices[0]})
    assert refused.status_code == 403
    assert client.post(url("messages", bench), "[]", content_type="application/json").status_code == 403
    assert not BallotToken.objects.exists() and not Ballot.objects.exists()


# --- What is open ----------------------------------------------------------------------------------------------------


def test_what_is_open_for_the_community(bench, world, community, make_municipality):
    from civiclink.places.models import LocalCommunity

    now = timezone.now()
    elsewhere = LocalCommunity.objects.create(municipality=world.home, name="Cim", slug="cim")
    everywhere = open_process(world.home, title="Whole city")
    here = open_process(world.home, communities=[community, elsewhere], title="Zahum")
    shown = [open_poll(everywhere, title="Everywhere"), open_poll(here, title="Here")]
    open_poll(everywhere, title="Closed", opens_at=now - datetime.timedelta(days=9), closes_at=now)
    open_poll(everywhere, title="Later", opens_at=now + datetime.timedelta(days=1))
    open_poll(everywhere, title="Web only", on_benches=False)
    open_poll(everywhere, title="Printed codes", codes_required=True)
    open_poll(open_process(world.home, communities=[elsewhere]), title="Other community")
    open_poll(open_process(world.home, audience="registered"), title="Accounts only")
    open_poll(open_process(world.home, for_network=True), title="CSO network")
    open_poll(open_process(world.away), title="Trebinje")
    Process.objects.filter(pk=open_poll(open_process(world.home), title="Draft").process_id).update(published=False)
    campaign = citizen_campaign(world.home)

    offer = kiosk.offer(community)
    assert {poll.title for poll in offer.polls} == {poll.title for poll in shown}
    assert offer.campaign == campaign
    assert offer.problems == here  # the process that names the community comes first

    campaign.phase = Phase.EVALUATION
    campaign.save()
    assert kiosk.offer(community).campaign is None


def test_the_home_screen_has_a_button_for_each_open_item(screen, bench, poll, process, world):
    campaign = citizen_campaign(world.home)
    page = text(screen.get(url("home", bench)))
    assert f'href="{url("poll", bench, poll.pk)}"' in page and "A new playground?" in page
    assert f'href="{url("questionnaire", bench, campaign.pk)}"' in page
    assert f'href="{url("problem", bench, process.pk)}"' in page and "Report a problem" in page


def test_with_nothing_open_the_home_screen_says_so(screen, bench):
    assert "Nothing is open for answers right now" in text(screen.get(url("home", bench)))


# --- Answering without JavaScript ------------------------------------------------------------------------------------


def test_a_vote_with_plain_forms_then_the_results_with_bench_and_web_apart(screen, bench, poll):
    from civiclink.participation import polls

    question, choices = first_question(poll)
    polls.vote(poll, {question: choices[1]}, source=Source.WEB, credential_kind="browser", credential="web-1")
    page = screen.get(url("poll", bench, poll.pk))
    assert page.status_code == 200 and "A new playground?" in text(page)
    assert 'class="kiosk-qr"' in text(page)  # continue on a phone
    form = answer_form(page, **{f"q-{question}": choices[0]})
    sent = screen.post(url("poll", bench, poll.pk), form)
    assert sent.status_code == 303 and sent.url == url("thanks", bench, "poll", poll.pk, m=form["message"])
    again = screen.post(url("poll", bench, poll.pk), form)  # a double submit: the same message
    assert again.status_code == 303 and again.url == sent.url
    assert Ballot.objects.filter(source=Source.BENCH).count() == 1
    thanks = text(screen.get(sent.url))
    assert "Your answer has been counted." in thanks and "Results so far" in thanks
    assert "2 ballots in all:" in thanks and "Web 1, Smart bench 1, Paper 0." in thanks
    assert "Results so far" not in text(screen.get(url("thanks", bench, "poll", poll.pk, m=uuid.uuid4())))


def test_results_wait_for_the_closing_where_the_poll_says_so(screen, bench, poll):
    Poll.objects.filter(pk=poll.pk).update(show_results=Poll.ShowResults.AFTER_CLOSING)
    question, choices = first_question(poll)
    page = screen.get(url("poll", bench, poll.pk))
    sent = screen.post(url("poll", bench, poll.pk), answer_form(page, **{f"q-{question}": choices[0]}))
    thanks = text(screen.get(sent.url))
    assert "Results so far" not in thanks and "The results will be shown here when the poll closes." in thanks


def test_a_ballot_with_a_mistake_comes_back_with_the_reason_and_nothing_stored(screen, bench, poll):
    page = screen.get(url("poll", bench, poll.pk))
    refused = screen.post(url("poll", bench, poll.pk), answer_form(page))
    assert refused.status_code == 400 and "Please answer this question." in text(refused)
    assert not Ballot.objects.exists() and BallotToken.objects.filter(used_at__isnull=False).count() == 0


def test_a_screen_posted_again_with_a_new_message_keeps_the_answers_and_asks_again(screen, bench, poll):
    question, choices = first_question(poll)
    page = screen.get(url("poll", bench, poll.pk))
    form = answer_form(page, **{f"q-{question}": choices[1]})
    screen.post(url("poll", bench, poll.pk), form)
    refused = screen.post(url("poll", bench, poll.pk), {**form, "message": str(uuid.uuid4())})
    assert refused.status_code == 409 and "already used for an answer" in text(refused)
    assert refused.context["form"][f"q-{question}"].value() == str(choices[1])  # the answer as chosen
    assert hidden(refused, "token") != form["token"]  # a fresh token to send it with
    assert Ballot.objects.count() == 1


def test_a_closed_poll_says_when_it_closed(screen, bench, poll):
    now = timezone.now()
    Poll.objects.filter(pk=poll.pk).update(opens_at=now - datetime.timedelta(days=5), closes_at=now)
    page = screen.get(url("poll", bench, poll.pk))
    assert page.status_code == 409 and "This poll closed on" in text(page)


def test_a_poll_not_shown_on_benches_is_not_offered(screen, bench, poll):
    Poll.objects.filter(pk=poll.pk).update(on_benches=False)
    page = screen.get(url("poll", bench, poll.pk))
    assert page.status_code == 410 and "This is not open on this bench any more." in text(page)


def test_the_cool_down_after_an_answer(screen, bench, poll, settings):
    settings.BENCH_KIOSK_COOLDOWN_SECONDS = 15
    question, choices = first_question(poll)
    page = screen.get(url("poll", bench, poll.pk))
    screen.post(url("poll", bench, poll.pk), answer_form(page, **{f"q-{question}": choices[0]}))
    tokens = BallotToken.objects.count()
    wait = screen.get(url("poll", bench, poll.pk))
    assert wait.status_code == 200 and "The next answer can start in" in text(wait)
    assert BallotToken.objects.count() == tokens  # no ballot, no token
    KioskAnswer.objects.update(answered_at=timezone.now() - datetime.timedelta(seconds=16))
    assert 'name="token"' in text(screen.get(url("poll", bench, poll.pk)))


def test_the_citizen_questionnaire_without_javascript(screen, bench, world):
    from civiclink.governance.responses import active_items

    campaign = citizen_campaign(world.home)
    items = active_items(campaign, "citizens")
    page = screen.get(url("questionnaire", bench, campaign.pk))
    assert page.status_code == 200 and items[0].text in text(page)
    sent = screen.post(
        url("questionnaire", bench, campaign.pk),
        answer_form(page, **{f"item-{items[0].pk}": "5", f"item-{items[1].pk}": "dk"}),
    )
    assert sent.status_code == 303
    assert Response.objects.get().channel == Channel.BENCH
    assert "Your answer has been counted." in text(screen.get(sent.url))


def test_a_questionnaire_with_printed_codes_says_what_is_wrong_with_the_code(screen, bench, world):
    from civiclink.governance import invitations
    from civiclink.governance.responses import active_items

    campaign = citizen_campaign(world.home, codes_required=True)
    (code,) = invitations.issue_codes(campaign, 1)
    answers = {f"item-{active_items(campaign, 'citizens')[0].pk}": "4"}
    page = screen.get(url("questionnaire", bench, campaign.pk))
    wrong = screen.post(url("questionnaire", bench, campaign.pk), answer_form(page, code="ABCD-EFGH", **answers))
    assert wrong.status_code == 400 and "This code is not valid for this questionnaire." in text(wrong)
    sent = screen.post(url("questionnaire", bench, campaign.pk), answer_form(wrong, code=code, **answers))
    assert sent.status_code == 303
    page = screen.get(url("questionnaire", bench, campaign.pk))
    again = screen.post(url("questionnaire", bench, campaign.pk), answer_form(page, code=code, **answers))
    assert again.status_code == 400 and "This code has already been used." in text(again)
    assert Response.objects.count() == 1


def test_reporting_a_problem_without_javascript(screen, bench, process, community):
    page = screen.get(url("problem", bench, process.pk))
    empty = screen.post(url("problem", bench, process.pk), answer_form(page, title="", description=""))
    assert empty.status_code == 400 and "This field is required." in text(empty)
    form = answer_form(empty, title="Overflowing bins", description="By the playground, since Monday.")
    sent = screen.post(url("problem", bench, process.pk), form)
    assert sent.status_code == 303
    report = Proposal.objects.get()
    assert (report.title, report.author, report.community) == ("Overflowing bins", None, community)
    assert "Your report has been sent to the municipality." in text(screen.get(sent.url))


# --- Language and text size ----------------------------------------------------------------------------------------


def test_language_and_text_size_switch_and_reset(client, bench):
    sign_in(client, bench, language=None)
    screen = client
    home = screen.get(url("home", bench))
    assert '<html lang="bs" class="kiosk-text-normal">' in text(home)
    assert [code for code, _name in home.context["screen"].languages] == ["bs", "hr", "en"]  # Mostar: FBiH
    back = screen.post(url("settings", bench), {"language": "en", "next": url("home", bench)})
    assert back.status_code == 303 and back.url == url("home", bench)
    screen.post(url("settings", bench), {"text": "largest", "next": "https://example.org/"})
    screen.post(url("settings", bench), {"language": "sq"})  # not one of the bench's: ignored
    page = text(screen.get(url("home", bench)))
    assert '<html lang="en" class="kiosk-text-largest">' in page and "Have your say" in page
    assert screen.post(url("reset", bench)).url == url("home", bench)
    assert '<html lang="bs" class="kiosk-text-normal">' in text(screen.get(url("home", bench)))


def test_the_languages_of_a_bench(make_bench, world, community):
    from civiclink.places.models import LocalCommunity

    assert kiosk.languages(make_bench(languages=["sr", "xx"])[0]) == ["sr", "en"]
    leotar = LocalCommunity.objects.create(municipality=world.away, name="Leotar", slug="leotar")
    assert kiosk.languages(make_bench(community=leotar)[0]) == ["sr", "sr-latn", "en"]


# --- kiosk.js's endpoints -------------------------------------------------------------------------------------------


def test_the_outbox_endpoint_stores_each_message_once_and_needs_the_csrf_header(bench, poll):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, bench)
    browser.get(url("home", bench))  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    question, choices = first_question(poll)
    batch = json.dumps([vote(bench, poll, {str(question): choices[0]})])
    assert browser.post(url("messages", bench), batch, content_type="application/json").status_code == 403
    first = browser.post(url("messages", bench), batch, content_type="application/json", headers={"X-CSRFToken": token})
    again = browser.post(url("messages", bench), batch, content_type="application/json", headers={"X-CSRFToken": token})
    assert len(first.json()["accepted"]) == 1 and again.json()["duplicate"] == first.json()["accepted"]
    assert Ballot.objects.filter(source=Source.BENCH).count() == 1


def test_spare_tokens_for_answers_given_offline(screen, bench, poll, world):
    def ask(**body):
        return screen.post(url("tokens", bench), json.dumps(body), content_type="application/json")

    issued = ask(target="poll", id=poll.pk, count=50).json()
    assert len(issued["tokens"]) == kiosk.TOKEN_POOL and issued["days"] == kiosk.TOKEN_DAYS
    assert BallotToken.objects.filter(target="poll", target_id=poll.pk).count() == kiosk.TOKEN_POOL
    assert ask(target="poll", id=open_poll(open_process(world.away)).pk).status_code == 410
    assert ask(target="selfie", id=poll.pk).status_code == 400


# --- Queries -------------------------------------------------------------------------------------------------------


def test_the_main_screens_query_a_fixed_number_of_times(screen, bench, world, django_assert_num_queries):
    from civiclink.governance.responses import forget_items

    processes = [open_process(world.home) for _ in range(3)]
    polls = [open_poll(process, kinds=("single", "multiple")) for process in processes for _ in range(2)]
    citizen_campaign(world.home)
    forget_items()
    # The session, the bench, then the offer: processes, their features, phases and capabilities, polls, campaign.
    with django_assert_num_queries(8):
        screen.get(url("home", bench))
    with django_assert_num_queries(11):  # + the poll, its questions and choices, the last answer, the new token
        page = screen.get(url("poll", bench, polls[0].pk))
    single, multiple = polls[0].questions.all()
    answers = {f"q-{single.pk}": choices_of(polls[0])[0][0], f"q-{multiple.pk}": choices_of(polls[0])[1]}
    sent = screen.post(url("poll", bench, polls[0].pk), answer_form(page, **answers))
    with django_assert_num_queries(14):  # the poll as above, the stored answer, the tally
        assert "Results so far" in text(screen.get(sent.url))
