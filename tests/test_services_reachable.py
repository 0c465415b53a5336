"""The backing services Tessera runs on: the database behind /healthz, PostgreSQL and Redis.

The ``postgres`` and ``redis`` tests talk to real servers (``127.0.0.1:5432`` and ``127.0.0.1:6379`` unless
``POSTGRES_URL`` / ``DATABASE_URL`` or ``REDIS_URL`` say otherwise) and skip, saying why, when no server
answers. ``.ci/run`` runs the whole suite a second time with ``DATABASE_URL`` on a throw-away PostgreSQL
database, where ``test_suite_runs_on_the_database_that_database_url_names`` proves it really did.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SRC_DIR = Path(__file__).resolve().parents[1] / "src"


def _reachable(url: str, default_port: int) -> str | None:
    """None when something listens at the URL's host and port, else why not (for the skip message)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return None
    except OSError as error:
        return f"nothing answers at {host}:{port} ({error})"


def _postgres_url() -> str:
    """POSTGRES_URL, else the server DATABASE_URL names (its maintenance database, which always exists)."""
    if os.environ.get("POSTGRES_URL"):
        return os.environ["POSTGRES_URL"]
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        return urlsplit(database_url)._replace(path="/postgres").geturl()
    return DEFAULT_POSTGRES_URL


# ---------------------------------------------------------------------------------------------- /healthz


@pytest.mark.django_db
def test_healthz_reports_the_database_as_reachable(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["vendor"] == connection.vendor


@pytest.mark.django_db
def test_healthz_needs_no_login_and_only_answers_get(client: Client) -> None:
    assert client.get("/healthz").status_code == 200  # anonymous: load balancers do not sign in
    assert client.post("/healthz").status_code == 405


def test_suite_runs_on_the_database_that_database_url_names() -> None:
    """Guards the PostgreSQL run of ``.ci/run``: a mistyped variable must not quietly test SQLite again."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected, f"DATABASE_URL={url!r} but the suite runs on {connection.vendor}"


# ---------------------------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def pg_connection() -> Iterator[object]:
    import psycopg

    url = _postgres_url()
    reason = _reachable(url, 5432)
    if reason:
        pytest.skip(f"PostgreSQL not reachable: {reason}; start it or set POSTGRES_URL")
    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        yield conn


@pytest.mark.postgres
def test_postgres_accepts_connections_and_rolls_back_transactions(pg_connection) -> None:  # type: ignore[no-untyped-def]
    """A supported server version, and a rolled-back write leaves nothing behind."""
    conn = pg_connection
    assert conn.info.server_version >= 140000, f"PostgreSQL {conn.info.server_version} is older than 14"
    table = f"tessera_probe_{uuid.uuid4().hex[:12]}"
    conn.execute(f"CREATE TEMPORARY TABLE {table} (school_id bigint NOT NULL, note text)")
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(f"INSERT INTO {table} VALUES (1, 'rolled back')")  # noqa: S608 - name is ours
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (1,)  # noqa: S608
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)  # noqa: S608
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {table}")


@pytest.mark.postgres
@pytest.mark.django_db
def test_django_talks_to_postgres_with_utc_sessions(client: Client) -> None:
    """Only on the PostgreSQL run: Django's own connection is PostgreSQL, in UTC, and /healthz says so."""
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; .ci/run repeats it with DATABASE_URL on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW TIMEZONE")
        (timezone,) = cursor.fetchone()
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    assert timezone == "UTC"
    assert database.startswith("test_"), "tests must never run on a database pytest-django did not create"
    assert client.get("/healthz").json()["vendor"] == "postgresql"


# ---------------------------------------------------------------------------------------------- Redis


@pytest.fixture
def redis_cache_alias() -> Iterator[str]:
    """Django's own Redis cache backend on a key prefix of this test only (safe beside other workers)."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    reason = _reachable(url, 6379)
    if reason:
        pytest.skip(f"Redis not reachable: {reason}; start it or set REDIS_URL")
    prefix = f"tessera-test-{uuid.uuid4().hex}"
    cache_settings = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        },
    }
    with override_settings(CACHES=cache_settings):
        try:
            yield "redis"
        finally:
            caches["redis"].delete_many(["greeting", "counter", "short-lived", "many-1", "many-2"])
            caches["redis"].close()


@pytest.mark.redis
def test_redis_cache_round_trip_through_django(redis_cache_alias: str) -> None:
    import redis

    cache = caches[redis_cache_alias]
    value = {"school": "Riverside", "learners": [1, 2, 3]}

    cache.set("greeting", value, timeout=60)
    assert cache.get("greeting") == value
    assert cache.add("counter", 10) is True
    assert cache.add("counter", 99) is False  # add never overwrites
    assert cache.incr("counter", 5) == 15
    cache.set_many({"many-1": "a", "many-2": "b"}, timeout=60)
    assert cache.get_many(["many-1", "many-2", "missing"]) == {"many-1": "a", "many-2": "b"}

    # The value lives in the Redis server, not in this process: a separate plain client sees the key.
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    raw = redis.Redis.from_url(url)
    try:
        assert raw.exists(cache.make_key("greeting")) == 1
        assert 0 < raw.ttl(cache.make_key("greeting")) <= 60
    finally:
        raw.close()

    cache.delete("greeting")
    assert cache.get("greeting", default="gone") == "gone"


@pytest.mark.redis
def test_redis_cache_expires_keys(redis_cache_alias: str) -> None:
    import time

    cache = caches[redis_cache_alias]
    cache.set("short-lived", "soon gone", timeout=1)
    assert cache.get("short-lived") == "soon gone"
    deadline = time.monotonic() + 5
    while cache.get("short-lived") is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get("short-lived") is None


@pytest.mark.redis
def test_setting_redis_url_makes_redis_the_default_cache(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The settings wiring: a process started with REDIS_URL caches in that Redis server.

    Run in a separate process so this suite's own settings (and other test workers) stay untouched.
    """
    import redis

    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    reason = _reachable(url, 6379)
    if reason:
        pytest.skip(f"Redis not reachable: {reason}; start it or set REDIS_URL")
    key = f"tessera-test-{uuid.uuid4().hex}"
    script = (
        "import django, sys; django.setup()\n"
        "from django.core.cache import caches\n"
        "cache = caches['default']\n"
        "cache.set(sys.argv[1], 'from another process', timeout=60)\n"
        "print(type(cache).__name__, cache.make_key(sys.argv[1]))\n"
    )
    env = {**os.environ, "REDIS_URL": url, "TESSERA_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "tessera.config.settings.test"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, key], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    backend, stored_key = done.stdout.split()
    assert backend == "RedisCache"
    raw = redis.Redis.from_url(url)
    try:
        assert raw.exists(stored_key) == 1, "the value did not reach the Redis server REDIS_URL names"
    finally:
        raw.delete(stored_key)
        raw.close()
