"""Settings for the test suite: fast hashing, in-memory mail, the database from DATABASE_URL."""

from tessera.config.secret_key import load_or_create_secret_key
from tessera.config.settings.base import *  # noqa: F403
from tessera.config.settings.base import SECRET_KEY, VAR_DIR

SECRET_KEY = SECRET_KEY or load_or_create_secret_key(VAR_DIR / "secret_key")

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PRACTICE_FIT_CHECK_SECONDS = 0  # test databases reuse ids after a rollback: always ask which fit is newest
PRACTICE_FIT_ENQUEUE_AGAIN_SECONDS = 0  # and enqueue the fit of a framework without one every time
STATIC_ROOT = None  # tests serve static files from the apps' folders (finders)
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, as in production (WAL, writers queue on a busy timeout), not Django's in-memory default:
    # concurrency tests then see SQLite's real locking. pytest-django adds a suffix per xdist worker.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
