"""Alerts on the fleet's health, a periodic job (`civiclink benches alerts`, every five minutes from cron).

Each run judges every bench in service (`health.fleet`), opens an `Alert` for each problem that has none open
(the database keeps one open alert per bench and kind, so two runs at once cannot open two), clears the open
alerts whose problem is gone (or whose bench left service), and e-mails staff and the officers of the bench's
municipality once per alert: the alert is claimed by setting `notified_at` with a conditional UPDATE before its
e-mails leave, so a second run finds it claimed. E-mails are written in the municipality's language and go
through the project's mail path (a background task per message)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from civiclink.accounts.models import Role
from civiclink.benches import health
from civiclink.benches.models import Alert, Bench
from civiclink.places.models import MunicipalRole


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def recipients(municipality_id: int) -> list[str]:
    """The e-mail addresses of active staff (superusers and the staff role) and of the municipality's officers."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    wanted = (
        Q(is_superuser=True)
        | Q(platform_roles__role=Role.STAFF)
        | Q(municipal_roles__municipality_id=municipality_id, municipal_roles__role=MunicipalRole.Role.OFFICER)
    )
    return sorted(set(users.filter(wanted).values_list("email", flat=True)))


def _message(alert: Alert, to: list[str]) -> EmailMessage:
    bench = alert.bench
    municipality = bench.community.municipality
    with translation.override(municipality.language or settings.LANGUAGE_CODE):
        subject = translation.gettext("Bench “%(bench)s”: %(problem)s") % {
            "bench": bench.name,
            "problem": alert.get_kind_display(),
        }
        context = {
            "alert": alert,
            "bench": bench,
            "community": bench.community.display_name,
            "municipality": municipality.display_name,
            "url": _absolute(bench.get_absolute_url()),
        }
        body = render_to_string("benches/email/alert.txt", context)
    return EmailMessage(subject, body, None, to, headers={"Auto-Submitted": "auto-generated"})


def send_alerts(now=None) -> dict:
    """One pass of the job; returns how many alerts were raised, cleared and notified, and e-mails sent."""
    now = now or timezone.now()
    problems = {
        (row.pk, problem)
        for row, judged in health.fleet(Bench.objects.filter(status__in=health.JUDGED), now)
        for problem in judged.problems
    }
    open_alerts = {
        pk: (bench_id, kind)
        for pk, bench_id, kind in Alert.objects.filter(cleared_at__isnull=True).values_list("pk", "bench_id", "kind")
    }
    gone = [pk for pk, key in open_alerts.items() if key not in problems]
    cleared = Alert.objects.filter(pk__in=gone, cleared_at__isnull=True).update(cleared_at=now)
    raised = 0
    for bench_id, kind in sorted(problems - set(open_alerts.values())):
        try:
            with transaction.atomic():
                Alert.objects.create(bench_id=bench_id, kind=kind, raised_at=now)
        except IntegrityError:
            continue  # another run opened it meanwhile
        raised += 1
    notified, sent = _notify(now)
    return {"raised": raised, "cleared": cleared, "notified": notified, "emails": sent}


def _notify(now) -> tuple[int, int]:
    pending = list(
        Alert.objects.filter(cleared_at__isnull=True, notified_at__isnull=True).select_related(
            "bench__community__municipality"
        )
    )
    addresses = {
        municipality_id: recipients(municipality_id)
        for municipality_id in {alert.bench.community.municipality_id for alert in pending}
    }
    notified = sent = 0
    for alert in pending:
        if not Alert.objects.filter(pk=alert.pk, notified_at__isnull=True).update(notified_at=now):
            continue  # another run claimed it
        notified += 1
        for address in addresses[alert.bench.community.municipality_id]:
            sent += _message(alert, [address]).send()
    return notified, sent
