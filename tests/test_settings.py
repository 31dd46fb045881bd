"""Configuration from the environment: e-mail URLs, and production refusing to start without a secret key."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from civiclink.settings import VAR_DIR, email_mailer

SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILE = "django.core.mail.backends.filebased.EmailBackend"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("memory://", {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        (
            "file:///var/spool/civiclink-mail",
            {"BACKEND": FILE, "OPTIONS": {"file_path": "/var/spool/civiclink-mail"}},
        ),
        ("file://", {"BACKEND": FILE, "OPTIONS": {"file_path": str(VAR_DIR / "mail")}}),
        (
            "smtp://u:p@host:587?tls=1",
            {
                "BACKEND": SMTP,
                "OPTIONS": {
                    "host": "host",
                    "port": 587,
                    "username": "u",
                    "password": "p",
                    "use_ssl": False,
                    "use_tls": True,
                    "timeout": 30,
                },
            },
        ),
        (
            "smtps://noreply%40civiclink.ba:p%2Fss%3Aw@mail.example.org?timeout=10",
            {
                "BACKEND": SMTP,
                "OPTIONS": {
                    "host": "mail.example.org",
                    "port": 465,
                    "username": "noreply@civiclink.ba",
                    "password": "p/ss:w",
                    "use_ssl": True,
                    "use_tls": False,
                    "timeout": 10,
                },
            },
        ),
        (
            "smtp://mail.example.org",
            {
                "BACKEND": SMTP,
                "OPTIONS": {
                    "host": "mail.example.org",
                    "port": 25,
                    "username": "",
                    "password": "",
                    "use_ssl": False,
                    "use_tls": False,
                    "timeout": 30,
                },
            },
        ),
    ],
)
def test_email_url(url, expected):
    assert email_mailer(url) == expected


@pytest.mark.parametrize("url", ["sendmail://localhost", "mailto:x@example.org", "", "localhost:25"])
def test_unknown_email_url_scheme_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme must be one of"):
        email_mailer(url)


def load_settings(tmp_path, **environment) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly this configuration (and no DJANGO_SETTINGS_MODULE)."""
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env |= {"CIVICLINK_VAR_DIR": str(tmp_path / "var"), **environment}
    code = (
        "import json, civiclink.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "('DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'STAFF_MFA_REQUIRED', "
        "'ALLOWED_HOSTS', 'SECRET_KEY')}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = load_settings(tmp_path, CIVICLINK_ENV="production")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when CIVICLINK_ENV=production." in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()  # no key was made up


def test_production_settings_are_secure(tmp_path):
    result = load_settings(
        tmp_path, CIVICLINK_ENV="production", SECRET_KEY="s" * 50, ALLOWED_HOSTS="civiclink.example.org"
    )

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "STAFF_MFA_REQUIRED": True,
        "ALLOWED_HOSTS": ["civiclink.example.org"],
        "SECRET_KEY": "s" * 50,
    }


def test_development_makes_and_keeps_its_own_secret_key(tmp_path):
    first = json.loads(load_settings(tmp_path).stdout)
    second = json.loads(load_settings(tmp_path).stdout)
    assert first["DEBUG"] is True
    assert len(first["SECRET_KEY"]) >= 50 and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_the_system_checks_pass_on_this_database():
    """`civiclink migrate` runs the checks first; on PostgreSQL they need django.contrib.postgres for Wagtail."""
    from django.core.management import call_command

    call_command("check", fail_level="ERROR", databases=["default"])
