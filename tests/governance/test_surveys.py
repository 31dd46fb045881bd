"""The questionnaires of a campaign: one answer per invitation, code or browser (enforced by the database),
anonymity, the citizens' survey in the browser, invitations and reminders, paper entry, codes, poster and who may
use which page."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from civiclink.governance import invitations as invites
from civiclink.governance.models import (
    Answer,
    Audience,
    Campaign,
    Channel,
    CitizenCode,
    Cycle,
    Invitation,
    Item,
    Phase,
    Response,
    SpentBallot,
)
from civiclink.governance.responses import (
    AlreadyAnswered,
    InvalidAnswers,
    InvalidCode,
    SurveyClosed,
    active_items,
    submit,
)
from support import at_once

pytestmark = pytest.mark.django_db


def items_of(campaign, audience=Audience.CITIZENS) -> list[Item]:
    return active_items(campaign, audience)


def some_answers(campaign, audience=Audience.CITIZENS) -> dict[int, int | None]:
    """Answers to the first three items: agree, don't know, strongly agree."""
    first, second, third = items_of(campaign, audience)[:3]
    return {first.pk: 4, second.pk: None, third.pk: 5}


def survey_url(campaign, language="en") -> str:
    return f"/{language}/governance/campaigns/{campaign.pk}/survey/"


def form_data(campaign, audience=Audience.CITIZENS, **extra) -> dict[str, str]:
    first, second, _third, fourth = items_of(campaign, audience)[:4]
    return {f"item-{first.pk}": "4", f"item-{second.pk}": "dk", f"item-{fourth.pk}": "2", **extra}


def invite_one(campaign, audience=Audience.COUNCILLORS, email="vijecnik@example.org") -> str:
    """Invite one person; returns the token from the link in the e-mail."""
    from django.core import mail

    before = len(mail.outbox)
    invites.invite(campaign, audience, [email], ["Amra Vijećnica"], base_url="http://testserver")
    return link_token(mail.outbox[before].body)


def link_token(body: str) -> str:
    return re.search(r"/governance/q/([\w-]+)/", body).group(1)


# --- Submitting -----------------------------------------------------------------------------------------------------


def test_a_response_keeps_answers_with_dont_know_as_null_and_skipped_items_absent(eloge):
    response = submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential="browser-1")

    answers = {answer.item.code: answer.value for answer in response.answers.select_related("item")}
    assert answers == {"CIT-01": 4, "CIT-02": None, "CIT-03": 5}
    assert response.channel == Channel.WEB and response.submitted_on == timezone.localdate()
    row = Answer.objects.get(response=response, item__code="CIT-03")
    assert (row.campaign_id, row.audience, row.principle.number) == (eloge.campaign.pk, "citizens", 3)


@pytest.mark.parametrize(
    "change",
    ["nothing", "out of scale", "other questionnaire", "retired item"],
)
def test_answers_that_do_not_fit_the_questionnaire_are_refused(eloge, change):
    items = items_of(eloge.campaign)
    answers = {items[0].pk: 3}
    if change == "nothing":
        answers = {}
    elif change == "out of scale":
        answers[items[1].pk] = 6
    elif change == "other questionnaire":
        answers[items_of(eloge.campaign, Audience.STAFF)[0].pk] = 3
    else:
        items[1].retired = True
        items[1].save()  # saving a catalogue entry also empties the per-process cache of questionnaires
        answers[items[1].pk] = 3

    with pytest.raises(InvalidAnswers):
        submit(eloge.campaign, Audience.CITIZENS, answers, credential="browser-1")
    assert not Response.objects.exists() and not SpentBallot.objects.exists()


def test_nothing_is_accepted_once_the_surveys_are_closed(eloge):
    eloge.campaign.phase = Phase.EVALUATION
    with pytest.raises(SurveyClosed):
        submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential="browser-1")
    with pytest.raises(SurveyClosed):
        submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), channel=Channel.PAPER)
    assert not Response.objects.exists()


def test_one_answer_per_browser_token(eloge):
    submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential="browser-1")
    with pytest.raises(AlreadyAnswered):
        submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential="browser-1")
    submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential="browser-2")
    assert Response.objects.count() == 2


def test_one_answer_per_invitation_even_after_a_reminder_changed_its_link(eloge, mailoutbox):
    token = invite_one(eloge.campaign)
    submit(eloge.campaign, Audience.COUNCILLORS, some_answers(eloge.campaign, "councillors"), credential=token)
    invitation = Invitation.objects.get()
    assert invitation.answered

    with pytest.raises(AlreadyAnswered):
        submit(eloge.campaign, Audience.COUNCILLORS, some_answers(eloge.campaign, "councillors"), credential=token)
    Invitation.objects.filter(pk=invitation.pk).update(answered=False)  # as if a reminder raced the answer
    invitation.refresh_from_db()
    assert invites.remind(invitation)
    fresh = link_token(mailoutbox[-1].body)
    with pytest.raises(AlreadyAnswered):
        submit(eloge.campaign, Audience.COUNCILLORS, some_answers(eloge.campaign, "councillors"), credential=fresh)
    with pytest.raises(InvalidCode):  # a made-up token, or one for the other questionnaire
        submit(eloge.campaign, Audience.STAFF, some_answers(eloge.campaign, "staff"), credential=fresh)
    assert Response.objects.count() == 1


def test_one_answer_per_printed_code(eloge):
    eloge.campaign.citizen_codes_required = True
    eloge.campaign.save()
    code = invites.issue_codes(eloge.campaign, 2)[0]

    with pytest.raises(InvalidCode):
        submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential="ABCD-EFGH")
    with pytest.raises(InvalidCode):
        submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential="")
    assert not SpentBallot.objects.exists()  # a wrong code spends nothing

    typed = " " + code.replace("-", " ").lower()  # as a person might type it
    submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential=typed)
    with pytest.raises(AlreadyAnswered):
        submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential=code)
    assert CitizenCode.objects.filter(used=True).count() == 1
    assert Response.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["code", "invitation", "browser"])
def test_simultaneous_answers_with_one_credential_store_one_response(eloge, kind):
    """All threads pass the Python checks before any has committed; the ballot's primary key lets one through."""
    campaign = eloge.campaign
    audience = Audience.COUNCILLORS if kind == "invitation" else Audience.CITIZENS
    if kind == "code":
        campaign.citizen_codes_required = True
        campaign.save()
        credential = invites.issue_codes(campaign, 1)[0]
    elif kind == "invitation":
        credential = invite_one(campaign)
    else:
        credential = "the-same-browser"
    campaign = Campaign.objects.select_related("cycle").get(pk=campaign.pk)
    items = items_of(campaign, audience)
    answers = {items[0].pk: 4}

    def answer(barrier):
        barrier.wait()
        submit(campaign, audience, answers, credential=credential, items=items)
        return "saved"

    outcomes = at_once(answer, [()] * 4, {AlreadyAnswered: "already answered"})
    assert outcomes == ["already answered"] * 3 + ["saved"]
    assert Response.objects.count() == 1 and Answer.objects.count() == 1
    assert SpentBallot.objects.count() == 1


def test_a_web_response_holds_nothing_that_points_to_a_person(client, eloge, make_user):
    client.force_login(make_user("citizen@example.org"))  # even a signed-in visitor answers anonymously
    page = client.post(survey_url(eloge.campaign), form_data(eloge.campaign), REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 303
    token = page.cookies[f"eloge-{eloge.campaign.pk}-en"].value

    assert {field.name for field in Response._meta.concrete_fields} == {
        "id",
        "campaign",
        "audience",
        "channel",
        "submitted_on",
    }
    assert {field.name for field in Answer._meta.concrete_fields} == {
        "id",
        "response",
        "item",
        "campaign",
        "audience",
        "principle",
        "value",
    }
    stored = repr(list(Response.objects.values())) + repr(list(Answer.objects.values()))
    for trace in (token, "203.0.113.7", "citizen@example.org"):
        assert trace not in stored
    (ballot,) = SpentBallot.objects.values_list("key", flat=True)
    assert token not in ballot and len(ballot) == 64
    assert [field.name for field in SpentBallot._meta.concrete_fields] == ["key"]


# --- The citizens' survey in the browser ------------------------------------------------------------------------------


def test_the_survey_page_shows_the_questionnaire_on_the_agreement_scale(client, eloge):
    page = client.get(survey_url(eloge.campaign))
    html = page.content.decode()
    assert page.status_code == 200
    assert "citizens survey" in html and "citizens statement about principle 12." in html
    assert html.count("<fieldset") == 12 and "<legend>" in html
    for label in ("Strongly disagree", "Neither agree nor disagree", "Strongly agree", "Don&#x27;t know"):
        assert label in html
    assert 'name="code"' not in html


def test_the_survey_is_in_the_visitors_language(client, eloge):
    from civiclink.governance.models import Questionnaire

    Questionnaire.objects.filter(audience="citizens").update(
        translations={"bs": {"title": "Upitnik za građane", "intro": "Recite nam šta mislite."}}
    )
    html = client.get(survey_url(eloge.campaign, "bs")).content.decode()
    assert "Upitnik za građane" in html and "Recite nam šta mislite." in html


def test_a_browser_answers_once_and_is_told_so(client, eloge):
    first = client.post(survey_url(eloge.campaign), form_data(eloge.campaign))
    assert first.status_code == 303 and first["Location"].endswith(f"/campaigns/{eloge.campaign.pk}/survey/thanks/")
    cookie = first.cookies[f"eloge-{eloge.campaign.pk}-en"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] >= 180 * 24 * 3600
    assert cookie["path"] == survey_url(eloge.campaign)
    assert first.cookies[f"eloge-{eloge.campaign.pk}-bs"]["path"] == survey_url(eloge.campaign, "bs")
    assert "Thank you" in client.get(first["Location"]).content.decode()

    again = client.post(survey_url(eloge.campaign), form_data(eloge.campaign))
    assert again.status_code == 409
    assert "already been answered from this browser" in again.content.decode()
    for language in ("en", "bs"):  # switching the language opens no second answer
        with translation.override(language):
            told = translation.gettext("You have already answered")
        assert told in client.get(survey_url(eloge.campaign, language)).content.decode()
    assert Response.objects.count() == 1

    client.cookies.clear()  # another browser
    assert client.post(survey_url(eloge.campaign), form_data(eloge.campaign)).status_code == 303
    assert Response.objects.count() == 2


def test_an_empty_survey_comes_back_with_an_error(client, eloge):
    page = client.post(survey_url(eloge.campaign), {})
    assert page.status_code == 200
    assert "Please answer at least one question." in page.content.decode()
    assert not Response.objects.exists()


def test_with_codes_required_the_code_opens_the_survey_once(client, eloge):
    eloge.campaign.citizen_codes_required = True
    eloge.campaign.save()
    code = invites.issue_codes(eloge.campaign, 1)[0]
    url = survey_url(eloge.campaign)
    first_item = items_of(eloge.campaign)[0]
    assert 'name="code"' in client.get(url).content.decode()

    wrong = client.post(url, form_data(eloge.campaign, code="ZZZZ-ZZZZ"))
    html = wrong.content.decode()
    assert wrong.status_code == 200 and "This code is not valid" in html
    assert f'value="4" name="item-{first_item.pk}"' in html or re.search(
        rf'name="item-{first_item.pk}" value="4"[^>]*checked', html
    ), "the answers are kept"
    assert 'value="ZZZZ-ZZZZ"' in html

    assert client.post(url, form_data(eloge.campaign, code=code.lower())).status_code == 303
    assert not any(name.startswith("eloge-") for name in client.cookies)  # no browser token needed
    reused = client.post(url, form_data(eloge.campaign, code=code))
    assert reused.status_code == 409 and "This code has already been used" in reused.content.decode()
    assert Response.objects.count() == 1


def test_a_closed_survey_says_so_and_takes_nothing(client, eloge):
    Campaign.objects.filter(pk=eloge.campaign.pk).update(phase=Phase.EVALUATION)
    page = client.get(survey_url(eloge.campaign))
    assert page.status_code == 200 and "The questionnaire is closed" in page.content.decode()
    posted = client.post(survey_url(eloge.campaign), form_data(eloge.campaign))
    assert "The questionnaire is closed" in posted.content.decode()
    assert not Response.objects.exists()


def test_submissions_from_one_address_are_rate_limited(client, eloge, settings):
    settings.GOVERNANCE_SURVEY_RATE_LIMIT = "2/h"
    for _ in range(2):
        client.cookies.clear()
        assert client.post(survey_url(eloge.campaign), form_data(eloge.campaign)).status_code == 303
    client.cookies.clear()
    refused = client.post(survey_url(eloge.campaign), form_data(eloge.campaign))
    assert refused.status_code == 429 and "Too many questionnaires" in refused.content.decode()
    assert Response.objects.count() == 2
    assert (
        client.post(survey_url(eloge.campaign), form_data(eloge.campaign), REMOTE_ADDR="198.51.100.9").status_code
        == 303
    )


def test_the_survey_page_costs_a_fixed_number_of_queries(client, eloge, django_assert_max_num_queries):
    client.get(survey_url(eloge.campaign))  # warm per-process caches (site footer)
    with django_assert_max_num_queries(3):  # campaign with cycle and municipality; items; the site footer
        assert client.get(survey_url(eloge.campaign)).status_code == 200


@pytest.mark.parametrize("invited", [2, 40])
def test_the_invitations_page_costs_the_same_for_few_or_many(client, eloge, invited, django_assert_max_num_queries):
    invites.invite(eloge.campaign, Audience.STAFF, [f"person{n}@example.org" for n in range(invited)])
    client.force_login(eloge.officer)
    url = f"/en/governance/campaigns/{eloge.campaign.pk}/invitations/"
    client.get(url)
    # session, user, team roles, campaign, response rate, invitations, the site footer
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200


# --- Invitations --------------------------------------------------------------------------------------------------


def test_invitations_are_sent_once_per_address_with_a_working_link(client, eloge, mailoutbox):
    created = invites.invite(
        eloge.campaign,
        Audience.STAFF,
        ["Ana@Example.org", "ana@example.org", "bob@example.org"],
        ["Ana", "", "Bob"],
        base_url="https://civiclink.example.org/",
    )
    assert [invitation.email for invitation in created] == ["ana@example.org", "bob@example.org"]
    assert [message.to for message in mailoutbox] == [["ana@example.org"], ["bob@example.org"]]
    body = mailoutbox[0].body
    assert "Dear Ana," in body and "https://civiclink.example.org/en/governance/q/" in body
    token = link_token(body)
    assert token not in Invitation.objects.get(email="ana@example.org").token_hash

    assert invites.invite(eloge.campaign, Audience.STAFF, ["ana@example.org"]) == []
    assert len(mailoutbox) == 2

    page = client.get(f"/en/governance/q/{token}/")
    assert page.status_code == 200 and "staff statement about principle 1." in page.content.decode()
    assert client.get("/en/governance/q/not-a-token/").status_code == 404


def test_an_invited_person_answers_once(client, eloge, mailoutbox):
    token = invite_one(eloge.campaign)
    url = f"/en/governance/q/{token}/"
    answered = client.post(url, form_data(eloge.campaign, Audience.COUNCILLORS))
    assert answered.status_code == 303
    assert Response.objects.get().audience == Audience.COUNCILLORS
    assert Invitation.objects.get().answered
    assert "This invitation has already been used" in client.get(url).content.decode()
    assert "already been used" in client.post(url, form_data(eloge.campaign, Audience.COUNCILLORS)).content.decode()
    assert Response.objects.count() == 1


def test_a_reminder_carries_a_new_link_and_the_old_one_stops_working(client, eloge, mailoutbox):
    old = invite_one(eloge.campaign)
    invitation = Invitation.objects.get()
    assert invites.send_due_reminders() == 0  # sent just now

    in_eight_days = timezone.now() + datetime.timedelta(days=8)
    assert invites.send_due_reminders(now=in_eight_days) == 1
    assert invites.send_due_reminders(now=in_eight_days) == 0  # reminded just now
    new = link_token(mailoutbox[-1].body)
    with translation.override(eloge.campaign.municipality.language):  # reminders speak the municipality's language
        new_link = translation.gettext(
            "We have not received your answers yet. This reminder carries a new link: the link we sent you before "
            "no longer works."
        )
        subject = translation.gettext("Reminder: questionnaire on good governance in %(municipality)s") % {
            "municipality": eloge.campaign.municipality.display_name
        }
    assert new_link in mailoutbox[-1].body and mailoutbox[-1].subject == subject
    assert client.get(f"/bs/governance/q/{old}/").status_code == 404
    assert client.get(f"/bs/governance/q/{new}/").status_code == 200
    assert "/bs/governance/q/" in mailoutbox[-1].body  # in the municipality's language

    for weeks in (2, 3, 4):
        invites.send_due_reminders(now=timezone.now() + datetime.timedelta(weeks=weeks, days=1))
    invitation.refresh_from_db()
    assert invitation.reminders == invites.MAX_REMINDERS and len(mailoutbox) == 1 + invites.MAX_REMINDERS


def test_reminders_skip_those_who_answered_and_closed_campaigns(eloge, mailoutbox):
    token = invite_one(eloge.campaign, email="answered@example.org")
    invite_one(eloge.campaign, email="waiting@example.org")
    submit(eloge.campaign, Audience.COUNCILLORS, some_answers(eloge.campaign, "councillors"), credential=token)
    later = timezone.now() + datetime.timedelta(days=8)
    Campaign.objects.filter(pk=eloge.campaign.pk).update(phase=Phase.EVALUATION)
    assert invites.send_due_reminders(now=later) == 0
    Campaign.objects.filter(pk=eloge.campaign.pk).update(phase=Phase.ASSESSMENT)
    assert invites.send_due_reminders(now=later) == 1
    assert mailoutbox[-1].to == ["waiting@example.org"]


def test_the_response_rate_per_questionnaire(eloge):
    token = invite_one(eloge.campaign, email="a@example.org")
    invite_one(eloge.campaign, email="b@example.org")
    invite_one(eloge.campaign, Audience.STAFF, email="c@example.org")
    submit(eloge.campaign, Audience.COUNCILLORS, some_answers(eloge.campaign, "councillors"), credential=token)
    assert invites.response_rate(eloge.campaign) == {"councillors": (1, 2), "staff": (0, 1)}


def test_the_team_invites_and_reminds_from_the_invitations_page(client, eloge, mailoutbox):
    client.force_login(eloge.officer)
    url = f"/en/governance/campaigns/{eloge.campaign.pk}/invitations/"
    bad = client.post(
        url, {"action": "invite", "audience": "councillors", "addresses": "Amra <amra@example.org>\nnonsense"}
    )
    assert bad.status_code == 200 and "line 2" in bad.content.decode() and "nonsense" in bad.content.decode()
    assert not Invitation.objects.exists()

    sent = client.post(
        url,
        {
            "action": "invite",
            "audience": "councillors",
            "addresses": "Amra Hodžić <amra@example.org>\nbob@example.org\n",
        },
    )
    assert sent.status_code == 303
    assert [(i.name, i.email) for i in Invitation.objects.all()] == [
        ("Amra Hodžić", "amra@example.org"),
        ("", "bob@example.org"),
    ]
    assert (
        mailoutbox[0].body.startswith("Dear Amra Hodžić,")
        and "http://testserver/en/governance/q/" in mailoutbox[0].body
    )

    page = client.get(url).content.decode()
    assert "amra@example.org" in page and "Invitations sent: 2" in page
    assert client.post(url, {"action": "remind"}).status_code == 303
    assert len(mailoutbox) == 4 and Invitation.objects.filter(reminders=1).count() == 2


# --- Paper questionnaires, codes, poster --------------------------------------------------------------------------


def test_paper_questionnaires_are_saved_one_after_another(client, eloge):
    client.force_login(eloge.officer)
    url = f"/en/governance/campaigns/{eloge.campaign.pk}/paper/citizens/"
    items = items_of(eloge.campaign)
    page = client.get(url).content.decode()
    assert 'inputmode="numeric"' in page and page.count("autofocus") == 1

    wrong = client.post(url, {f"item-{items[0].pk}": "4", f"item-{items[1].pk}": "9"})
    html = wrong.content.decode()
    assert wrong.status_code == 200 and "Type a number from 1 to 5" in html and 'value="9"' in html
    assert not Response.objects.exists()

    data = {
        f"item-{items[0].pk}": "3",
        f"item-{items[1].pk}": "?",
        f"item-{items[2].pk}": "0",
        f"item-{items[3].pk}": "",
    }
    saved = client.post(url, data, follow=True)
    assert "Saved response 1." in saved.content.decode()
    response = Response.objects.get()
    assert response.channel == Channel.PAPER
    assert dict(response.answers.values_list("item__code", "value")) == {"CIT-01": 3, "CIT-02": None, "CIT-03": None}
    assert "Saved response 2." in client.post(url, data, follow=True).content.decode()


def test_codes_are_shown_once_and_stored_as_hashes(client, eloge):
    client.force_login(eloge.officer)
    url = f"/en/governance/campaigns/{eloge.campaign.pk}/codes/"
    page = client.post(url, {"count": "3"})
    html = page.content.decode()
    codes = re.findall(r'class="leaflet-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', html)
    assert len(set(codes)) == 3 and not set("IL01O") & set("".join(codes).replace("-", ""))
    assert "Mostar" in html and f"/bs/governance/campaigns/{eloge.campaign.pk}/survey/" in html and "<svg" in html
    stored = set(CitizenCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 3 and not {code.replace("-", "") for code in codes} & stored

    Campaign.objects.filter(pk=eloge.campaign.pk).update(citizen_codes_required=True)
    eloge.campaign.refresh_from_db()
    submit(eloge.campaign, Audience.CITIZENS, some_answers(eloge.campaign), credential=codes[0])
    summary = client.get(url).content.decode()
    assert re.search(r"Codes issued</dt><dd>3<", summary) and re.search(r"Codes used</dt><dd>1<", summary)


def test_the_poster_speaks_the_languages_of_the_entity(client, eloge, world):
    page = client.get(f"/en/governance/campaigns/{eloge.campaign.pk}/poster/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "data:" not in html and "style=" not in html
    assert 'lang="bs"' in html and 'lang="hr"' in html
    assert f"testserver/bs/governance/campaigns/{eloge.campaign.pk}/survey/" in html

    trebinje = Campaign.objects.create(cycle=eloge.cycle, municipality=world.away, phase=Phase.ASSESSMENT)
    html = client.get(f"/en/governance/campaigns/{trebinje.pk}/poster/").content.decode()
    assert 'lang="sr"' in html and 'lang="sr-latn"' in html
    assert "Требиње" in html and "Trebinje" in html


def test_a_seven_point_scale_is_labelled_by_numbers(client, eloge):
    Cycle.objects.filter(pk=eloge.cycle.pk).update(scale_min=1, scale_max=7)
    html = client.get(survey_url(eloge.campaign)).content.decode()
    assert "1 – strongly disagree" in html and "7 – strongly agree" in html and 'value="6"' in html


# --- Who may use which page ---------------------------------------------------------------------------------------

TEAM_PAGES = ["invitations/", "paper/citizens/", "paper/councillors/", "codes/"]
ALLOWED = {"officer", "platform_staff", "staff"}


@pytest.mark.parametrize("page", TEAM_PAGES)
@pytest.mark.parametrize("who", ["officer", "mentor", "evaluator", "platform_staff", "staff", "outsider", "anonymous"])
def test_team_pages_are_for_the_team_and_the_overseers(client, eloge, page, who):
    if who != "anonymous":
        client.force_login(getattr(eloge, who))
    response = client.get(f"/en/governance/campaigns/{eloge.campaign.pk}/{page}")
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if who in ALLOWED else 403)


@pytest.mark.parametrize("page", ["invitations/", "paper/citizens/"])
def test_invitations_and_paper_entry_close_with_the_surveys(client, eloge, page):
    Campaign.objects.filter(pk=eloge.campaign.pk).update(phase=Phase.EVALUATION)
    client.force_login(eloge.staff)
    assert client.get(f"/en/governance/campaigns/{eloge.campaign.pk}/{page}").status_code == 403


@pytest.mark.parametrize("who", ["officer", "evaluator", "outsider", "anonymous"])
def test_the_survey_and_the_poster_are_public(client, eloge, who):
    if who != "anonymous":
        client.force_login(getattr(eloge, who))
    for page in ("survey/", "poster/", "survey/thanks/"):
        assert client.get(f"/en/governance/campaigns/{eloge.campaign.pk}/{page}").status_code == 200


def test_changes_need_a_post_with_the_csrf_token(eloge):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(survey_url(eloge.campaign), form_data(eloge.campaign)).status_code == 403
    assert not Response.objects.exists()


def test_an_unknown_questionnaire_or_campaign_is_not_found(client, eloge):
    client.force_login(eloge.officer)
    assert client.get(f"/en/governance/campaigns/{eloge.campaign.pk}/paper/mayors/").status_code == 404
    assert client.get("/en/governance/campaigns/999999/survey/").status_code == 404
