"""Rate limits on anonymous and new visitors' writes, counted in the cache per client address.

The address is only ever kept under a keyed hash, for the length of one window: nothing links it to what was sent.
A limit is written like "30/h" or "100/10m"; an empty limit turns the check off.
"""

import hashlib
import hmac
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(spec: str) -> tuple[int, int] | None:
    """(count, seconds) of a limit such as "30/h" or "100/10m"; None for an empty one."""
    if not spec:
        return None
    count, _slash, period = spec.partition("/")
    return int(count), int(period[:-1] or 1) * UNITS[period[-1]]


def client_key(request) -> str:
    """A keyed hash of the client's address (honouring ALLAUTH_TRUSTED_PROXY_COUNT like the login limits)."""
    address = get_adapter().get_client_ip(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def hit(scope: str, who: str, spec: str) -> bool:
    """Count one action of `who` in `scope`; True once past the limit for the current window."""
    limit = parse(spec)
    if limit is None:
        return False
    count, seconds = limit
    key = f"ratelimit:{scope}:{who}:{int(time.time()) // seconds}"
    if cache.add(key, 1, seconds):
        return count < 1
    try:
        return cache.incr(key) > count
    except ValueError:  # the window ended in between
        return False


def allowance(scope: str, who: str, spec: str, amount: int) -> int:
    """Count `amount` actions of `who` at once; how many of them fit within the limit for the current window."""
    limit = parse(spec)
    if limit is None or amount <= 0:
        return max(amount, 0)
    count, seconds = limit
    key = f"ratelimit:{scope}:{who}:{int(time.time()) // seconds}"
    if cache.add(key, amount, seconds):
        return min(amount, count)
    try:
        total = cache.incr(key, amount)
    except ValueError:  # the window ended in between
        return min(amount, count)
    return max(0, min(amount, count - (total - amount)))


def allowances(scope: str, amounts: dict[str, int], spec: str) -> dict[str, int]:
    """`allowance` for many at once: {who: how many of their `amounts` fit}. On Redis, one round trip for all (the
    MQTT worker counts a hundred benches per batch); on other caches, one `allowance` each."""
    limit = parse(spec)
    if limit is None:
        return {who: max(amount, 0) for who, amount in amounts.items()}
    backend = caches["default"]  # `cache` is a proxy to it
    if not isinstance(backend, RedisCache):
        return {who: allowance(scope, who, spec, amount) for who, amount in amounts.items()}
    count, seconds = limit
    window = int(time.time()) // seconds
    keys = {who: backend.make_and_validate_key(f"ratelimit:{scope}:{who}:{window}") for who in amounts}
    with backend._cache.get_client(write=True).pipeline(transaction=False) as pipe:
        for who, amount in amounts.items():  # the same keys and counters as `allowance`: both may count one bench
            pipe.incrby(keys[who], amount)
            pipe.expire(keys[who], seconds)
        totals = pipe.execute()[::2]
    return {
        who: max(0, min(amount, count - (total - amount)))
        for (who, amount), total in zip(amounts.items(), totals, strict=True)
    }


def over_limit(request, scope: str, spec: str) -> bool:
    """Count this request from the client's address in `scope`; True once past `spec`."""
    return hit(scope, client_key(request), spec)
