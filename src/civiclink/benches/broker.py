"""Mosquitto's view of the registry: a password file and an ACL file written from the benches that hold a
credential, and a configuration file that uses them (`civiclink benches mosquitto-config DIR`).

Each bench is a user named by its id that may publish only to `civiclink/benches/<id>/messages` and read only its
own `ack` and `config` topics (ACL patterns on the user name). The ingestion worker's account, from
`BENCH_MQTT_URL`, reads every bench's messages and writes acknowledgements and configuration."""

import os
import pwd
import signal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

TOPIC_ROOT = "civiclink/benches"
SHARE_GROUP = "civiclink-ingest"


def topic(bench_id, leaf: str) -> str:
    return f"{TOPIC_ROOT}/{bench_id}/{leaf}"


def messages_filter(shared: bool = True) -> str:
    """What the ingestion worker subscribes to; shared, so that several workers split the load."""
    plain = f"{TOPIC_ROOT}/+/messages"
    return f"$share/{SHARE_GROUP}/{plain}" if shared else plain


def connection() -> dict:
    """Host, port, user name and password of `BENCH_MQTT_URL` (mqtt://user:password@host:port)."""
    url = urlsplit(settings.BENCH_MQTT_URL)
    return {
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 1883,
        "username": unquote(url.username or ""),
        "password": unquote(url.password or ""),
    }


def public_address() -> dict:
    """Where benches connect: `BENCH_MQTT_PUBLIC_URL`, else the worker's own host and port."""
    if not settings.BENCH_MQTT_PUBLIC_URL:
        service = connection()
        return {"host": service["host"], "port": service["port"], "tls": False}
    url = urlsplit(settings.BENCH_MQTT_PUBLIC_URL)
    tls = url.scheme == "mqtts"
    return {"host": url.hostname or "", "port": url.port or (8883 if tls else 1883), "tls": tls}


def password_lines() -> list[str]:
    from civiclink.benches.credentials import broker_hash, usable
    from civiclink.benches.models import Bench

    service = connection()
    lines = [f"{service['username']}:{broker_hash(service['password'])}"]
    benches = Bench.objects.exclude(broker_hash="").only("pk", "broker_hash", "secret_hash", "revoked_at", "status")
    lines += [f"{bench.pk}:{bench.broker_hash}" for bench in benches.order_by("pk") if usable(bench)]
    return lines


def acl_lines() -> list[str]:
    service = connection()["username"]
    return [
        "# Written by `civiclink benches mosquitto-config`: do not edit by hand.",
        f"user {service}",
        f"topic read {TOPIC_ROOT}/+/messages",
        f"topic write {TOPIC_ROOT}/+/ack",
        f"topic write {TOPIC_ROOT}/+/config",
        "",
        "# Every bench: its own topics only (%u is the user name, which is the bench id).",
        f"pattern write {TOPIC_ROOT}/%u/messages",
        f"pattern read {TOPIC_ROOT}/%u/ack",
        f"pattern read {TOPIC_ROOT}/%u/config",
    ]


def config_lines(directory: Path, port: int, bind: str, user: str | None) -> list[str]:
    # A worker restart must not lose what arrives meanwhile: the queue of a persistent session is sized for hours
    # of the whole fleet. A worker may hold two batches unacknowledged: one being stored, the next arriving.
    # Payloads up to four times the largest that ingestion takes still reach the worker, which records them as too
    # large for staff to see; the broker itself refuses larger ones.
    lines = [
        "# Written by `civiclink benches mosquitto-config`. Run: mosquitto -c " + str(directory / "mosquitto.conf"),
        "per_listener_settings false",
        f"listener {port} {bind}",
        "allow_anonymous false",
        f"password_file {directory / 'passwd'}",
        f"acl_file {directory / 'acl'}",
        "persistence true",
        f"persistence_location {directory / 'data'}/",
        "autosave_interval 60",
        "max_queued_messages 1000000",
        "max_inflight_messages 2000",
        f"message_size_limit {4 * settings.BENCH_MAX_BATCH * settings.BENCH_MAX_MESSAGE_BYTES}",
        f"pid_file {pid_path(directory)}",
    ]
    if user:
        lines.append(f"user {user}")
    return lines


def _write(path: Path, lines: list[str], mode: int) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n")
    os.chmod(temporary, mode)
    os.replace(temporary, path)


def write_access_files(directory: Path) -> None:
    """The password and ACL files, each replaced in one step so that a reloading broker never reads half."""
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / "passwd", password_lines(), 0o644)
    _write(directory / "acl", acl_lines(), 0o644)


def pid_path(directory: Path) -> Path:
    """Where the broker writes its process id: in its data folder, which it may write to (see `write_config`)."""
    return directory / "data" / "mosquitto.pid"


def write_config(directory: Path, port: int = 1883, bind: str = "127.0.0.1", user: str | None = None) -> Path:
    """The configuration, password and ACL files in `directory`, and its `data` folder for the broker's persistence
    and pid file. Started as root, Mosquitto drops to `user` (by default "mosquitto") before it writes them: the data
    folder is then given to that user."""
    directory = directory.resolve()
    write_access_files(directory)
    data = directory / "data"
    data.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(user or "mosquitto")
        except KeyError:  # Mosquitto falls back to "nobody", or refuses to start with an unknown user
            account = None
        if account:
            os.chown(data, account.pw_uid, account.pw_gid)
    conf = directory / "mosquitto.conf"
    _write(conf, config_lines(directory, port, bind, user), 0o644)
    return conf


def reload(pid_file: Path) -> bool:
    """Ask the broker to re-read its password and ACL files (SIGHUP); False when it is not running."""
    try:
        os.kill(int(pid_file.read_text().strip()), signal.SIGHUP)
    except (OSError, ValueError):
        return False
    return True


def registry_changed() -> None:
    """After a bench gets, changes or loses its credential: rewrite the broker's files and signal it, when this
    installation manages a broker (`BENCH_MOSQUITTO_DIR`)."""
    if not settings.BENCH_MOSQUITTO_DIR:
        return
    directory = Path(settings.BENCH_MOSQUITTO_DIR)
    write_access_files(directory)
    reload(Path(settings.BENCH_MOSQUITTO_PID_FILE or pid_path(directory)))
