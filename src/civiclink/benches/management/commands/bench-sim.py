"""`civiclink bench-sim`: a fleet of simulated benches talking to the server over HTTP or MQTT
(`civiclink.benches.simulator`)."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Play N minutes of a fleet of simulated benches, ending now, against the running server (HTTP) or the "
        "broker and its ingestion worker (MQTT), and print what the server answered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--benches", type=int, default=12, help="how many benches (default 12)")
        parser.add_argument("--minutes", type=int, default=60, help="minutes of fleet time to play (default 60)")
        parser.add_argument("--transport", choices=["http", "mqtt"], default="http")
        parser.add_argument(
            "--offline-every",
            type=int,
            default=0,
            metavar="K",
            help="each bench loses its network every K-th report, for 2 to 5 reports, then sends its outbox as a "
            "batch (default 0: never)",
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed plays the same fleet (default 1)")
        parser.add_argument(
            "--speed",
            type=float,
            default=0,
            metavar="X",
            help="fleet time runs X times faster than real time, 1 being real time (default 0: as fast as possible)",
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server, for HTTP")
        parser.add_argument(
            "--answers", type=float, default=1.0, metavar="X", help="X times the usual rate of kiosk answers"
        )
        parser.add_argument(
            "--state", type=Path, help="where each bench keeps its credential, sequence and outbox (var/bench-sim)"
        )

    def handle(self, *args, benches, minutes, transport, offline_every, seed, speed, url, answers, state, **options):
        from civiclink.benches.simulator import SimulatorError, run

        if benches < 1 or minutes < 1 or offline_every < 0 or answers < 0:
            raise CommandError(
                "--benches and --minutes must be at least 1; --offline-every and --answers not negative."
            )
        try:
            summary = run(
                benches=benches,
                minutes=minutes,
                transport=transport,
                offline_every=offline_every,
                seed=seed,
                speed=speed,
                url=url,
                state=state,
                answer_rate=answers,
            )
        except SimulatorError as error:
            raise CommandError(str(error)) from None
        for line in summary.lines(minutes, transport):
            self.stdout.write(line)
        if summary.outbox_left:
            hint = "is `civiclink bench-ingest` running?" if transport == "mqtt" else "see the rejections above"
            self.stdout.write(
                self.style.WARNING(f"Some messages were not answered for ({hint}); the benches keep them.")
            )
