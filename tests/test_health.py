"""`GET /healthz`, what a load balancer and the operators watch: 200 when the platform can serve, 503 when a
dependency it is configured with (database, cache, task queue) is not working."""

import pytest
from django.db import connection

from civiclink.core.mail import deliver_email

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def use_redis(settings, url: str) -> None:
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def test_healthy(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["checks"]["database"]["status"] == "ok"
    assert report["checks"]["database"]["vendor"] == connection.vendor
    assert set(report["checks"]) == {"database"}  # no cache or queue configured under tests
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_unreachable_cache_is_503(client, settings):
    use_redis(settings, UNREACHABLE_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "error"
    assert report["checks"]["database"]["status"] == "ok"
    assert report["checks"]["cache"]["status"] == "error"
    assert "ConnectionError" in report["checks"]["cache"]["error"]


def test_real_redis_is_healthy(client, settings, require_service):
    require_service("Redis", "127.0.0.1", 6379)
    use_redis(settings, "redis://127.0.0.1:6379/0")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == {"status": "ok", "ms": response.json()["checks"]["cache"]["ms"]}


def test_task_queue_depth_is_reported(client, settings):
    settings.TASK_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver_email.enqueue({"subject": "Hi", "body": "", "from_email": None, "to": ["a@example.org"]})

    report = client.get("/healthz").json()

    assert report["status"] == "ok"
    assert report["checks"]["tasks"]["status"] == "ok"
    assert report["checks"]["tasks"]["waiting"] == 1
    assert report["checks"]["tasks"]["oldest_waiting"] is not None


def test_broken_task_queue_is_503(client, settings):
    """The queue's table is gone (say, a migration was not applied): the database answers, the queue does not."""
    from django_tasks_db.models import DBTaskResult

    settings.TASK_BACKEND = "database"
    with connection.cursor() as cursor:  # inside the test's transaction: rolled back afterwards
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(DBTaskResult._meta.db_table)}")

    response = client.get("/healthz")

    assert response.status_code == 503
    report = response.json()
    assert report["checks"]["database"]["status"] == "ok"
    assert report["checks"]["tasks"]["status"] == "error"
