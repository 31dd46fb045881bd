"""`civiclink benches <action>`: the bench registry from the command line (create, provision, rotate, revoke), the
broker's files, and the alerts job."""

import json
import uuid
from pathlib import Path

from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Smart benches: create and provision benches, rotate or revoke credentials, configure Mosquitto, alerts."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a bench and print its id and a one-time claim code (JSON).")
        create.add_argument(
            "--community", required=True, help="local community: municipality-slug/community-slug, or a unique slug"
        )
        create.add_argument("--name", required=True)
        provision = actions.add_parser(
            "provision", help="Exchange a claim code for the bench's credential, printed once (what a bench does)."
        )
        provision.add_argument("--claim", required=True)
        rotate = actions.add_parser("rotate", help="Give a bench a new secret (printed once); the old one stops.")
        rotate.add_argument("bench_id")
        revoke = actions.add_parser("revoke", help="Refuse a bench at once on HTTP, MQTT and its kiosk.")
        revoke.add_argument("bench_id")
        broker = actions.add_parser(
            "mosquitto-config", help="Write Mosquitto's configuration, password and ACL files from the registry."
        )
        broker.add_argument("directory")
        broker.add_argument("--port", type=int, default=1883, help="(default 1883)")
        broker.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        broker.add_argument("--user", help="system user Mosquitto runs as when started as root (default mosquitto)")
        actions.add_parser("alerts", help="Raise, clear and e-mail bench health alerts (run every few minutes).")
        prune = actions.add_parser(
            "prune", help="Delete old raw messages and refused messages, and expired ballot tokens (run daily)."
        )
        prune.add_argument("--message-days", type=int, default=180, help="keep raw messages this long (default 180)")
        prune.add_argument("--dead-letter-days", type=int, default=90, help="keep refused messages (default 90)")

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def _json(self, document: dict) -> None:
        self.stdout.write(json.dumps(document, indent=2))

    def _community(self, slug: str):
        from civiclink.places.models import LocalCommunity

        municipality, _slash, community = slug.rpartition("/")
        found = LocalCommunity.objects.filter(slug=community).select_related("municipality")
        if municipality:
            found = found.filter(municipality__slug=municipality)
        found = list(found[:2])
        if not found:
            raise CommandError(f"No local community {slug!r}.")
        if len(found) > 1:
            raise CommandError(
                f"Several municipalities have a local community {slug!r}: write municipality-slug/{community}."
            )
        return found[0]

    def _bench(self, bench_id: str):
        from civiclink.benches.models import Bench

        try:
            return Bench.objects.get(pk=uuid.UUID(bench_id))
        except (ValueError, Bench.DoesNotExist):
            raise CommandError(f"No bench with id {bench_id!r}.") from None

    def handle_create(self, community, name, **options):
        from django.db import IntegrityError, transaction

        from civiclink.benches import credentials
        from civiclink.benches.models import Bench

        place = self._community(community)
        name = name.strip()
        if not name:
            raise CommandError("The bench needs a name.")
        try:
            with transaction.atomic():
                bench = Bench.objects.create(community=place, name=name)
                code = credentials.issue_claim(bench)
        except IntegrityError:
            raise CommandError(f"{place} already has a bench named {name!r}.") from None
        claim = bench.claim_codes.get(used_at__isnull=True)
        self._json({"bench": str(bench.pk), "claim": code, "expires": claim.expires_at.isoformat()})

    def handle_provision(self, claim, **options):
        from civiclink.benches import api, credentials

        try:
            bench, credential = credentials.provision(claim)
        except credentials.ClaimError as refusal:
            raise CommandError(str(refusal.message)) from None
        self._json(api.credential_document(bench, credential))

    def handle_rotate(self, bench_id, **options):
        from civiclink.benches import api, credentials

        bench = self._bench(bench_id)
        if not credentials.usable(bench):
            raise CommandError("This bench holds no usable credential: issue a claim code to provision it.")
        self._json(api.credential_document(bench, credentials.rotate(bench)))

    def handle_revoke(self, bench_id, **options):
        from civiclink.benches import credentials

        bench = self._bench(bench_id)
        credentials.revoke(bench)
        self.stdout.write(f"Revoked the credential of {bench} ({bench.pk}).")

    def handle_mosquitto_config(self, directory, port, bind, user, **options):
        from django.conf import settings

        from civiclink.benches import broker

        try:
            conf = broker.write_config(Path(directory), port=port, bind=bind, user=user)
        except OSError as error:
            raise CommandError(str(error)) from None
        managed = Path(settings.BENCH_MOSQUITTO_DIR).resolve() == conf.parent if settings.BENCH_MOSQUITTO_DIR else False
        self.stdout.write(f"Wrote {conf}, {conf.parent / 'passwd'} and {conf.parent / 'acl'}. Run the broker with:")
        self.stdout.write(f"    mosquitto -c {conf}")
        if not managed:
            self.stdout.write(
                f"Set CIVICLINK_MOSQUITTO_DIR={conf.parent} for the site and the worker, so that adding, rotating or "
                "revoking a bench rewrites the files and signals the broker; otherwise run this command again and "
                f"send the broker SIGHUP (kill -HUP $(cat {broker.pid_path(conf.parent)}))."
            )

    def handle_prune(self, message_days, dead_letter_days, **options):
        from civiclink.benches.retention import prune

        try:
            counts = prune(message_days, dead_letter_days)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write("Deleted " + ", ".join(f"{name}: {number}" for name, number in counts.items()))

    def handle_alerts(self, **options):
        from civiclink.benches.alerts import send_alerts

        counts = send_alerts()
        self.stdout.write(", ".join(f"{name}: {number}" for name, number in counts.items()))
