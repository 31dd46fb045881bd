"""The MQTT ingestion worker (`civiclink bench-ingest`): what benches publish, stored once and acknowledged.

It holds a persistent session (a fixed client id, no clean start, a long session expiry), so that the broker keeps
every message that arrives while the worker is away, and subscribes to the shared filter, so that several workers
split the load. Messages are acknowledged by hand (QoS 1 PUBACK) only after `ingest.store` has committed them and
the bench has been sent its acknowledgement: a worker killed at any moment leaves the broker to deliver again what
was not acknowledged, and storing again stores nothing twice. The network thread only queues what arrives; the
main thread takes batches from the queue, stores each batch in one transaction and acknowledges it."""

import itertools
import json
import logging
import queue
import socket
import threading
import time
from collections import Counter

import paho.mqtt.client as mqtt
from django.db import InterfaceError, OperationalError, connection
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from civiclink.benches import broker, ingest
from civiclink.benches.models import Reason, Transport

log = logging.getLogger(__name__)

SESSION_EXPIRY = 7 * 24 * 3600  # seconds the broker keeps the worker's subscription and queue while it is away
BATCH_SIZE = 1000  # messages per transaction
BATCH_SECONDS = 0.02  # how long a batch waits to fill once its first message is there
RETRY_SECONDS = (0.2, 0.5, 1, 2, 5, 10)  # waits between attempts after a database error, the last one repeated
DATABASE_DOWN = (OperationalError, InterfaceError)  # lost connection, deadlock, server restarting: try again later


def default_client_id(worker: int = 1) -> str:
    """One stable id per worker and host: the broker keeps that worker's session under it."""
    return f"civiclink-ingest-{socket.gethostname()}-{worker}"


def bench_of(topic: str) -> str:
    """The bench id in `civiclink/benches/<id>/messages`; "" for any other topic (stored as from an unknown bench)."""
    root, _slash, rest = topic.partition(broker.TOPIC_ROOT + "/")
    bench_id, _slash, leaf = rest.partition("/")
    return bench_id if not root and leaf == "messages" else ""


class Stopped(Exception):
    """Asked to stop while the database was unavailable: the batch stays unacknowledged, to be delivered again."""


class Worker:
    """`start()`, then `step()` for one batch or `run()` until `stop()`; `close()` disconnects cleanly."""

    def __init__(self, client_id: str, shared: bool = True, batch_size: int = BATCH_SIZE):
        self.client_id = client_id
        self.shared = shared
        self.batch_size = batch_size
        self.inbox = queue.SimpleQueue()  # (connection number, packet id, topic, payload)
        self.counts = Counter()
        self.stopping = threading.Event()
        self.subscribed = threading.Event()
        self.connections = 0  # counts connections: a packet id is acknowledged only on the connection it came on
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        service = broker.connection()
        self.client.username_pw_set(service["username"], service["password"])
        self.client.max_inflight_messages_set(batch_size)  # acknowledgements to benches in flight
        self.client.reconnect_delay_set(1, 30)
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_subscribe = self._subscribed
        self.client.on_message = self._received

    # --- Network thread ----------------------------------------------------------------------------------------

    def _connected(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("The broker refused the worker %s: %s", self.client_id, reason_code)
            return
        log.info("Connected as %s (session %s)", self.client_id, "resumed" if flags.session_present else "new")
        client.subscribe(broker.messages_filter(self.shared), qos=1)

    def _disconnected(self, client, userdata, flags, reason_code, properties):
        self.connections += 1
        self.subscribed.clear()
        if not self.stopping.is_set():
            log.warning("Disconnected from the broker (%s); reconnecting", reason_code)

    def _subscribed(self, client, userdata, mid, reason_codes, properties):
        if any(code.is_failure for code in reason_codes):
            log.error(
                "The broker refused the subscription to %s: %s", broker.messages_filter(self.shared), reason_codes
            )
            return
        self.subscribed.set()

    def _received(self, client, userdata, message):
        try:
            topic = message.topic
        except UnicodeDecodeError:  # refused by Mosquitto already; an exception here would stop the network thread
            topic = ""
        self.inbox.put((self.connections, message.mid, topic, message.payload))

    # --- Main thread -------------------------------------------------------------------------------------------

    def start(self, timeout: float = 30) -> None:
        """Connect with the persistent session and wait until subscribed."""
        service = broker.connection()
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY
        properties.ReceiveMaximum = 2 * self.batch_size  # one batch arrives while the one before is stored
        self.client.connect(service["host"], service["port"], keepalive=30, clean_start=False, properties=properties)
        self.client.loop_start()
        if not self.subscribed.wait(timeout):
            self.close()
            raise ConnectionError(f"not subscribed to {broker.messages_filter(self.shared)} within {timeout:g} s")

    def close(self) -> None:
        self.stopping.set()
        self.client.disconnect()
        self.client.loop_stop()

    def stop(self, *_signal) -> None:
        """Finish the batch in hand, then return from `run()` (a signal handler)."""
        self.stopping.set()

    def take(self, timeout: float) -> list[tuple]:
        """Up to `batch_size` messages: waits up to `timeout` for the first, then `BATCH_SECONDS` for more."""
        try:
            batch = [self.inbox.get(timeout=timeout)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + BATCH_SECONDS
        while len(batch) < self.batch_size:
            try:
                batch.append(self.inbox.get_nowait())
            except queue.Empty:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    batch.append(self.inbox.get(timeout=left))
                except queue.Empty:
                    break
        return batch

    def step(self, timeout: float = 1.0) -> int:
        """Store and acknowledge one batch; the number of MQTT messages it held."""
        batch = self.take(timeout)
        if not batch:
            return 0
        entries = [ingest.Entry(bench_of(topic), payload, topic) for _number, _mid, topic, payload in batch]
        try:
            entries = self._store(entries)
        except Stopped:
            return 0
        self._acknowledge(entries)
        current = self.connections
        for number, mid, _topic, _payload in batch:
            if number == current:  # after a reconnection the broker delivers the message again, under its id
                self.client.ack(mid, 1)
        self.counts["payloads"] += len(batch)
        return len(batch)

    def run(self, log_every: float = 60) -> None:
        """Batches until `stop()`; a line of counts every `log_every` seconds."""
        last, logged = time.monotonic(), Counter()
        while not self.stopping.is_set():
            self.step(timeout=0.5)
            if time.monotonic() - last >= log_every:
                now = time.monotonic()
                self._log_counts(self.counts - logged, now - last)
                last, logged = now, self.counts.copy()

    def _log_counts(self, counts: Counter, seconds: float) -> None:
        log.info(
            "%d payloads in %.0f s (%.0f/s): %d accepted, %d duplicate, %d rejected; %d waiting, %d database errors",
            counts["payloads"],
            seconds,
            counts["payloads"] / seconds,
            counts["accepted"],
            counts["duplicate"],
            counts["rejected"],
            self.inbox.qsize(),
            counts["database_errors"],
        )

    # --- Storing and acknowledging -----------------------------------------------------------------------------

    def _store(self, entries: list[ingest.Entry]) -> list[ingest.Entry]:
        """`ingest.store` in one transaction, again after a database error (nothing was acknowledged). Any other
        error is a message the code did not expect: the entries are then stored one by one, and the one that fails
        is recorded as a dead letter by itself, so that it can neither stop the worker nor block the queue."""
        try:
            return self._retrying(lambda: ingest.store(self._fresh(entries), Transport.MQTT))
        except Stopped:
            raise
        except Exception:
            if len(entries) > 1:
                log.exception("A batch of %d payloads failed; storing them one by one", len(entries))
                return [stored for entry in entries for stored in self._store([entry])]
            log.exception("A payload on %s failed; recording it as a dead letter", entries[0].topic)
            return self._retrying(lambda: self._dead(entries[0]))

    def _retrying(self, attempt):
        for delay in itertools.chain(RETRY_SECONDS, itertools.repeat(RETRY_SECONDS[-1])):
            try:
                return attempt()
            except DATABASE_DOWN as error:
                self.counts["database_errors"] += 1
                log.warning("Database error, trying again in %g s: %s", delay, error)
                connection.close()
                if self.stopping.wait(delay):
                    raise Stopped from None

    @staticmethod
    def _fresh(entries: list[ingest.Entry]) -> list[ingest.Entry]:
        """The entries without outcomes: an attempt that failed half-way may have filled them in."""
        return [ingest.Entry(entry.bench_id, entry.payload, entry.topic) for entry in entries]

    @staticmethod
    def _dead(entry: ingest.Entry) -> list[ingest.Entry]:
        [entry] = Worker._fresh([entry])
        ingest.dead_letter(entry, Transport.MQTT, Reason.INVALID, "internal error")
        return [entry]

    def _acknowledge(self, entries: list[ingest.Entry]) -> None:
        """One acknowledgement per bench: the ids it sent in this batch, accepted, duplicate or rejected."""
        outcomes: dict[str, ingest.Outcome] = {}
        for entry in entries:
            self.counts["accepted"] += len(entry.outcome.accepted)
            self.counts["duplicate"] += len(entry.outcome.duplicate)
            self.counts["rejected"] += len(entry.outcome.rejected)
            if entry.bench_id:
                outcomes.setdefault(entry.bench_id, ingest.Outcome()).extend(entry.outcome)
        for bench_id, outcome in outcomes.items():
            self.client.publish(broker.topic(bench_id, "ack"), json.dumps(outcome.as_json()), qos=1)
