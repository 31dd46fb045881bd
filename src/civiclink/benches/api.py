"""The bench side of the API under /api/v1/benches/ (see `docs/benches-protocol.md`).

A bench authenticates with `Authorization: Bearer <bench id>.<secret>`. Messages are read from the raw body, not
through a schema, so that one invalid message is rejected by itself while the rest of the batch is stored."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import HttpBearer

from civiclink.benches import broker, credentials, ingest
from civiclink.benches.models import Transport
from civiclink.core import ratelimit

router = Router(tags=["benches"])

PROVISION_RATE_LIMIT = "30/h"  # claim attempts per address: codes are short enough to be worth guessing


class BenchCredential(HttpBearer):
    def authenticate(self, request, token):
        bench = credentials.authenticate(token)
        if bench is None:
            raise HttpError(401, _("The bench credential is unknown, revoked or retired."))
        return bench


bench_auth = BenchCredential()


class ClaimIn(Schema):
    claim: str


class CredentialOut(Schema):
    bench: str
    credential: str
    mqtt: dict


class RejectedOut(Schema):
    id: str
    reason: str


class OutcomeOut(Schema):
    accepted: list[str]
    duplicate: list[str]
    rejected: list[RejectedOut]


class ConfigOut(Schema):
    version: int
    config: dict


def credential_document(bench, credential: str) -> dict:
    """What a bench needs to talk to us: printed by `benches provision` and returned by the API."""
    return {
        "bench": str(bench.pk),
        "credential": credential,
        "mqtt": {
            **broker.public_address(),
            "username": str(bench.pk),
            "password": credential.partition(".")[2],
            "publish": broker.topic(bench.pk, "messages"),
            "ack": broker.topic(bench.pk, "ack"),
            "config": broker.topic(bench.pk, "config"),
        },
    }


@router.post("/benches/provision", response={201: CredentialOut}, summary="Exchange a claim code for a credential")
def provision(request, claim: ClaimIn):
    """Once per claim code: the credential comes back only in this answer. 400 with `detail` when the code is
    unknown, used or expired; 429 after too many attempts from one address."""
    if ratelimit.over_limit(request, "bench-provision", PROVISION_RATE_LIMIT):
        raise HttpError(429, _("Too many attempts. Please wait an hour and try again."))
    try:
        bench, credential = credentials.provision(claim.claim)
    except credentials.ClaimError as refusal:
        raise HttpError(400, str(refusal.message)) from None
    return Status(201, credential_document(bench, credential))


@router.post(
    "/benches/messages",
    auth=bench_auth,
    response=OutcomeOut,
    summary="Send a batch of messages",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}},
        }
    },
)
def messages(request):
    """A JSON array of messages (or one message). Each id is `accepted` (stored now), `duplicate` (stored before)
    or `rejected` with a reason; a bench deletes from its outbox what is accepted or duplicate, and what is
    rejected for any reason but `rate_limited`."""
    if len(request.body) > settings.BENCH_MAX_BATCH * settings.BENCH_MAX_MESSAGE_BYTES:
        raise HttpError(413, _("The batch is too large."))
    return ingest.store_one_bench(request.auth, request.body, Transport.HTTP).as_json()


@router.get("/benches/config", auth=bench_auth, response=ConfigOut, summary="The bench's desired configuration")
def config(request):
    bench = request.auth
    return {"version": bench.desired_config_version, "config": bench.desired_config}


@router.post("/benches/credential", auth=bench_auth, response=CredentialOut, summary="Rotate the bench's secret")
def rotate(request):
    """A new secret; the one used for this request stops working when the answer is sent."""
    with transaction.atomic():
        credential = credentials.rotate(request.auth)
    return credential_document(request.auth, credential)
