"""Production settings: HTTPS-only cookies, HSTS, compressed static files, DEBUG off.

Set ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` (PostgreSQL) in the environment; ``REDIS_URL``
when more than one app server runs.
"""

import os

from tessera.config.settings.base import *  # noqa: F403
from tessera.config.settings.base import ALLOWED_HOSTS, DATABASES, env_bool

DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# Digest e-mails link here (there is no request to take the host from): the first allowed host over HTTPS
# unless TESSERA_BASE_URL says otherwise, never the loopback default of a development machine.
TESSERA_BASE_URL = os.environ.get("TESSERA_BASE_URL") or f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Under ASGI each request runs its synchronous code in a thread of its own, so a persistent connection
    # (CONN_MAX_AGE > 0) is never reused: every request opened a new one and left it open until PostgreSQL
    # refused clients ("too many clients already" after a few seconds of the answer load benchmark). A
    # connection pool per worker process (psycopg_pool, Django >= 5.1) hands connections from request to
    # request instead; DATABASE_POOL=0 goes back to one connection per request. A request holds its connection
    # to the end, sign-ins included (argon2 hashing, 100 MiB and a fraction of a second of CPU each): 50
    # sign-ins at once on 2 busy cores made some wait more than 10 s for one (a 500), with 8 or 16 per
    # worker. 16 per worker keeps 4 workers under PostgreSQL's default 100 clients; wait up to 30 s.
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
