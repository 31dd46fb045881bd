"""The MQTT side of the benches benchmark: a fleet of benches publishing through the broker, and a plain subscriber.

`Fleet` is the load generator: many benches on one asyncio loop, each a raw MQTT 3.1.1 connection (a few hundred
lines of a client would cost more CPU than the broker: like bench/loadgen.py, it does only what the load needs).
Each bench publishes telemetry messages at QoS 1, one message per PUBLISH, as a bench reporting live does, and keeps
at most `window` of them unconfirmed; a message is confirmed when its id comes back in the worker's acknowledgement
on the bench's `ack` topic (end to end: published, stored, acknowledged), or, for the baseline, when the plain
subscriber's count has passed it (messages counted in the order they were published). So the load adapts to what
the system under test sustains, and the latency of each message (publish to confirmation) is measured.

    python bench/benches_mqtt.py subscribe URL

is the plain subscriber of the baseline: paho-mqtt, the worker's shared subscription at QoS 1, acknowledging each
message as it arrives and storing nothing; it prints how many messages it has received, every 10 ms.
"""

import asyncio
import json
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

TEMPLATE = (
    '{"id":"%s","seq":%d,"ts":"%s","type":"telemetry",'
    '"data":{"battery":%d,"solar_w":%.1f,"wifi_clients":%d,"enclosure_temp":%.1f}}'
)


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        number, byte = divmod(number, 128)
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _string(value: str | bytes) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return len(data).to_bytes(2, "big") + data


def _packet(header: int, body: bytes) -> bytes:
    return bytes([header]) + _varint(len(body)) + body


def connect_packet(client_id: str, username: str, password: str) -> bytes:
    """CONNECT, MQTT 3.1.1, clean session, no keep-alive (the run is short)."""
    return _packet(
        0x10, _string("MQTT") + bytes([4, 0xC2]) + b"\0\0" + _string(client_id) + _string(username) + _string(password)
    )


@dataclass
class Latencies:
    confirmed: int = 0  # messages confirmed in the measured window
    latencies_ns: list[int] = field(default_factory=list)
    duplicates: int = 0  # confirmed as already stored: should stay 0
    rejected: int = 0

    def percentile_ms(self, p: float) -> float:
        ordered = sorted(self.latencies_ns)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] / 1e6


class Bench(asyncio.Protocol):
    """One bench's connection: publishes while fewer than `window` messages are unconfirmed."""

    def __init__(self, fleet: "Fleet", bench_id: str, secret: str):
        self.fleet = fleet
        self.bench_id = bench_id
        self.secret = secret
        self.topic = _string(f"civiclink/benches/{bench_id}/messages")
        self.transport = None
        self.buffer = bytearray()
        self.ready = asyncio.get_running_loop().create_future()
        self.pending: dict[str, int] = {}  # message id: when it was published (ns)
        self.packet_id = 0
        self.seq = 0
        self.sent = 0

    def connection_made(self, transport):
        self.transport = transport
        transport.write(connect_packet(f"bench-{self.bench_id[:8]}", self.bench_id, self.secret))

    def connection_lost(self, exc):
        if not self.ready.done():
            self.ready.set_exception(exc or ConnectionError("closed"))

    def data_received(self, data):
        self.buffer += data
        while len(self.buffer) >= 2:
            length, shift, index = 0, 0, 1
            while True:
                if index >= len(self.buffer):
                    return
                byte = self.buffer[index]
                length += (byte & 0x7F) << shift
                shift += 7
                index += 1
                if not byte & 0x80:
                    break
            if len(self.buffer) < index + length:
                return
            header, body = self.buffer[0], bytes(self.buffer[index : index + length])
            del self.buffer[: index + length]
            self._handle(header, body)

    def _handle(self, header: int, body: bytes) -> None:
        kind = header >> 4
        if kind == 2:  # CONNACK
            if body[1]:
                self.ready.set_exception(ConnectionError(f"CONNACK {body[1]} for bench {self.bench_id}"))
                return
            ack_topic = _string(f"civiclink/benches/{self.bench_id}/ack")
            self.transport.write(_packet(0x82, b"\0\1" + ack_topic + b"\1"))
        elif kind == 9:  # SUBACK
            if body[2] & 0x80:
                self.ready.set_exception(ConnectionError(f"subscription refused for bench {self.bench_id}"))
            else:
                self.ready.set_result(True)
        elif kind == 3:  # PUBLISH: an acknowledgement from the worker
            topic_length = int.from_bytes(body[:2], "big")
            start = 2 + topic_length
            if header & 0x06:
                self.transport.write(b"\x40\x02" + body[start : start + 2])
                start += 2
            ack = json.loads(body[start:])
            self.fleet.confirm(self, ack["accepted"], ack["duplicate"], len(ack["rejected"]))
            self.fleet.top_up(self)

    def publish(self, count: int) -> None:
        now = time.perf_counter_ns()
        stamp = datetime.now(UTC).isoformat()
        packets = []
        for _ in range(count):
            self.seq += 1
            self.packet_id = self.packet_id % 65535 + 1
            message_id = str(uuid.uuid4())
            payload = (
                TEMPLATE % (message_id, self.seq, stamp, 50 + self.seq % 50, self.seq % 80 / 2, 3, 21.5)
            ).encode()
            body = self.topic + self.packet_id.to_bytes(2, "big") + payload
            packets.append(b"\x32" + _varint(len(body)) + body)
            self.pending[message_id] = now
            if self.fleet.by_count:
                self.fleet.order.append((self, message_id))
        self.sent += count
        self.transport.write(b"".join(packets))


class Fleet:
    """Benches publishing as fast as their windows allow; `measure()` counts what is confirmed in a window. With
    `by_count`, messages are confirmed by `confirm_count()` (the plain subscriber's count), not by acknowledgements."""

    def __init__(self, host: str, port: int, benches: list[tuple[str, str]], window: int, by_count: bool = False):
        self.host, self.port = host, port
        self.credentials = benches
        self.window = window
        self.by_count = by_count
        self.order: deque[tuple[Bench, str]] = deque()  # with `by_count`: unconfirmed messages, oldest first
        self.counted = 0
        self.benches: list[Bench] = []
        self.recording = False
        self.publishing = True
        self.stats = Latencies()

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        for bench_id, secret in self.credentials:
            _transport, bench = await loop.create_connection(
                lambda bench_id=bench_id, secret=secret: Bench(self, bench_id, secret), self.host, self.port
            )
            self.benches.append(bench)
        await asyncio.wait_for(asyncio.gather(*(bench.ready for bench in self.benches)), 30)

    def confirm(self, bench: Bench, ids: list[str], duplicate: list[str], rejected: int) -> None:
        now = time.perf_counter_ns()
        for group, is_duplicate in ((ids, False), (duplicate, True)):
            for message_id in group:
                sent = bench.pending.pop(message_id, None)
                if sent is None or not self.recording:
                    continue
                self.stats.confirmed += 1
                self.stats.duplicates += is_duplicate
                self.stats.latencies_ns.append(now - sent)
        if self.recording:
            self.stats.rejected += rejected

    def confirm_count(self, total: int) -> None:
        """The plain subscriber has received `total` messages: confirm that many, oldest first."""
        touched = {}
        while self.counted < total and self.order:
            bench, message_id = self.order.popleft()
            self.counted += 1
            touched.setdefault(bench, []).append(message_id)
        for bench, ids in touched.items():
            self.confirm(bench, ids, [], 0)
            self.top_up(bench)

    def top_up(self, bench: Bench) -> None:
        room = self.window - len(bench.pending)
        if self.publishing and room > 0:
            bench.publish(room)

    def unconfirmed(self) -> int:
        return sum(len(bench.pending) for bench in self.benches)

    def sent(self) -> int:
        return sum(bench.sent for bench in self.benches)

    async def measure(self, warmup: float, seconds: float, on_window=None) -> Latencies:
        """Publish for `warmup` + `seconds`; what was confirmed in the last `seconds`. Then stop publishing and
        wait (up to a minute) until every message sent has been confirmed."""
        for bench in self.benches:
            self.top_up(bench)
        await asyncio.sleep(warmup)
        self.stats = Latencies()
        self.recording = True
        if on_window:
            on_window("start")
        await asyncio.sleep(seconds)
        self.recording = False
        if on_window:
            on_window("end")
        self.publishing = False
        deadline = time.monotonic() + 60
        while self.unconfirmed() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return self.stats

    def close(self) -> None:
        for bench in self.benches:
            bench.transport.write(b"\xe0\x00")  # DISCONNECT
            bench.transport.close()


# --- The plain subscriber of the baseline --------------------------------------------------------------------


def subscribe(url: str) -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    parts = urlsplit(url)
    received = [0]
    subscribed = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-plain-subscriber", protocol=mqtt.MQTTv5)
    client.username_pw_set(unquote(parts.username or ""), unquote(parts.password or ""))
    client.on_connect = lambda c, *_: c.subscribe("$share/civiclink-ingest/civiclink/benches/+/messages", qos=1)
    client.on_subscribe = lambda *_: subscribed.set()

    def count(_client, _userdata, _message):
        received[0] += 1

    client.on_message = count
    client.connect(parts.hostname, parts.port, clean_start=True)
    client.loop_start()
    if not subscribed.wait(30):
        raise SystemExit("the plain subscriber could not subscribe")
    print("subscribed", flush=True)
    while True:
        print(received[0], flush=True)
        time.sleep(0.01)


if __name__ == "__main__":
    if sys.argv[1:2] != ["subscribe"] or len(sys.argv) != 3:
        raise SystemExit(__doc__)
    subscribe(sys.argv[2])
