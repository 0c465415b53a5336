"""Throw-away PostgreSQL databases for .ci/run (uses psycopg from the project's own dependencies).

    python .ci/postgres.py probe          exit 0 when the server answers, else 1 and the reason on stderr
    python .ci/postgres.py create NAME    create database NAME, print a DATABASE_URL for it
    python .ci/postgres.py drop NAME      drop NAME and the test_NAME* databases pytest-django may have left

The server is the one ``POSTGRES_URL`` names (default ``postgresql://postgres@127.0.0.1:5432/postgres``,
a maintenance database the user may connect to).
"""

from __future__ import annotations

import os
import re
import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def _connect() -> psycopg.Connection:
    return psycopg.connect(ADMIN_URL, connect_timeout=5, autocommit=True)


def probe() -> int:
    try:
        with _connect() as conn:
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as error:
        print(str(error).strip().splitlines()[0] if str(error).strip() else repr(error), file=sys.stderr)
        return 1
    parts = urlsplit(ADMIN_URL)
    print(f"PostgreSQL {version[0] if version else '?'} at {parts.hostname}:{parts.port or 5432}")
    return 0


def create(name: str) -> int:
    with _connect() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl())
    return 0


def drop(name: str) -> int:
    with _connect() as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
            [name, f"test\\_{name}%"],
        ).fetchall()
        for (database,) in rows:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
            print(f"dropped database {database}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["probe"] and len(argv) == 1:
        return probe()
    if len(argv) == 2 and argv[0] in {"create", "drop"}:
        if not SAFE_NAME.match(argv[1]):
            print(f"refusing database name {argv[1]!r}", file=sys.stderr)
            return 2
        return create(argv[1]) if argv[0] == "create" else drop(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
