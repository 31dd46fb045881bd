"""One-time codes printed on paper (citizens' questionnaire codes, poll codes, resident codes): easy to type, and
stored only as hashes, so that they are shown once, when issued."""

import secrets
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1: nothing to misread on paper
CODE_LENGTH = 8


def normalise(code: str) -> str:
    """What people type, however spaced or dashed: "abcd efgh" and "ABCD-EFGH" are the same code."""
    return "".join(code.split()).replace("-", "").upper()


def new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def issue(count: int, store: Callable[[Iterable[str]], object]) -> list[str]:
    """`count` new codes, sorted. `store(codes)` saves their hashes; a unique constraint refuses a clash with an
    earlier code, which is astronomically rare: the codes are then drawn again."""
    for attempt in range(3):
        codes = set()
        while len(codes) < count:
            codes.add(new_code())
        try:
            with transaction.atomic():
                store(codes)
        except IntegrityError:
            if attempt == 2:
                raise
            continue
        return sorted(codes)
    raise AssertionError("unreachable")
