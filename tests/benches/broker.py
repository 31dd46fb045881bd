"""A Mosquitto of the tests' own, on a free port, configured from the registry as in production
(`broker.write_config`), and a bench's MQTT client.

`mosquitto` (a fixture, imported into `conftest.py`) starts the broker for one test and points the settings at it:
`BENCH_MQTT_URL` (the worker's account), `BENCH_MOSQUITTO_DIR` (so that provisioning, rotation and revocation
rewrite its files and signal it on commit). Without Mosquitto installed the test is skipped, except in CI (env CI
set), where it fails."""

import json
import os
import queue
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

MOSQUITTO = "/usr/sbin/mosquitto"
SERVICE = ("civiclink-ingest", "test-ingest-secret")
TIMEOUT = 10  # seconds to wait for anything the broker does


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float = TIMEOUT, what: str = "the condition"):
    """Poll `condition()` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


@dataclass
class Mosquitto:
    """A running broker: `host`, `port`, `directory` (its passwd, acl, conf, pid and log files)."""

    host: str
    port: int
    directory: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """`BENCH_MQTT_URL` for the worker's account."""
        return f"mqtt://{SERVICE[0]}:{SERVICE[1]}@{self.host}:{self.port}"

    @property
    def log(self) -> str:
        return (self.directory / "mosquitto.log").read_text(errors="replace")

    def start(self) -> None:
        from civiclink.benches import broker

        as_root = os.geteuid() == 0  # as root, Mosquitto would drop to a user that cannot read the test's files
        conf = broker.write_config(self.directory, port=self.port, bind=self.host, user="root" if as_root else None)
        with open(self.directory / "mosquitto.log", "ab") as log:
            self.process = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
        wait_for(self._accepting, what=f"Mosquitto on port {self.port}")

    def _accepting(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"Mosquitto exited with {self.process.returncode}:\n{self.log}")
        try:
            socket.create_connection((self.host, self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(TIMEOUT)

    def reloads(self) -> int:
        return self.log.count("Reloading config.")

    def reload(self) -> None:
        """Rewrite the password and ACL files from the registry, signal the broker and wait until it has re-read
        them (what `broker.registry_changed()` does after a commit, plus the wait)."""
        from civiclink.benches import broker

        before = self.reloads()
        broker.write_access_files(self.directory)
        assert broker.reload(broker.pid_path(self.directory))
        self.wait_reloaded(before)

    def wait_reloaded(self, before: int) -> None:
        """Wait until the broker has reloaded since it had reloaded `before` times. It reloads between two turns of
        its loop, so a connection it accepts afterwards is served with the new files."""
        wait_for(lambda: self.reloads() > before, what="Mosquitto to reload")
        client = BenchClient(self, *SERVICE, subscribe=False)
        client.close()


@dataclass(eq=False)
class BenchClient:
    """A bench's MQTT 5 connection: `connected` is the broker's answer (a `ReasonCode`); unless told otherwise it
    subscribes to its own `ack` and `config` topics, and everything it receives lands in `received`."""

    mosquitto: Mosquitto
    username: str
    password: str
    subscribe: bool = True
    client_id: str = ""
    received: queue.Queue = field(default_factory=queue.Queue)
    granted: list = field(default_factory=list)

    def __post_init__(self):
        self._connack = queue.Queue()
        self._subacks = queue.Queue()
        self._pubacks = {}  # packet id: the broker's reason code
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5, reconnect_on_failure=False
        )
        self.client.username_pw_set(self.username, self.password)
        self.client.max_inflight_messages_set(1000)
        self.client.on_connect = lambda _c, _u, _flags, code, _p: self._connack.put(code)
        self.client.on_subscribe = lambda _c, _u, _mid, codes, _p: self._subacks.put(codes)
        self.client.on_message = lambda _c, _u, message: self.received.put((message.topic, message.payload))
        self.client.on_publish = lambda _c, _u, mid, code, _p: self._pubacks.__setitem__(mid, code)
        self.client.connect(self.mosquitto.host, self.mosquitto.port, keepalive=30)
        self.client.loop_start()
        self.connected = self._connack.get(timeout=TIMEOUT)
        if self.subscribe and not self.connected.is_failure:
            self.subscribe_to(f"civiclink/benches/{self.username}/ack", f"civiclink/benches/{self.username}/config")

    def subscribe_to(self, *filters: str) -> list:
        """Subscribe at QoS 1; the broker's reason code per filter."""
        self.client.subscribe([(topic_filter, 1) for topic_filter in filters])
        codes = self._subacks.get(timeout=TIMEOUT)
        self.granted += codes
        return codes

    def publish(self, payload, topic: str | None = None, retain: bool = False):
        """Publish at QoS 1 (a list or dict as JSON) and wait for the broker's PUBACK; its reason code."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        info = self.client.publish(topic or f"civiclink/benches/{self.username}/messages", body, qos=1, retain=retain)
        info.wait_for_publish(TIMEOUT)
        return self._pubacks.pop(info.mid)

    def messages(self, timeout: float = 0.0) -> list[tuple[str, bytes]]:
        """What arrived so far, waiting up to `timeout` for the first."""
        got = []
        try:
            got.append(self.received.get(timeout=timeout) if timeout else self.received.get_nowait())
            while True:
                got.append(self.received.get_nowait())
        except queue.Empty:
            return got

    def is_connected(self) -> bool:
        return self.client.is_connected()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def mosquitto(db, settings, tmp_path):
    """A broker of this test's own, configured from the registry; see the module."""
    if not os.path.exists(MOSQUITTO):
        if os.environ.get("CI"):
            pytest.fail(f"{MOSQUITTO} is missing; CI must install the mosquitto package.")
        pytest.skip(f"{MOSQUITTO} is not installed (the mosquitto package)")
    server = Mosquitto("127.0.0.1", free_port(), tmp_path / "mosquitto")
    settings.BENCH_MQTT_URL = server.url
    settings.BENCH_MOSQUITTO_DIR = str(server.directory)
    settings.BENCH_MOSQUITTO_PID_FILE = ""
    server.start()
    yield server
    server.stop()
