"""Comity settings, read from the environment (see docs/configuration.md)."""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from comity.config.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_optional,
    env_path,
    env_str,
)
from comity.core import languages

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("COMITY_DATA_DIR", Path.cwd() / "var")


def _secret_key() -> str:
    configured = env_optional("SECRET_KEY")
    if configured:
        return configured
    # No key configured: generate one into the data dir so that sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = _secret_key()
if len(SECRET_KEY) < 50:
    raise ConfigError("SECRET_KEY must be at least 50 characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind TLS in production: secure cookies, HSTS and a redirect to HTTPS. Loopback hosts are
# never redirected (comity.core.middleware), so the same defaults serve http://127.0.0.1 and
# browsers accept secure cookies there. COMITY_SECURE=false turns all of it off.
SECURE = env_bool("COMITY_SECURE", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
COMITY_HTTPS_REDIRECT = SECURE
SECURE_SSL_REDIRECT = False  # done by comity.core.middleware.HttpsRedirectMiddleware instead
SILENCED_SYSTEM_CHECKS = ["security.W008"]  # ... which is why Django's own check is silenced
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("COMITY_SESSION_SECONDS", 8 * 3600)
# Django's database sessions, read with SQL written once (comity/accounts/sessions.py).
SESSION_ENGINE = "comity.accounts.sessions"

INSTALLED_APPS = [
    # The admin site that only node administrators may enter (comity/accounts/adminsite.py).
    "comity.accounts.adminsite.ComityAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs page, served from its own static files (no CDN)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "comity.core",
    "comity.accounts",
    "comity.audit",
    "comity.directory",
    "comity.treaties",
    "comity.exchange",
    "comity.cooperation",
    "comity.documents",
    "comity.consultation",
    "comity.records",
    "comity.assets",
    "comity.stats",
    "comity.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "comity.core.middleware.HttpsRedirectMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "comity.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Records who made each change in the history tables (directory and treaties).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "comity.config.urls"
WSGI_APPLICATION = "comity.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comity.web.context_processors.comity",
            ],
            # {% fixed_url %} in every template (comity/core/templatetags/comity_urls.py).
            "builtins": ["comity.core.templatetags.comity_urls"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'comity.sqlite3'}"),
        conn_max_age=env_int("COMITY_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
    # half-way; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            # A register of a million persons: its name index stays in memory while in use.
            " PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;"
        ),
    }
    # The statistics' covering indexes include columns that only PostgreSQL stores in the
    # index; SQLite builds the same index on its keys, which is what the queries need there.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "comity.accounts.backends.UserBackend",
]

# Login throttling: lock a username + address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("COMITY_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("COMITY_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Roles that must sign in with a second factor (TOTP). Empty = nobody is forced.
COMITY_OTP_REQUIRED_ROLES = env_list(
    "COMITY_OTP_REQUIRED_ROLES", ["officer", "supervisor", "coordinator", "node_admin", "reviewer"]
)
OTP_TOTP_ISSUER = env_str("COMITY_OTP_ISSUER", "Comity")

# The languages come from comity/core/languages.py (docs/i18n.md). The interface offers the
# translated ones; COMITY_INCOMPLETE_LANGUAGES=true also offers the others, in English text
# with their own direction.
LANGUAGE_CODE = languages.FALLBACK
COMITY_INCOMPLETE_LANGUAGES = env_bool("COMITY_INCOMPLETE_LANGUAGES", default=False)
LANGUAGES = languages.django_languages(include_incomplete=COMITY_INCOMPLETE_LANGUAGES)
LANGUAGES_BIDI = languages.bidi_codes()
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Number formats Django's own locale files get wrong (Persian separators).
FORMAT_MODULE_PATH = ["comity.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No manifest: pages render before (or without) collectstatic, which a fresh
    # `comity runserver` or gunicorn needs; vendored files carry their version in the path.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve files straight from the app folders when collectstatic has not run (runserver, tests).
WHITENOISE_USE_FINDERS = True
# ... so an empty STATIC_ROOT is expected until collectstatic runs.
warnings.filterwarnings("ignore", message="No directory at: ")
WHITENOISE_AUTOREFRESH = DEBUG

# Attachments live outside the web root and are only served through an access-checked view.
COMITY_ATTACHMENT_DIR = env_path("COMITY_ATTACHMENT_DIR", DATA_DIR / "attachments")
COMITY_ATTACHMENT_MAX_BYTES = env_int("COMITY_ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Where users reach this node; links in e-mails start with it.
COMITY_BASE_URL = env_str("COMITY_BASE_URL", "http://127.0.0.1:8000")
# Days before an asset order expires at which both sides are reminded (docs/assets.md).
COMITY_ASSET_EXPIRY_LEAD_DAYS = [
    int(days) for days in env_list("COMITY_ASSET_EXPIRY_LEAD_DAYS", ["30", "14", "3"])
]
# How the statistics are computed (docs/stats.md, "Engines"): "memory" keeps the facts as
# columns in each process (about 81 MB per million requests); "sql" asks the database.
COMITY_STATS_ENGINE = env_str("COMITY_STATS_ENGINE", "memory")
if COMITY_STATS_ENGINE not in ("memory", "sql"):
    raise ImproperlyConfigured('COMITY_STATS_ENGINE must be "memory" or "sql"')

# The name this node goes by in exchange envelopes.
COMITY_NODE_ID = env_str("COMITY_NODE_ID", "hub")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "comity@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("COMITY_LOG_LEVEL", "WARNING")},
}
