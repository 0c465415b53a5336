"""Production settings on PostgreSQL: a connection pool per worker, never persistent per-thread connections.

Under ASGI every request runs its synchronous code in a thread of its own, so CONN_MAX_AGE > 0 left one
open connection per request until PostgreSQL refused clients (seen in benchmarks/answer_load.py).
"""

from __future__ import annotations


def test_postgresql_gets_a_pool_and_no_persistent_connections(production, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://tessera@127.0.0.1:5432/tessera")
    monkeypatch.delenv("DATABASE_POOL", raising=False)
    database = production().DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 16, "timeout": 30.0}


def test_the_pool_can_be_turned_off(production, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://tessera@127.0.0.1:5432/tessera")
    monkeypatch.setenv("DATABASE_POOL", "0")
    database = production().DATABASES["default"]
    assert "pool" not in database.get("OPTIONS", {})
    assert database["CONN_MAX_AGE"] == 0


def test_sqlite_has_no_pool(production, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    database = production().DATABASES["default"]
    assert "pool" not in database["OPTIONS"]
