from django.conf import settings


def test_tasks_run_immediately_under_tests():
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
