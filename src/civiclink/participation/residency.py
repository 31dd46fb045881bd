"""Verified residents of a municipality: some phases open an action only to them.

An officer verifies a person they have checked (at the counter, against the register), or the municipality
delivers one-time codes on paper to households and a person enters theirs. Codes use the scheme of the ELoGE
citizens' survey: eight characters from an alphabet without look-alikes, of which only a hash is stored.
"""

import rules
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civiclink.core import codes
from civiclink.core.errors import UserError
from civiclink.governance.responses import hash_code
from civiclink.participation.models import Residency, ResidentCode
from civiclink.places.models import Municipality

MAX_CODES_PER_BATCH = 2000


class ResidencyError(UserError):
    """A verification refused, with the message to show."""


def verify_by_officer(user_email: str, municipality: Municipality, by) -> Residency:
    """Record that the person with this address lives in `municipality`, as checked by `by`, an officer of it."""
    if not rules.has_perm("participation.verify_residents", by, municipality):
        raise ResidencyError(
            _("Only officers of %(municipality)s can verify its residents.")
            % {"municipality": municipality.display_name}
        )
    user = get_user_model().objects.filter(email__iexact=(user_email or "").strip(), is_active=True).first()
    if user is None:
        raise ResidencyError(_("Nobody with this address has an account yet. Ask them to sign up first."))
    residency, _created = Residency.objects.get_or_create(
        user=user, municipality=municipality, defaults={"method": Residency.Method.OFFICER, "verified_by": by}
    )
    return residency


def revoke(municipality: Municipality, residency_id: int) -> bool:
    """Withdraw a residency (a mistake, a person who moved away); False if there was none."""
    deleted, _details = Residency.objects.filter(pk=residency_id, municipality=municipality).delete()
    return bool(deleted)


def issue_codes(municipality: Municipality, n: int, batch: str = "") -> list[str]:
    """`n` new one-time codes, to print now: only their hashes are kept, so they are shown once."""
    if not 1 <= n <= MAX_CODES_PER_BATCH:
        raise ResidencyError(_("Make between 1 and %(most)s codes at a time.") % {"most": MAX_CODES_PER_BATCH})
    return codes.issue(
        n,
        lambda drawn: ResidentCode.objects.bulk_create(
            ResidentCode(municipality=municipality, code_hash=hash_code(code), batch=batch) for code in drawn
        ),
    )


def code_counts(municipality: Municipality) -> dict[str, int]:
    """{"issued": n, "used": n}"""
    return ResidentCode.objects.filter(municipality=municipality).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False))
    )


def redeem(user, code: str, municipality: Municipality | None = None) -> Residency:
    """Make `user` a resident with a printed code (of `municipality`, when given). A code serves once: of two
    people entering it at the same moment, the conditional UPDATE lets one through. `used_at` marks a used code
    for good: `used_by` empties when that account is deleted."""
    found = (
        ResidentCode.objects.select_related("municipality")
        .filter(code_hash=hash_code(code or ""), **({"municipality": municipality} if municipality else {}))
        .first()
    )
    if found is None:
        raise ResidencyError(_("This code is not valid. Check it against the paper and try again."))
    place = {"municipality": found.municipality.display_name}
    if Residency.objects.filter(user=user, municipality=found.municipality).exists():
        raise ResidencyError(_("You are already a verified resident of %(municipality)s.") % place)
    try:
        with transaction.atomic():
            taken = ResidentCode.objects.filter(pk=found.pk, used_at__isnull=True).update(
                used_by=user, used_at=timezone.now()
            )
            if not taken:
                raise ResidencyError(_("This code has already been used. Each code serves only once."))
            return Residency.objects.create(user=user, municipality=found.municipality, method=Residency.Method.CODE)
    except IntegrityError as error:  # verified in the meantime, e.g. with another code: this one stays unused
        raise ResidencyError(_("You are already a verified resident of %(municipality)s.") % place) from error
