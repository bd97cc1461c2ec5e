"""Memorial's one settings module, driven by environment variables (see README, Configuration).

With no variables at all the service runs on the embedded defaults: SQLite, Huey on SQLite, a
private media directory and development signing keys, all under ``MEMORIAL_DATA_DIR``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from memorial.env import (
    env_bool,
    env_int,
    env_list,
    env_optional,
    env_path,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("MEMORIAL_DATA_DIR", BASE_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The configured key, or one made once and kept (mode 600) in the data directory."""
    configured = env_optional("MEMORIAL_SECRET_KEY")
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("MEMORIAL_DEBUG", False)
ALLOWED_HOSTS = env_list("MEMORIAL_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MEMORIAL_CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = "Memorial"
SITE_URL = env_str("MEMORIAL_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "guardian",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huey.contrib.djhuey",
    "memorial",
    "provenance",
    "synthesis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "memorial.urls"
WSGI_APPLICATION = "memorial.wsgi.application"
ASGI_APPLICATION = "memorial.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_optional("DATABASE_URL")
if _database_url:
    try:
        _default_db = dj_database_url.parse(_database_url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {exc}") from exc
else:
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "memorial.sqlite3"),
        "TEST": {"NAME": str(DATA_DIR / "test-memorial.sqlite3")},
    }
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two processes that both read then write (the
    # ledger's append) queue up instead of failing with "database is locked".
    _default_db["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "memorial.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

EMAIL_BACKEND = env_str("MEMORIAL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("MEMORIAL_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MEMORIAL_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("MEMORIAL_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("MEMORIAL_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MEMORIAL_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("MEMORIAL_DEFAULT_FROM_EMAIL", "Memorial <noreply@localhost>")

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env_path("MEMORIAL_STATIC_ROOT", DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = str(env_path("MEMORIAL_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    # Private media: never served by a static URL; every byte goes through a permission check.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MEMORIAL_MAX_FORM_BYTES", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Task queue -----------------------------------------------------------------------------
_redis_url = env_optional("MEMORIAL_REDIS_URL")
HUEY = {
    "name": "memorial",
    # Explicit, never derived from DEBUG (Huey reads it once at import; see FACTS.md).
    "immediate": env_bool("MEMORIAL_HUEY_IMMEDIATE", False),
    "results": True,
    "store_none": False,
    "utc": True,
    "consumer": {
        "workers": env_int("MEMORIAL_HUEY_WORKERS", 1, minimum=1),
        "worker_type": "thread",
    },
}
if _redis_url:
    HUEY |= {"huey_class": "huey.RedisHuey", "connection": {"url": _redis_url}}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")}

# --- Ledger ---------------------------------------------------------------------------------
LEDGER_ORIGIN = env_str("MEMORIAL_LEDGER_ORIGIN", "memorial.local/ledger")
LEDGER_SIGNING_KEY = env_optional("MEMORIAL_LEDGER_SIGNING_KEY")  # base64 Ed25519 seed
LEDGER_KEY_DIR = env_path("MEMORIAL_LEDGER_KEY_DIR", DATA_DIR / "keys")
LEDGER_CHECKPOINT_DIR = env_path("MEMORIAL_LEDGER_CHECKPOINT_DIR", DATA_DIR / "checkpoints")
LEDGER_CHECKPOINT_MINUTES = env_int("MEMORIAL_LEDGER_CHECKPOINT_MINUTES", 10, minimum=1)
if LEDGER_CHECKPOINT_MINUTES > 59:  # a crontab minute step
    raise ImproperlyConfigured("MEMORIAL_LEDGER_CHECKPOINT_MINUTES must be between 1 and 59.")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Memorial API",
    "DESCRIPTION": "Consent-gated memorial videos, their provenance and the audit ledger.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MEMORIAL_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MEMORIAL_LOG_LEVEL", "INFO")},
}

# --- media ----------------------------------------------------------------------------------
# Upload limits, read at call time by memorial.uploads (so tests can override them).
MEMORIAL_MAX_PHOTO_BYTES = env_int("MEMORIAL_MAX_PHOTO_BYTES", 25_000_000, minimum=1)
MEMORIAL_MAX_PHOTO_PIXELS = env_int("MEMORIAL_MAX_PHOTO_PIXELS", 40_000_000, minimum=1)
MEMORIAL_MIN_PHOTO_SIDE = env_int("MEMORIAL_MIN_PHOTO_SIDE", 256, minimum=1)
MEMORIAL_MAX_AUDIO_BYTES = env_int("MEMORIAL_MAX_AUDIO_BYTES", 50_000_000, minimum=1)
MEMORIAL_MAX_AUDIO_SECONDS = env_int("MEMORIAL_MAX_AUDIO_SECONDS", 600, minimum=1)
MEMORIAL_MIN_AUDIO_SECONDS = env_int("MEMORIAL_MIN_AUDIO_SECONDS", 1, minimum=0)
MEMORIAL_MAX_TEXT_BYTES = env_int("MEMORIAL_MAX_TEXT_BYTES", 200_000, minimum=1)
MEMORIAL_MAX_EVIDENCE_BYTES = env_int("MEMORIAL_MAX_EVIDENCE_BYTES", 20_000_000, minimum=1)
MEMORIAL_MAX_EVIDENCE_PAGES = env_int("MEMORIAL_MAX_EVIDENCE_PAGES", 50, minimum=1)
# The upload messages' own catalogue, kept apart so that its zh-hans file merges without conflict.
LOCALE_PATHS = [*LOCALE_PATHS, BASE_DIR / "memorial" / "uploads" / "locale"]
