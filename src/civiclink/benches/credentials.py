"""Bench credentials: one-time claim codes, the credential they are exchanged for, rotation and revocation.

A credential is the bench's id and a random secret, written `<bench id>.<secret>` as an HTTP bearer token; over
MQTT the id is the user name and the secret the password. The secret is shown once; the database keeps its SHA-256
(enough for 256 random bits) and the broker's PBKDF2 form for Mosquitto's password file."""

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.benches import broker
from civiclink.benches.models import Bench, ClaimCode, Status
from civiclink.core import codes
from civiclink.core.errors import UserError

BROKER_ITERATIONS = 101  # what mosquitto_passwd uses
BROKER_SALT_BYTES = 12


class ClaimError(UserError):
    default_message = _("This claim code is unknown or has already been used. Ask the staff for a new one.")


class ClaimExpired(ClaimError):
    default_message = _("This claim code has expired. Ask the staff for a new one.")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def broker_hash(secret: str, salt: bytes | None = None) -> str:
    """The secret in Mosquitto's `$7$` password-file form: PBKDF2-HMAC-SHA512."""
    salt = salt or secrets.token_bytes(BROKER_SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha512", secret.encode(), salt, BROKER_ITERATIONS)
    return f"$7${BROKER_ITERATIONS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def _hash_claim(code: str) -> str:
    return hashlib.sha256(codes.normalise(code).encode()).hexdigest()


def issue_claim(bench: Bench, by=None) -> str:
    """A new claim code for `bench`, valid `BENCH_CLAIM_MINUTES`; earlier unused codes of the bench stop working."""
    now = timezone.now()
    expires_at = now + timedelta(minutes=settings.BENCH_CLAIM_MINUTES)
    with transaction.atomic():
        ClaimCode.objects.filter(bench=bench, used_at__isnull=True).update(used_at=now)
        [code] = codes.issue(
            1,
            lambda drawn: ClaimCode.objects.bulk_create(
                ClaimCode(
                    bench=bench, code_hash=_hash_claim(code), created_at=now, expires_at=expires_at, created_by=by
                )
                for code in drawn
            ),
        )
    return code


def _new_credential(bench: Bench) -> str:
    """Give `bench` a new secret (saving it) and return the credential string; the old secret stops at once."""
    secret = secrets.token_urlsafe(32)
    bench.secret_hash = hash_secret(secret)
    bench.broker_hash = broker_hash(secret)
    bench.credential_version += 1
    bench.credential_issued_at = timezone.now()
    bench.revoked_at = None
    bench.save(update_fields=["secret_hash", "broker_hash", "credential_version", "credential_issued_at", "revoked_at"])
    transaction.on_commit(broker.registry_changed)
    return f"{bench.pk}.{secret}"


def provision(code: str) -> tuple[Bench, str]:
    """Exchange a claim code, once, for the bench's credential. Raises `ClaimError` or `ClaimExpired`."""
    now = timezone.now()
    with transaction.atomic():
        claim = ClaimCode.objects.filter(code_hash=_hash_claim(code)).select_related("bench").first()
        if claim is None or claim.used_at is not None:
            raise ClaimError
        if claim.expires_at <= now:
            raise ClaimExpired
        # The conditional update is what makes a code single-use when two benches present it at once.
        if not ClaimCode.objects.filter(pk=claim.pk, used_at__isnull=True).update(used_at=now):
            raise ClaimError
        bench = Bench.objects.select_for_update().get(pk=claim.bench_id)
        if bench.status == Status.RETIRED:
            raise ClaimError(_("This bench is retired and cannot be provisioned."))
        return bench, _new_credential(bench)


def rotate(bench: Bench) -> str:
    """A new secret for `bench`: what the bench asks for with its current credential, or staff do by hand."""
    with transaction.atomic():
        bench = Bench.objects.select_for_update().get(pk=bench.pk)
        return _new_credential(bench)


def revoke(bench: Bench) -> None:
    """Refuse the bench at once on HTTP, MQTT and its kiosk. A new claim code provisions it again."""
    with transaction.atomic():
        Bench.objects.filter(pk=bench.pk).update(
            revoked_at=timezone.now(), secret_hash="", broker_hash="", credential_version=F("credential_version") + 1
        )
        transaction.on_commit(broker.registry_changed)
    bench.refresh_from_db()


def split_credential(credential: str) -> tuple[uuid.UUID, str] | None:
    bench_id, _dot, secret = credential.strip().partition(".")
    try:
        return uuid.UUID(bench_id), secret
    except ValueError:
        return None


def authenticate(credential: str) -> Bench | None:
    """The bench a `<bench id>.<secret>` credential belongs to, if it is neither revoked nor retired."""
    parts = split_credential(credential or "")
    if parts is None or not parts[1]:
        return None
    bench = Bench.objects.filter(pk=parts[0]).select_related("community__municipality").first()
    if bench is None or not usable(bench):
        return None
    if not hmac.compare_digest(bench.secret_hash, hash_secret(parts[1])):
        return None
    return bench


def usable(bench: Bench) -> bool:
    """Whether the bench may send: it holds a credential, is not revoked and not retired."""
    return bool(bench.secret_hash) and bench.revoked_at is None and bench.status != Status.RETIRED
