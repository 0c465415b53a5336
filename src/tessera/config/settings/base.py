"""Settings shared by every environment, all read from environment variables with safe defaults.

Variables (see the README for the full table): ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``,
``DEBUG``, ``ALLOWED_HOSTS``, ``TESSERA_VAR_DIR``, ``EMAIL_URL``-free console mail locally.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tessera.config.private_files import private_directory, private_file

SRC_DIR = Path(__file__).resolve().parents[2]
PROJECT_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TESSERA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" count as yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)
# Local and test settings generate one into var/ when unset; production refuses to start without it.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Addresses (or networks, e.g. 10.0.0.0/8) of the reverse proxies in front of the app servers. Only a
# request from one of them has its X-Forwarded-For read (for sign-in throttling); by default none is
# trusted and the header is ignored, since anyone can write it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: “{_proxy}” is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)."
        ) from None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "tessera.schools",
    "tessera.events",
    "tessera.curriculum",
    "tessera.practice",
    "tessera.personalization",
    "tessera.differentiation",
    "tessera.individualization",
    "tessera.family",
    "tessera.web",
    "tessera.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tessera.api.UnreadableBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tessera.schools.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tessera.schools.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "tessera.config.sync_chain.SynchronousChainMiddleware",  # last: the whole chain runs synchronously
]

ROOT_URLCONF = "tessera.config.urls"
ASGI_APPLICATION = "tessera.config.asgi.application"
AUTH_USER_MODEL = "schools.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# A thread per request for synchronous code, as Django's ASGI handler does; off: one per worker (see
# tessera/config/asgi.py). Database connections are kept (CONN_MAX_AGE) only with one thread per worker.
ASGI_THREAD_PER_REQUEST = env_bool("ASGI_THREAD_PER_REQUEST", False)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tessera.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if ASGI_THREAD_PER_REQUEST else "600")),
    )
}
private_directory(VAR_DIR)  # the SQLite file, the secret key and uploads: the server's account only
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        private_file(Path(DATABASES["default"]["NAME"]))  # 0600 before SQLite creates it world-readable
    # WAL lets readers work while one writer commits; a busy timeout makes writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from the shared cache, written through to the database: one query less per request,
    # and a sign-out reaches every worker (the cache is shared, unlike the per-process memory cache).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes, with tessera.schools.sign_in.throttle): an account is locked after
# LOGIN_FAILURE_LIMIT wrong passwords from any address, and an address after LOGIN_ADDRESS_FAILURE_LIMIT
# wrong passwords for any accounts (password spraying), each for LOGIN_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "tessera.schools.sign_in.throttle.SignInThrottle"
AXES_CLIENT_IP_CALLABLE = "tessera.schools.sign_in.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# A signed-in session ends after this many minutes without a request (staff: anyone but a learner in a
# school; everyone else: learners and guardians), and in any case this many hours after signing in
# (tessera.schools.sessions.expiry); the cookie lasts no longer than that.
SESSION_IDLE_MINUTES_STAFF = float(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "30"))
SESSION_IDLE_MINUTES = float(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_MAX_HOURS = float(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = int(SESSION_MAX_HOURS * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# One catalogue for the whole project (not one per app): the apps share many strings, and one file is
# one place for a translator to work through. Compiled .mo files are committed (CI may lack gettext).
LOCALE_PATHS = [SRC_DIR / "locale"]  # src/tessera/locale
USE_TZ = True

STATIC_URL = "/static/"
# Evaluations' attachments: outside the static files and any public URL, served only through a permission
# check (individualization); the server's account alone reads them.
PRIVATE_FILES_DIR = Path(os.environ.get("PRIVATE_FILES_DIR", VAR_DIR / "private"))
private_directory(PRIVATE_FILES_DIR)
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
# Images and documents of a school's items and resources (curriculum.files).
CURRICULUM_FILE_MAX_BYTES = int(os.environ.get("CURRICULUM_FILE_MAX_MB", "5")) * 1024 * 1024
# A stored file without its row (its upload's transaction rolled back) is removed by the worker after this.
ORPHAN_FILE_MINUTES = int(os.environ.get("ORPHAN_FILE_MINUTES", "60"))
# A learner reads their own support plan from this age (younger: their guardians and the team).
PLAN_VISIBLE_TO_LEARNER_FROM_AGE = int(os.environ.get("PLAN_VISIBLE_TO_LEARNER_FROM_AGE", "14"))

STATIC_ROOT: Path | None = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Locally mail goes to the console (reset links and invitation codes then appear in the server's output):
# production refuses that (settings/production.py). SMTP is configured with Django's usual names.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tessera <no-reply@tessera.local>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)

# Guardian invitation codes are single use and expire after this many days.
GUARDIAN_INVITATION_DAYS = int(os.environ.get("GUARDIAN_INVITATION_DAYS", "14"))
# Learners younger than this have no self-service e-mail sign-up or password reset by e-mail.
SELF_SERVICE_MIN_AGE = 13
# How often a process asks which learner-model fit is newest (a refit is used within this many seconds).
PRACTICE_FIT_CHECK_SECONDS = int(os.environ.get("PRACTICE_FIT_CHECK_SECONDS", "30"))
# A framework without a fit has its fit enqueued at most this often per process (the task fits only if the
# framework still has none, so another process's enqueue costs the worker one query).
PRACTICE_FIT_ENQUEUE_AGAIN_SECONDS = int(os.environ.get("PRACTICE_FIT_ENQUEUE_AGAIN_SECONDS", "600"))
# How many frameworks' fitted learner models a process keeps loaded (the newest fit of each; LRU).
PRACTICE_MODEL_CACHE_SIZE = int(os.environ.get("PRACTICE_MODEL_CACHE_SIZE", "32"))
# A practice session nobody answered in for this many minutes is ended by the worker (its evidence then
# counts, e.g. towards a support plan's objective).
PRACTICE_IDLE_MINUTES = int(os.environ.get("PRACTICE_IDLE_MINUTES", "30"))
# Item banks (items, links, prerequisites) kept in memory per process, most recently used frameworks.
CURRICULUM_BANK_CACHE_SIZE = int(os.environ.get("CURRICULUM_BANK_CACHE_SIZE", "32"))

# The family feed: a ``: keep-alive`` comment (and a check that the guardianship still holds) every this
# many seconds on an idle stream; without a valid Last-Event-ID a stream starts with the recent window.
FAMILY_FEED_HEARTBEAT_SECONDS = float(os.environ.get("FEED_HEARTBEAT_SECONDS", "15"))
FAMILY_FEED_RECENT_EVENTS = 50
FAMILY_FEED_RECENT_DAYS = 7

# Links in e-mails (digests) start with this address: there is no request to take the host from.
TESSERA_BASE_URL = os.environ.get("TESSERA_BASE_URL", "http://127.0.0.1:8000")
# How often `manage.py run_worker` (started by `make run`) checks whose weekly digest is due.
DIGEST_CHECK_SECONDS = float(os.environ.get("DIGEST_CHECK_SECONDS", "300"))

# Every record goes through one console handler whose filter takes password-reset tokens out of paths;
# uvicorn's access log (which `make run` keeps on) is routed through it too. ACCESS_LOG=0 turns it off
# (uvicorn's --no-access-log alone does not: this configuration gives its logger a handler again).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secret_paths": {"()": "tessera.config.log_redaction.SecretPathFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["secret_paths"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "uvicorn.access": {
            "handlers": ["console"],
            "level": "INFO" if env_bool("ACCESS_LOG", True) else "WARNING",
            "propagate": False,
        }
    },
}
