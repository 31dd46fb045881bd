"""CivicLink settings, read from environment variables (see `.env.example`).

Development needs none of them: the database is SQLite in `var/`, the secret key is generated there and e-mail
goes to the console. `CIVICLINK_ENV=production` turns on the secure defaults and requires a real secret key.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from civiclink.core.i18n import CATALOGUE_DIRS

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("CIVICLINK_BASE_DIR", Path.cwd()))
VAR_DIR = Path(os.environ.get("CIVICLINK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("CIVICLINK_ENV", "development")
IS_PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", not IS_PRODUCTION)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when CIVICLINK_ENV=production.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Project apps first so that their templates override those of the libraries.
    "civiclink.core",
    "civiclink.accounts",
    "civiclink.places",
    "civiclink.pages",
    "civiclink.governance",
    "civiclink.moderation",
    "civiclink.participation",
    "civiclink.benches",
    "civiclink.portal",
    "civiclink.newsletter",
    "civiclink.contact",
    "civiclink.search",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",  # Wagtail's search index uses PostgreSQL's indexes there; inert on SQLite
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civiclink.core.middleware.LocaleMiddleware",  # Django's, keeping 404s of the API and back office
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "civiclink.core.middleware.AdminContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "civiclink.accounts.middleware.BackOfficeAccessMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "civiclink.urls"
WSGI_APPLICATION = "civiclink.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "civiclink.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'civiclink.sqlite3'}"
if DATABASE_URL.startswith("sqlite") and not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker write to the same file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "civiclink.core.cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from the cache, written to both: a signed-in page costs no query for its session.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "civiclink"}}

# --- Background tasks -----------------------------------------------------------------------------------------
TASK_BACKEND = os.environ.get("CIVICLINK_TASKS", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASK_BACKEND]
    }
}

# --- Accounts -------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_FORMS = {"signup": "civiclink.accounts.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Anonymous answers to a campaign's citizens' questionnaire per client address (hashed, never stored with the
# answer): households share addresses, so the limit is generous; the one-answer defence is the code or token.
GOVERNANCE_SURVEY_RATE_LIMIT = os.environ.get("CIVICLINK_SURVEY_RATE_LIMIT", "30/h")
# Writes by anonymous visitors (per address) and by accounts younger than MODERATION_NEW_ACCOUNT_HOURS.
MODERATION_ANONYMOUS_RATE_LIMIT = os.environ.get("CIVICLINK_ANONYMOUS_RATE_LIMIT", "20/h")
MODERATION_NEW_ACCOUNT_RATE_LIMIT = os.environ.get("CIVICLINK_NEW_ACCOUNT_RATE_LIMIT", "30/h")
MODERATION_NEW_ACCOUNT_HOURS = 24
MODERATION_REPORT_THRESHOLD = 3  # reports that hide a contribution until a moderator reviews it
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- Smart benches (see docs/benches-protocol.md) ---------------------------------------------------------------
# The MQTT broker the ingestion worker and the simulator connect to, with the worker's own account.
BENCH_MQTT_URL = os.environ.get("CIVICLINK_MQTT_URL", "mqtt://civiclink-ingest:civiclink-ingest@127.0.0.1:1883")
# The broker's address as benches reach it (mqtt://host:port, or mqtts:// for TLS), given to them with their
# credential; empty: the host and port of BENCH_MQTT_URL.
BENCH_MQTT_PUBLIC_URL = os.environ.get("CIVICLINK_MQTT_PUBLIC_URL", "")
# Messages per bench (both transports together); refused beyond it with the reason "rate_limited", to be resent.
BENCH_RATE_LIMIT = os.environ.get("CIVICLINK_BENCH_RATE_LIMIT", "3000/h")
BENCH_MAX_MESSAGE_BYTES = int(os.environ.get("CIVICLINK_BENCH_MAX_MESSAGE_BYTES", 4096))
BENCH_MAX_BATCH = int(os.environ.get("CIVICLINK_BENCH_MAX_BATCH", 500))  # messages per HTTP request or MQTT payload
BENCH_CLAIM_MINUTES = 30
# Where `benches mosquitto-config` writes the broker's files; when set, adding, rotating or revoking a bench
# rewrites them and signals the broker named by the PID file to reload.
BENCH_MOSQUITTO_DIR = os.environ.get("CIVICLINK_MOSQUITTO_DIR", "")
BENCH_MOSQUITTO_PID_FILE = os.environ.get("CIVICLINK_MOSQUITTO_PID_FILE", "")
BENCH_KIOSK_COOLDOWN_SECONDS = int(os.environ.get("CIVICLINK_KIOSK_COOLDOWN_SECONDS", 15))
BENCH_HOURLY_ANSWER_CAP = int(os.environ.get("CIVICLINK_BENCH_HOURLY_ANSWER_CAP", 60))  # above it: kept, flagged
BENCH_LOW_BATTERY = 20  # per cent
BENCH_MISSED_INTERVALS = 3  # reporting intervals without a message before a bench counts as offline

# --- Contact form ----------------------------------------------------------------------------------------------
CONTACT_RATE_LIMIT = os.environ.get("CIVICLINK_CONTACT_RATE_LIMIT", "10/h")  # per client address and per e-mail
CONTACT_RETENTION_DAYS = int(os.environ.get("CIVICLINK_CONTACT_RETENTION_DAYS", 365))  # closed messages
CONTACT_STAFF_EMAILS = env_list("CIVICLINK_CONTACT_STAFF_EMAILS")  # when a topic has nobody; else superusers

# Searches per anonymous client address (hashed, never stored); cached answers do not count.
SEARCH_RATE_LIMIT = os.environ.get("CIVICLINK_SEARCH_RATE_LIMIT", "120/m")

MFA_TOTP_ISSUER = "CivicLink"
# Staff must use two-factor authentication; a development machine may relax it for the demo.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", IS_PRODUCTION)

# --- E-mail ---------------------------------------------------------------------------------------------------


def email_mailer(url: str) -> dict:
    """The mailer for EMAIL_URL: console://, file:///path, smtp://user:pass@host:port?tls=1, smtps://..., memory://."""
    parsed = urlparse(url)
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "memory": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(f"EMAIL_URL scheme must be one of {', '.join(backends)}.")
    mailer = {"BACKEND": backends[parsed.scheme]}
    if parsed.scheme == "file":
        mailer["OPTIONS"] = {"file_path": unquote(parsed.path) or str(VAR_DIR / "mail")}
    if parsed.scheme.startswith("smtp"):
        mailer["OPTIONS"] = {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "username": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "use_ssl": parsed.scheme == "smtps",
            "use_tls": options.get("tls", "0") in {"1", "true"},
            "timeout": int(options.get("timeout", "30")),
        }
    return mailer


# Every message goes through a background task ("default"); the task hands it to the "delivery" mailer.
MAILERS = {
    "default": {"BACKEND": "civiclink.core.mail.TaskEmailBackend"},
    "delivery": email_mailer(os.environ.get("EMAIL_URL", "console://")),
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CivicLink <noreply@civiclink.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages ------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "bs"
LANGUAGES = [
    ("bs", "Bosanski"),
    ("hr", "Hrvatski"),
    ("sr", "Српски"),
    ("sr-latn", "Srpski"),
    ("mk", "Македонски"),
    ("sq", "Shqip"),
    ("en", "English"),
]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Sarajevo"
LOCALE_PATHS = CATALOGUE_DIRS
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "CivicLink"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False

# --- Security -------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# The Wagtail admin relies on inline styles and scripts; it is only for signed-in staff.
ADMIN_CSP = SECURE_CSP | {
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "frame-ancestors": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
}
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if IS_PRODUCTION else "WARNING")},
    # One line per task start and end drowns the log; failed tasks are still logged as errors.
    "loggers": {"django.tasks": {"level": "WARNING"}},
}

CIVICLINK_PAGE_SIZE = 24
CIVICLINK_BENCH_FLOOR = env_bool("CIVICLINK_BENCH_FLOOR", False)
