"""Subscribing with double opt-in, the consent records, preferences and unsubscribing, through the public pages."""

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client

from civiclink.newsletter import subscriptions
from civiclink.newsletter.models import Consent, Subscriber

pytestmark = pytest.mark.django_db

FORM = "/en/newsletter/"


def form_data(**changes) -> dict:
    return {"email": "Amra.Hodzic@Example.org", "language": "bs", "consent": "on", "website": ""} | changes


def link_in(message, name: str) -> str:
    """The path of the first link to /<lang>/newsletter/<name>/ in an e-mail's text."""
    return re.search(rf"http://[^/\s]+(/\w+(?:-\w+)?/newsletter/{name}/\S+/)", message.body).group(1)


def subscribe(client, committed, **changes):
    with committed():
        return client.post(FORM, form_data(**changes))


def test_the_form_offers_languages_topics_and_the_consent_text(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the municipalities, and the site footer's texts with its count
        response = client.get(FORM)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="en" selected' in page  # the language of the page, by default
    assert "Mostar" in page and "Trebinje" in page
    assert "Smart benches" in page and "CSO network" in page
    assert str(subscriptions.CONSENT_TEXT) in page


def test_subscribing_sends_a_confirmation_link_and_confirming_needs_a_click(client, committed, world):
    response = subscribe(client, committed, municipalities=[world.home.pk], themes=["grants", "trainings"])

    assert response.status_code == 303 and response["Location"] == "/en/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "amra.hodzic@example.org"  # one address, whatever its case
    assert subscriber.status == "pending" and subscriber.language == "bs"
    assert list(subscriber.municipalities.all()) == [world.home]
    assert sorted(subscriber.themes) == ["grants", "trainings"]
    [message] = mail.outbox
    assert message.to == ["amra.hodzic@example.org"]
    assert "valid for 7 days" in message.body
    confirm = link_in(message, "confirm")

    page = client.get(confirm)  # what a mail scanner does: nothing changes
    assert page.status_code == 200 and b"Confirm my subscription" in page.content
    assert Subscriber.objects.get().status == "pending"

    assert client.post(confirm).status_code == 303
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed" and subscriber.confirmed_at is not None

    again = client.get(confirm)  # the link did its work: it confirms nothing more
    assert b"Your subscription is confirmed" in again.content
    assert client.post(confirm).status_code == 200
    assert Consent.objects.filter(action="confirm").count() == 1


def test_an_expired_link_is_refused_with_an_offer_to_send_a_new_one(client, committed, world, monkeypatch):
    eight_days_ago = int(time.time()) - 8 * 86400
    with monkeypatch.context() as patched:  # the link is signed as if eight days ago
        patched.setattr(signing.TimestampSigner, "timestamp", lambda signer: signing.b62_encode(eight_days_ago))
        subscribe(client, committed)
    expired = link_in(mail.outbox[0], "confirm")

    response = client.get(expired)
    assert response.status_code == 400
    assert b"This link has expired" in response.content
    assert client.post(expired).status_code == 400
    assert Subscriber.objects.get().status == "pending"

    with committed():
        assert client.post(f"{expired}resend/").status_code == 303
    fresh = link_in(mail.outbox[1], "confirm")
    client.post(fresh)
    assert Subscriber.objects.get().status == "confirmed"


@pytest.mark.parametrize("damage", ["tampered", "cut", "other salt"])
def test_a_tampered_link_is_refused(client, committed, world, damage):
    subscribe(client, committed)
    link = link_in(mail.outbox[0], "confirm")
    token = link.split("/")[-2]
    subscriber = Subscriber.objects.get()
    bad = {
        "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "cut": token[: len(token) // 2],
        "other salt": subscriptions.unsubscribe_token(subscriber),  # a genuine token of another kind
    }[damage]

    response = client.post(link.replace(token, bad))

    assert response.status_code == 400 and b"This link is not valid" in response.content
    assert Subscriber.objects.get().status == "pending"


def test_a_link_for_an_address_that_is_gone_is_refused(client, committed, world):
    subscribe(client, committed)
    link = link_in(mail.outbox[0], "confirm")
    Subscriber.objects.all().delete()

    assert client.get(link).status_code == 400


def test_subscribing_again_answers_the_same_and_reveals_nothing(client, committed, world, make_subscriber):
    make_subscriber("known@example.org", language="en", themes=["grants"])

    new = subscribe(client, committed, email="new@example.org")
    known = subscribe(client, committed, email="known@example.org", language="hr", themes=["trainings"])
    pending = subscribe(client, committed, email="new@example.org")

    assert new.status_code == known.status_code == pending.status_code == 303
    assert new["Location"] == known["Location"] == pending["Location"]
    assert client.get(new["Location"]).content == client.get(known["Location"]).content
    to_new, to_known, to_new_again = mail.outbox
    assert "confirm" in to_new.subject.lower() and "confirm" in to_new_again.subject.lower()
    assert to_known.subject == "You are already subscribed to the CivicLink newsletter"
    assert "/en/newsletter/preferences/" in to_known.body
    known = Subscriber.objects.get(email="known@example.org")  # a stranger cannot change what it receives
    assert known.language == "en" and known.themes == ["grants"]
    assert Subscriber.objects.filter(email="new@example.org").count() == 1
    assert link_in(to_new, "confirm") == link_in(to_new_again, "confirm")  # the first e-mail's link still works


def test_bots_filling_the_honeypot_get_the_same_answer_and_nothing_happens(client, committed, world):
    response = subscribe(client, committed, website="http://spam.example")

    assert response.status_code == 303 and response["Location"] == "/en/newsletter/check-your-inbox/"
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_the_honeypot_is_out_of_sight_and_out_of_reach(client, world):
    page = client.get(FORM).content.decode()

    trap = re.search(r'<div class="newsletter-trap" aria-hidden="true">.*?</div>', page, re.S).group(0)
    assert 'tabindex="-1"' in trap and 'name="website"' in trap and "<label" in trap


def test_requests_are_limited_per_address_and_per_client(client, committed, world, monkeypatch):
    monkeypatch.setattr(subscriptions, "RATE_LIMIT_PER_ADDRESS", "2/h")
    monkeypatch.setattr(subscriptions, "RATE_LIMIT_PER_CLIENT", "4/h")
    for _attempt in range(2):
        assert subscribe(client, committed).status_code == 303

    refused = subscribe(client, committed)

    assert refused.status_code == 200
    assert b"Too many subscription requests" in refused.content
    assert b'value="amra.hodzic@example.org"' in refused.content.lower()  # nothing typed is lost
    assert subscribe(client, committed, email="other@example.org").status_code == 303  # the 4th from this client
    assert subscribe(client, committed, email="third@example.org").status_code == 200
    assert len(mail.outbox) == 3


def test_the_consent_is_required_and_the_form_keeps_what_was_typed(client, committed, world):
    response = subscribe(client, committed, consent="", themes=["grants"])

    assert response.status_code == 200
    assert b"Please agree" in response.content
    assert b'value="grants"' in response.content and b"checked" in response.content
    assert not Subscriber.objects.exists()


def test_every_step_is_recorded_with_the_text_shown_and_no_address(client, committed, world):
    with committed():
        client.post("/bs/newsletter/", form_data(language="en", themes=["grants"]))
    client.post(link_in(mail.outbox[0], "confirm"))
    subscriber = Subscriber.objects.get()
    manage = f"/en/newsletter/preferences/{subscriptions.manage_token(subscriber)}/"
    client.post(manage, {"language": "en", "themes": ["grants", "trainings"]})
    client.post(f"/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/")

    consents = list(subscriber.consents.order_by("at", "pk"))
    assert [consent.action for consent in consents] == ["subscribe", "confirm", "change", "unsubscribe"]
    subscribed = consents[0]
    assert subscribed.language == "bs"  # the form was in Bosnian: the text is the Bosnian one
    from django.utils import translation

    with translation.override("bs"):
        assert subscribed.text == str(subscriptions.CONSENT_TEXT)
    assert subscribed.version == subscriptions.CONSENT_VERSION and subscribed.source == "web"
    assert subscribed.choices == {"language": "en", "municipalities": [], "themes": ["grants"]}
    assert consents[2].choices["themes"] == ["grants", "trainings"]
    assert consents[3].text == str(subscriptions.UNSUBSCRIBE_TEXT)
    stored = {field.name for field in Consent._meta.get_fields()} | {f.name for f in Subscriber._meta.get_fields()}
    assert not {name for name in stored if "ip" in name.split("_") or "address" in name}


def test_preferences_change_through_the_signed_link(client, world, make_subscriber):
    subscriber = make_subscriber(language="en", themes=["grants"])
    manage = f"/en/newsletter/preferences/{subscriptions.manage_token(subscriber)}/"

    page = client.get(manage)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    assert b'value="grants" id="id_themes_3" checked' in page.content or b"checked" in page.content

    response = client.post(manage, {"language": "hr", "municipalities": [world.away.pk], "themes": ["participation"]})

    assert response.status_code == 303
    subscriber.refresh_from_db()
    assert subscriber.language == "hr"
    assert list(subscriber.municipalities.all()) == [world.away]
    assert subscriber.themes == ["participation"]
    assert client.get(f"/en/newsletter/preferences/{subscriptions.manage_token(subscriber)}x/").status_code == 400


def test_a_get_does_not_unsubscribe_a_post_does(client, make_subscriber):
    subscriber = make_subscriber()
    link = f"/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/"

    page = client.get(link)
    assert page.status_code == 200 and b"Stop receiving the CivicLink newsletter?" in page.content
    assert Subscriber.objects.get().status == "confirmed"

    assert client.post(link).status_code == 303
    assert Subscriber.objects.get().status == "unsubscribed"
    assert b"You are unsubscribed" in client.get(link).content
    assert client.post(link).status_code == 303  # a second click changes nothing
    assert Consent.objects.filter(action="unsubscribe").count() == 1


def test_the_one_click_post_of_mail_programs_needs_no_csrf_token(make_subscriber):
    subscriber = make_subscriber()
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(
        f"/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/",
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200 and response.content == b"You are unsubscribed."
    assert Subscriber.objects.get().status == "unsubscribed"


def test_other_posts_still_need_the_csrf_token(client, world):
    browser = Client(enforce_csrf_checks=True)

    assert browser.post(FORM, form_data()).status_code == 403


def test_resubscribing_needs_a_new_confirmation_and_old_links_are_dead(client, committed, world):
    subscribe(client, committed)
    old_confirmation = link_in(mail.outbox[0], "confirm")
    client.post(old_confirmation)
    subscriber = Subscriber.objects.get()
    client.post(f"/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/")

    assert client.post(old_confirmation).status_code == 400  # from before the unsubscription
    subscribe(client, committed)
    assert Subscriber.objects.get().status == "pending"
    client.post(link_in(mail.outbox[-1], "confirm"))
    assert Subscriber.objects.get().status == "confirmed"
