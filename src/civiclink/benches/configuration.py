"""A bench's desired configuration: staff edit it, each change gets the next version, and it is published as the
retained message of the bench's `config` topic, so that the bench receives it whenever it (re)connects. A bench
also reads it over HTTP (`GET /api/v1/benches/config`); both carry `{"version": N, "config": {...}}`. The bench
reports the version it applied with a `config_applied` event (`Bench.reported_config_version`)."""

import json
import logging

from django.db import transaction
from django.db.models import F
from paho.mqtt import MQTTException, publish

from civiclink.benches import broker
from civiclink.benches.models import Bench

logger = logging.getLogger(__name__)
PUBLISH_KEEPALIVE = 10  # seconds; the connection lasts only as long as one publication


def document(bench: Bench) -> dict:
    """What the bench receives, on either transport."""
    return {"version": bench.desired_config_version, "config": bench.desired_config}


def publish_config(bench: Bench) -> bool:
    """Publish the bench's configuration, retained, with QoS 1; False (and a log line) when the broker cannot be
    reached or refuses us: the configuration is saved all the same, and the bench still reads it over HTTP."""
    service = broker.connection()
    try:
        publish.single(
            broker.topic(bench.pk, "config"),
            payload=json.dumps(document(bench), separators=(",", ":")),
            qos=1,
            retain=True,
            hostname=service["host"],
            port=service["port"],
            keepalive=PUBLISH_KEEPALIVE,
            auth={"username": service["username"], "password": service["password"]} if service["username"] else None,
        )
    except (OSError, MQTTException) as error:
        logger.warning("configuration of bench %s not published: %s", bench.pk, error)
        return False
    return True


def save_config(bench: Bench, config: dict) -> bool | None:
    """Store `config` as the bench's desired configuration under the next version and publish it. Returns None
    when nothing changed (no new version), else whether the broker took it."""
    if config == bench.desired_config:
        return None
    with transaction.atomic():
        Bench.objects.filter(pk=bench.pk).update(
            desired_config=config, desired_config_version=F("desired_config_version") + 1
        )
    bench.refresh_from_db(fields=["desired_config", "desired_config_version"])
    return publish_config(bench)
