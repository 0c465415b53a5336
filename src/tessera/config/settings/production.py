"""Production settings: HTTPS-only cookies, HTTPS redirect and HSTS, compressed static files, DEBUG off.

Set ``SECRET_KEY``, a mail backend that delivers (``EMAIL_BACKEND`` and its ``EMAIL_*`` settings),
``ALLOWED_HOSTS`` and ``DATABASE_URL`` (PostgreSQL) in the environment; ``REDIS_URL`` when more than one app
server runs; ``PROXY_HANDLES_HTTPS=1`` when a proxy in front redirects to HTTPS and sends HSTS itself.
Without ``SECRET_KEY`` or with a mail backend that writes messages out (the console, a file, memory)
the server refuses to start: reset links and invitation codes would end up in its log.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from tessera.config.settings.base import *  # noqa: F403
from tessera.config.settings.base import ALLOWED_HOSTS, DATABASES, EMAIL_BACKEND, SECRET_KEY, env_bool

# Backends that keep or print what they "send" instead of delivering it.
NON_DELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: production settings need a long random SECRET_KEY in the environment "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
SMTP_HINT = (
    "e.g. EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, "
    "EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS"
)
if "EMAIL_BACKEND" not in os.environ:
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is not set: production needs a mail backend that delivers mail "
        f"({SMTP_HINT}); the default console backend would write password-reset links and guardian "
        "invitation codes to the server's log."
    )
if EMAIL_BACKEND in NON_DELIVERING_EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} does not deliver mail: it would keep password-reset links and "
        "guardian invitation codes in the server's log, a file or memory. "
        f"Set a backend that delivers ({SMTP_HINT})."
    )

DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# Redirect to HTTPS and send HSTS here, unless a proxy in front does both (PROXY_HANDLES_HTTPS=1);
# SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS override either.
PROXY_HANDLES_HTTPS = env_bool("PROXY_HANDLES_HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not PROXY_HANDLES_HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if PROXY_HANDLES_HTTPS else "31536000"))
# Digest e-mails link here (there is no request to take the host from): the first allowed host over HTTPS
# unless TESSERA_BASE_URL says otherwise, never the loopback default of a development machine.
TESSERA_BASE_URL = os.environ.get("TESSERA_BASE_URL") or f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A connection pool per worker process (psycopg_pool, Django >= 5.1) hands connections from request to
    # request; DATABASE_POOL=0 goes back to plain connections. (With ASGI_THREAD_PER_REQUEST=1 each request
    # runs its synchronous code in a thread of its own, and a persistent connection, CONN_MAX_AGE > 0, was
    # never reused: every request opened one and left it open until PostgreSQL refused clients.) A request
    # holds its connection to the end, sign-ins included (argon2 hashing, 100 MiB and a fraction of a second
    # of CPU each): 50 sign-ins at once on 2 busy cores made some wait more than 10 s for one (a 500), with
    # 8 or 16 per worker. 16 per worker keeps 4 workers under PostgreSQL's default 100 clients; wait up to
    # 30 s.
    if env_bool("DATABASE_POOL", True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "16")),  # per worker process
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "30")),  # seconds to wait for one
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
