"""Demo newsletter: forty subscribers (confirmed, waiting, unsubscribed) with their consent records, and two sent
issues (Bosnian and English) made of the newest demo articles, with their deliveries marked sent. No e-mail leaves.
Running it again changes nothing."""

import datetime
import random

from django.db import transaction
from django.utils import timezone, translation

from civiclink.newsletter import subscriptions
from civiclink.newsletter.models import Consent, Delivery, Issue, IssueArticle, Subscriber, SubscriberTheme, Theme
from civiclink.places.models import Municipality
from civiclink.portal.queries import live_articles

NAMES = [
    "amra.hodzic", "dario.peric", "jelena.savic", "emir.kovacevic", "ivana.maric", "nikola.jovanovic", "lejla.begic",
    "marko.tomic", "sanja.ilic", "haris.mehmedovic", "ana.juric", "stefan.petrovic", "selma.hadzic", "luka.babic",
    "milica.nikolic", "adnan.salihovic", "petra.knezevic", "vuk.stojanovic", "merima.alic", "tomislav.kraljevic",
    "dragana.lazic", "kenan.mujic", "maja.vukovic", "bojan.radic", "aida.karic", "filip.matic", "nermina.delic",
    "goran.simic", "edina.husic", "josip.pavlovic", "tijana.markovic", "arben.krasniqi", "elena.stojanova",
    "mirza.hodzic", "katarina.zivkovic", "samir.omerovic", "vesna.jankovic", "tarik.basic", "irena.blazevic",
    "jovana.milic",
]  # fmt: skip
LANGUAGES = ["bs"] * 16 + ["en"] * 8 + ["hr"] * 6 + ["sr"] * 4 + ["sr-latn"] * 2 + ["mk", "sq"] + ["bs"] * 2
STATUSES = ["confirmed"] * 30 + ["pending"] * 6 + ["unsubscribed"] * 4
ISSUES = {
    "bs": (
        "Bilten CivicLink: novosti iz programa",
        "<p>Dragi čitaoci, u ovom broju donosimo najnovije vijesti iz općina programa: od obuka do novih klupa.</p>",
        "<p>Hvala što pratite CivicLink. Pišite nam ako imate prijedlog za naredni broj.</p>",
    ),
    "en": (
        "CivicLink newsletter: news from the programme",
        "<p>Dear readers, this issue brings the latest news from the programme's municipalities.</p>",
        "<p>Thank you for following CivicLink. Write to us if you have an idea for the next issue.</p>",
    ),
}


def _subscribers(rng: random.Random, municipalities: list[Municipality]) -> int:
    created = 0
    start = timezone.now() - datetime.timedelta(days=120)
    for number, (name, language, status) in enumerate(zip(NAMES, LANGUAGES, STATUSES, strict=True)):
        email = f"{name}@example.org"
        if Subscriber.objects.filter(email=email).exists():
            continue
        subscribed_at = start + datetime.timedelta(days=number * 2, hours=rng.randrange(8, 20))
        subscriber = Subscriber.objects.create(email=email, language=language, status="pending", nonce="demo")
        Subscriber.objects.filter(pk=subscriber.pk).update(created_at=subscribed_at)
        if number % 3:  # a third want everything in their language
            subscriber.municipalities.set(rng.sample(municipalities, k=min(2, len(municipalities))))
            SubscriberTheme.objects.bulk_create(
                SubscriberTheme(subscriber=subscriber, theme=theme) for theme in rng.sample(Theme.values, k=2)
            )
        with translation.override(language):  # the texts as the person read them
            subscriptions.record(subscriber, Consent.Action.SUBSCRIBE, subscriptions.CONSENT_TEXT, at=subscribed_at)
            if status in {"confirmed", "unsubscribed"}:
                confirmed_at = subscribed_at + datetime.timedelta(minutes=rng.randrange(2, 90))
                Subscriber.objects.filter(pk=subscriber.pk).update(
                    status="confirmed", confirmed_at=confirmed_at, nonce=""
                )
                subscriptions.record(subscriber, Consent.Action.CONFIRM, subscriptions.CONSENT_TEXT, at=confirmed_at)
            if status == "unsubscribed":
                gone_at = subscribed_at + datetime.timedelta(days=30)
                Subscriber.objects.filter(pk=subscriber.pk).update(status="unsubscribed", unsubscribed_at=gone_at)
                subscriptions.record(subscriber, Consent.Action.UNSUBSCRIBE, subscriptions.UNSUBSCRIBE_TEXT, at=gone_at)
        created += 1
    return created


def _issue(language: str, sent_at: datetime.datetime) -> Issue | None:
    subject, intro, closing = ISSUES[language]
    articles = list(live_articles(language)[:4])
    if not articles or Issue.objects.filter(subject=subject, language=language).exists():
        return None
    issue = Issue.objects.create(
        subject=subject, language=language, intro=intro, closing=closing, status="sent", queued_at=sent_at
    )
    IssueArticle.objects.bulk_create(
        IssueArticle(issue=issue, article=article, sort_order=position) for position, article in enumerate(articles)
    )
    recipients = subscriptions.recipients(issue).filter(confirmed_at__lt=sent_at)
    Delivery.objects.bulk_create(
        Delivery(
            issue=issue,
            subscriber=subscriber,
            status=Delivery.Status.SENT,
            claim="demo",
            updated_at=sent_at,
            sent_at=sent_at,
        )
        for subscriber in recipients
    )
    Issue.objects.filter(pk=issue.pk).update(sent_at=sent_at + datetime.timedelta(minutes=3))
    return issue


@transaction.atomic
def load() -> str:
    rng = random.Random(6)
    municipalities = list(Municipality.objects.order_by("name"))
    created = _subscribers(rng, municipalities)
    now = timezone.now()
    issues = [
        issue
        for issue in (
            _issue("bs", now - datetime.timedelta(days=40)),
            _issue("en", now - datetime.timedelta(days=10)),
        )
        if issue
    ]
    return f"Newsletter: {created} subscribers and {len(issues)} sent issues added."
