"""`GET /healthz`: is the platform able to serve? Checks the database, and the cache and task queue when configured."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _check_cache() -> dict:
    key = "civiclink:healthz"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")
    return {}


def _check_tasks() -> dict:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {"waiting": waiting.count(), "oldest_waiting": oldest.isoformat() if oldest else None}


def checks() -> dict:
    result = {"database": _check_database}
    if settings.REDIS_URL:
        result["cache"] = _check_cache
    if settings.TASK_BACKEND == "database":
        result["tasks"] = _check_tasks
    return result


@never_cache
def healthz(request):
    report, healthy = {}, True
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            report[name] = {"status": "ok", **check()}
        except Exception as error:  # any failure of a dependency is what this endpoint reports
            healthy = False
            report[name] = {"status": "error", "error": f"{type(error).__name__}: {error}"}
        report[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse({"status": "ok" if healthy else "error", "checks": report}, status=200 if healthy else 503)
