"""`civiclink newsletter resume`, `import` and `prune`."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from civiclink.newsletter import sending
from civiclink.newsletter.models import Consent, Delivery, Subscriber

pytestmark = pytest.mark.django_db


def test_resume_takes_back_the_rows_of_a_silent_batch(make_subscriber, make_issue, committed):
    for _number in range(4):
        make_subscriber()
    issue = make_issue()
    sending.start_sending(issue)
    long_ago = timezone.now() - datetime.timedelta(minutes=3)
    first, second, *rest = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=first.pk).update(status="sending", claim="dead", updated_at=long_ago)
    Delivery.objects.filter(pk=second.pk).update(status="claimed", claim="dead", updated_at=long_ago)
    Delivery.objects.filter(pk__in=[row.pk for row in rest]).update(updated_at=long_ago)
    output = io.StringIO()

    with committed():
        call_command("newsletter", "resume", "--stale-after", "60", stdout=output)

    assert output.getvalue().strip() == "1 rows queued again, 1 uncertain, 1 batch tasks enqueued."
    assert len(mail.outbox) == 3
    issue.refresh_from_db()
    assert issue.status == "sent"


def test_import_asks_each_address_to_confirm(tmp_path, world, committed):
    path = tmp_path / "list.csv"
    path.write_text(
        "email,language,themes,municipalities\nAna@Example.org,hr,grants;trainings,mostar\nivo@example.org,en,,\n"
    )

    with committed():
        call_command("newsletter", "import", str(path), stdout=io.StringIO())

    ana = Subscriber.objects.get(email="ana@example.org")
    assert ana.status == "pending" and ana.source == "import" and ana.language == "hr"
    assert sorted(ana.themes) == ["grants", "trainings"] and [m.slug for m in ana.municipalities.all()] == ["mostar"]
    consent = Consent.objects.get(subscriber=ana)
    assert consent.action == "subscribe" and consent.source == "import" and consent.language == "hr"
    assert sorted(message.to[0] for message in mail.outbox) == ["ana@example.org", "ivo@example.org"]
    assert "/hr/newsletter/confirm/" in next(m.body for m in mail.outbox if m.to == ["ana@example.org"])


def test_import_refuses_an_unknown_theme(tmp_path, world):
    path = tmp_path / "list.csv"
    path.write_text("email,language,themes\nana@example.org,bs,cooking\n")

    with pytest.raises(CommandError, match="line 2"):
        call_command("newsletter", "import", str(path))
    assert not Subscriber.objects.exists()


def test_prune_forgets_only_addresses_never_confirmed_whose_link_expired(world):
    from civiclink.newsletter import subscriptions

    def pending(email, asked_days_ago, confirmed_days_ago=None):
        subscriptions.subscribe(email, language="bs")
        subscriber = Subscriber.objects.get(email=email)
        asked = timezone.now() - datetime.timedelta(days=asked_days_ago)
        confirmed = None if confirmed_days_ago is None else timezone.now() - datetime.timedelta(confirmed_days_ago)
        Subscriber.objects.filter(pk=subscriber.pk).update(created_at=asked, confirmed_at=confirmed)
        Consent.objects.filter(subscriber=subscriber).update(at=asked)
        return subscriber

    pending("stale@example.org", asked_days_ago=8)
    pending("fresh@example.org", asked_days_ago=2)
    pending("former@example.org", asked_days_ago=30, confirmed_days_ago=300)  # subscribed once, asked again
    asked_again = pending("again@example.org", asked_days_ago=20)
    subscriptions.subscribe("again@example.org", language="bs")  # a new request today: its link is valid
    confirmed = pending("kept@example.org", asked_days_ago=40)
    subscriptions.confirm(Subscriber.objects.get(pk=confirmed.pk))
    output = io.StringIO()

    call_command("newsletter", "prune", stdout=output)

    assert output.getvalue().strip() == "1 unconfirmed addresses deleted."
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "again@example.org", "former@example.org", "fresh@example.org", "kept@example.org"
    ]  # fmt: skip
    assert not Consent.objects.filter(subscriber__email="stale@example.org").exists()
    assert asked_again.consents.count() == 2
