"""`civiclink bench-ingest`: the MQTT ingestion worker (`civiclink.benches.worker`). Run one or more; each needs its
own `--worker` number (or `--client-id`), which names the persistent session the broker keeps for it."""

import logging
import signal

from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Store what benches publish over MQTT, acknowledging each message after it is committed. Stop with Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--worker", type=int, default=1, help="this worker's number on this host (default 1)")
        parser.add_argument("--client-id", help="MQTT client id (default civiclink-ingest-<host name>-<worker>)")
        parser.add_argument("--batch-size", type=int, default=1000, help="messages per transaction (default 1000)")
        parser.add_argument("--log-every", type=float, default=60, help="seconds between lines of counts (default 60)")

    def handle(self, *args, worker, client_id, batch_size, log_every, **options):
        from civiclink.benches.worker import Worker, default_client_id

        logging.getLogger("civiclink.benches.worker").setLevel(logging.INFO)
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        ingester = Worker(client_id or default_client_id(worker), batch_size=batch_size)
        try:
            ingester.start()
        except (OSError, ConnectionError) as error:
            raise CommandError(f"Cannot subscribe at the broker: {error}") from None
        signal.signal(signal.SIGTERM, ingester.stop)
        signal.signal(signal.SIGINT, ingester.stop)
        self.stdout.write(f"Ingesting as {ingester.client_id}; stop with Ctrl+C.")
        try:
            ingester.run(log_every=log_every)
        finally:
            ingester.close()
