"""Answer-submission load benchmark: simulated demo learners practising against a real server.

For each configuration ({SQLite, PostgreSQL} x {local settings as ``make run`` serves them, production
settings with several uvicorn workers}) the script builds a throw-away database (a SQLite file under
``var/bench/``, or a database created on ``POSTGRES_URL`` and dropped afterwards), migrates it, loads the
demo school, fits the demo framework's learner model, serves it with uvicorn on a free loopback port, and
runs a bounded asyncio client against it: ``--learners`` demo learners sign in (login form + CSRF token),
each starts a practice session on a competency that has items and then, for ``--duration`` seconds, asks
for the next item and answers it (right about 70% of the time) with a fresh ``client_id``. Each learner
waits for one reply before sending the next request, so at most ``--learners`` requests are in flight.

Only the answer POST is timed for the answer latencies; the next-item GET is timed separately. After the
run the server is stopped and the stored ``Answer`` rows are counted: they must equal the acknowledged
answers. The client only ever connects to 127.0.0.1. It runs on the same machine as the server, so on a
small machine the two compete for the CPU: the figures are what this machine does, not what a server does.

    .venv/bin/python benchmarks/answer_load.py [--duration 60] [--learners 50]
                                               [--only sqlite|postgres] [--settings local|production]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
LOOPBACK = "127.0.0.1"
DEMO_PASSWORD = "tessera-demo"  # noqa: S105 - the published demo password
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# A Redis database of its own, so the benchmark's sessions and cache touch nothing else.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
RIGHT_SHARE = 0.7
PRODUCTION_WORKERS = 2
SIGN_IN_CONCURRENCY = 5
# What `make run` starts (see the Makefile's run target), with WORKERS=1: the client's address is the
# connection's, never taken from X-Forwarded-For by uvicorn.
MAKE_RUN_OPTIONS: tuple[str, ...] = ("--no-proxy-headers",)
# Production: several workers; no access log (one log line per request costs CPU and says nothing here).
PRODUCTION_OPTIONS: tuple[str, ...] = ("--no-proxy-headers", "--no-access-log")
# Environment variables that would change what is measured; each configuration sets its own.
CLEARED_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "PROXY_HANDLES_HTTPS",
    "EMAIL_BACKEND",
    "TRUSTED_PROXIES",
    "DATABASE_CONN_MAX_AGE",
    "TESSERA_VAR_DIR",
    "STATIC_ROOT",
)

INSPECT = """
import json
from tessera.curriculum.models import Competency, Item
from tessera.schools.models import Membership
learners = list(
    Membership.objects.filter(school__slug="demo", role=Membership.Role.LEARNER)
    .order_by("user__username").values_list("user__username", flat=True)
)
competencies = list(
    Competency.objects.filter(framework__school__slug="demo", items__isnull=False)
    .distinct().order_by("pk").values_list("pk", flat=True)
)
items = {item.pk: item.spec() for item in Item.objects.filter(framework__school__slug="demo")}
print(json.dumps({"learners": learners, "competencies": competencies, "items": items}))
"""
COUNT_ANSWERS = "from tessera.practice.models import Answer; print(Answer.objects.count())"


# --- pure parts (tested in tests/benchmarks/) ------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0 < q <= 100) by the nearest-rank method: a value that was measured.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50)
    3.0
    >>> percentile(list(range(1, 101)), 99)
    99
    """
    if not values:
        raise ValueError("no values to take a percentile of")
    if not 0 < q <= 100:
        raise ValueError(f"percentile must be in (0, 100], not {q}")
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


def require_loopback(url: str) -> str:
    """Return ``url`` if it is plain http on 127.0.0.1; raise ValueError for any other host or scheme."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != LOOPBACK or parts.username or parts.password:
        raise ValueError(f"refusing {url!r}: the load benchmark only connects to http://{LOOPBACK}")
    return url


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page (Django's hidden ``csrfmiddlewaretoken`` input)."""
    match = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"\s+name="csrfmiddlewaretoken"', html
    )
    if match is None:
        raise ValueError("no csrfmiddlewaretoken input on the page")
    return match.group(1)


def answer_for(spec: dict[str, Any], *, right: bool) -> object:
    """A right or a wrong answer for an item spec (the shape of ``Item.spec()``)."""
    kind = spec["kind"]
    if kind == "multiple_choice":
        correct = int(spec["answer"])
        return correct if right else (correct + 1) % len(spec["choices"])
    if kind == "numeric":
        correct_number = float(spec["answer"])
        return correct_number if right else correct_number + 1000 + 10 * float(spec.get("tolerance", 0))
    if kind == "short_text":
        return spec["accepted"][0] if right else "not the answer"
    raise ValueError(f"unknown item kind {kind!r}")


@dataclass
class Stats:
    answer_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    answer_ids: set[int] = field(default_factory=set)
    errors: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    finished: float = 0.0

    @property
    def acknowledged(self) -> int:
        return len(self.answer_ids)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


@dataclass(frozen=True)
class Row:
    configuration: str
    workers: int
    stats: Stats | None
    stored: int | None
    skipped: str = ""


def _ms(values: Sequence[float], q: float) -> str:
    return f"{percentile(values, q):.0f}" if values else "-"


def markdown_table(rows: Sequence[Row], *, learners: int, duration: float) -> str:
    head = (
        "| configuration | uvicorn workers | answers acknowledged | answers/s | answer p50 ms "
        "| answer p99 ms | next-item p50 ms | next-item p99 ms | errors | Answer rows stored |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for row in rows:
        if row.stats is None:
            lines.append(
                f"| {row.configuration} | {row.workers} | skipped: {row.skipped} |  |  |  |  |  |  |  |"
            )
            continue
        s = row.stats
        elapsed = max(s.finished - s.started, 1e-9)
        stored = "?" if row.stored is None else str(row.stored)
        if row.stored is not None and row.stored != s.acknowledged:
            stored += " (MISMATCH)"
        lines.append(
            f"| {row.configuration} | {row.workers} | {s.acknowledged} | {s.acknowledged / elapsed:.0f} "
            f"| {_ms(s.answer_ms, 50)} | {_ms(s.answer_ms, 99)} "
            f"| {_ms(s.next_ms, 50)} | {_ms(s.next_ms, 99)} | {s.error_count} | {stored} |"
        )
    return "\n".join(lines) + f"\n\n{learners} learners, {duration:g} s each configuration."


# --- the client ----------------------------------------------------------------------------------------


@dataclass
class Learner:
    http: Any  # aiohttp.ClientSession with this learner's cookies
    csrf: str = ""
    session_id: int | None = None


async def _sign_in(
    learner: Learner, username: str, competency_id: int, stats: Stats, gate: asyncio.Semaphore
) -> None:
    """Sign in through the login form, then start a practice session on ``competency_id``."""
    async with gate:
        await _sign_in_now(learner, username, competency_id, stats)


async def _sign_in_now(learner: Learner, username: str, competency_id: int, stats: Stats) -> None:
    http = learner.http
    try:
        async with http.get("/accounts/login/") as response:
            form_token = csrf_token_from(await response.text())
        form = {"csrfmiddlewaretoken": form_token, "username": username, "password": DEMO_PASSWORD}
        async with http.post("/accounts/login/", data=form, allow_redirects=False) as response:
            if response.status != 302:
                raise RuntimeError(f"sign-in of {username} answered {response.status}")
        learner.csrf = http.cookie_jar.filter_cookies(http._base_url)["csrftoken"].value
        async with http.post(
            "/api/practice/sessions",
            json={"competency_id": competency_id},
            headers={"X-CSRFToken": learner.csrf},
        ) as response:
            if response.status != 201:
                raise RuntimeError(f"session start answered {response.status}: {await response.text()}")
            learner.session_id = int((await response.json())["id"])
    except Exception as error:
        stats.errors[f"setup: {type(error).__name__}: {error}"[:160]] += 1


async def _practise(
    learner: Learner, items: dict[str, dict[str, Any]], stats: Stats, deadline: float, seed: int
) -> None:
    """Next item, answer, repeat until ``deadline``; one request in flight at a time."""
    if learner.session_id is None:
        return
    rng = random.Random(seed)
    http, headers = learner.http, {"X-CSRFToken": learner.csrf}
    path = f"/api/practice/sessions/{learner.session_id}"
    while time.perf_counter() < deadline:
        try:
            t0 = time.perf_counter()
            async with http.get(f"{path}/next") as response:
                body = await response.json(content_type=None)
                status = response.status
            stats.next_ms.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                stats.errors[f"next {status}: {str(body)[:100]}"] += 1
                continue
            answer = answer_for(items[str(body["id"])], right=rng.random() < RIGHT_SHARE)
            payload = {"item_id": body["id"], "answer": answer, "client_id": str(uuid.uuid4())}
            t0 = time.perf_counter()
            async with http.post(f"{path}/answers", json=payload, headers=headers) as response:
                reply = await response.json(content_type=None)
                status = response.status
            elapsed_ms = (time.perf_counter() - t0) * 1000
            if status != 200:
                stats.errors[f"answer {status}: {str(reply)[:100]}"] += 1
                continue
            stats.answer_ms.append(elapsed_ms)
            stats.answer_ids.add(int(reply["answer_id"]))
        except Exception as error:
            stats.errors[f"{type(error).__name__}: {error}"[:160]] += 1
        stats.finished = time.perf_counter()


async def load_run(
    base: str,
    usernames: Sequence[str],
    competencies: Sequence[int],
    items: dict[str, dict[str, Any]],
    duration: float,
) -> Stats:
    """Sign every learner in and start their sessions (untimed), then practise for ``duration`` seconds."""
    import aiohttp

    require_loopback(base)
    stats = Stats()
    timeout = aiohttp.ClientTimeout(total=30)
    async with contextlib.AsyncExitStack() as stack:
        learners = []
        for _ in usernames:
            # One connection and one cookie jar per learner; unsafe=True keeps cookies of an IP address.
            http = aiohttp.ClientSession(
                base,
                cookie_jar=aiohttp.CookieJar(unsafe=True),
                timeout=timeout,
                connector=aiohttp.TCPConnector(limit=1),
            )
            learners.append(Learner(await stack.enter_async_context(http)))
        # Sign-ins are not what is measured: a few at a time, so 50 argon2 hashes at once on a small machine
        # do not hold every database connection of the pool for seconds.
        gate = asyncio.Semaphore(SIGN_IN_CONCURRENCY)
        await asyncio.gather(
            *(
                _sign_in(learner, name, competencies[n % len(competencies)], stats, gate)
                for n, (learner, name) in enumerate(zip(learners, usernames, strict=True))
            )
        )
        stats.started = stats.finished = time.perf_counter()
        deadline = stats.started + duration
        await asyncio.gather(
            *(_practise(learner, items, stats, deadline, seed=n) for n, learner in enumerate(learners))
        )
    return stats


# --- the servers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Configuration:
    database: str  # "sqlite" or "postgres"
    settings: str  # "local" or "production"

    @property
    def name(self) -> str:
        return f"{self.database}_{self.settings}"

    @property
    def uses_redis(self) -> bool:
        """Production on PostgreSQL is the scale-out set-up: with Redis (cache, sessions) when it answers."""
        return self.database == "postgres" and self.settings == "production" and redis_reachable()

    @property
    def label(self) -> str:
        database = "SQLite" if self.database == "sqlite" else "PostgreSQL"
        how = "local settings, as `make run`" if self.settings == "local" else "production settings"
        return f"{database}{' + Redis' if self.uses_redis else ''}, {how}"

    @property
    def workers(self) -> int:
        return 1 if self.settings == "local" else PRODUCTION_WORKERS

    def uvicorn_options(self) -> tuple[str, ...]:
        return MAKE_RUN_OPTIONS if self.settings == "local" else PRODUCTION_OPTIONS


def redis_reachable() -> bool:
    parts = urlsplit(BENCH_REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or LOOPBACK, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def postgres_unreachable() -> str:
    """Why the PostgreSQL server of POSTGRES_URL cannot be used, or "" when it answers."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=5):
            return ""
    except Exception as error:
        text = str(error).strip().splitlines()
        return (
            f"PostgreSQL at {urlsplit(POSTGRES_URL).netloc} is not reachable ({text[0] if text else error!r})"
        )


def _postgres_admin(statement: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, connect_timeout=5, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


class Server:
    """A throw-away database and a uvicorn serving it, for one configuration."""

    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        self.var_dir = BENCH_DIR / configuration.name
        self.database_name = f"tessera_bench_{configuration.settings}_{os.getpid()}"
        self.port = free_port()
        self.base = require_loopback(f"http://{LOOPBACK}:{self.port}")
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = BENCH_DIR / f"{configuration.name}.log"
        self.created_database = False

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in CLEARED_VARIABLES}
        env["TESSERA_VAR_DIR"] = str(self.var_dir)
        if self.configuration.database == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{self.var_dir / 'tessera.sqlite3'}"
        else:
            env["DATABASE_URL"] = urlsplit(POSTGRES_URL)._replace(path=f"/{self.database_name}").geturl()
        if self.configuration.uses_redis:
            env["REDIS_URL"] = BENCH_REDIS_URL
        if self.configuration.settings == "production":
            env["DJANGO_SETTINGS_MODULE"] = "tessera.config.settings.production"
            env["SECRET_KEY"] = secrets.token_urlsafe(50)
            env["SECURE_COOKIES"] = "0"  # plain http on loopback: secure cookies would never come back
            env["SECURE_SSL_REDIRECT"] = "0"  # nor a redirect to https, nor HSTS
            env["SECURE_HSTS_SECONDS"] = "0"
            env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"  # nothing is e-mailed here
            env["ALLOWED_HOSTS"] = LOOPBACK
        else:
            env["DJANGO_SETTINGS_MODULE"] = "tessera.config.settings.local"
        return env

    def manage(self, *args: str) -> str:
        command = [sys.executable, "manage.py", *args]
        done = subprocess.run(
            command, cwd=ROOT, env=self.environment(), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:1])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def prepare(self) -> dict[str, Any]:
        """Database, demo school, fitted model; returns what the client needs (learners, items)."""
        shutil.rmtree(self.var_dir, ignore_errors=True)
        self.var_dir.mkdir(parents=True)
        if self.configuration.database == "postgres":
            _postgres_admin("CREATE DATABASE {}", self.database_name)
            self.created_database = True
        self.manage("migrate", "--noinput", "--verbosity", "0")
        if self.configuration.settings == "production":  # the manifest storage needs collected files
            self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("load_demo_school", "--quiet-logins")
        self.manage("fit_learner_model", "--missing-only")
        fixture: dict[str, Any] = json.loads(self.manage("shell", "-c", INSPECT).strip().splitlines()[-1])
        fixture["answers_before"] = self.answer_count()
        return fixture

    def answer_count(self) -> int:
        return int(self.manage("shell", "-c", COUNT_ANSWERS).strip().splitlines()[-1])

    def start(self) -> None:
        command = [
            sys.executable, "-m", "uvicorn", "tessera.config.asgi:application", "--app-dir", "src",
            "--host", LOOPBACK, "--port", str(self.port), "--workers", str(self.configuration.workers),
            *self.configuration.uvicorn_options(),
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                with socket.create_connection((LOOPBACK, self.port), timeout=1) as sock:
                    sock.sendall(
                        b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    )
                    if sock.recv(16).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"uvicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.var_dir, ignore_errors=True)
        if self.created_database:
            _postgres_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.database_name)


def run_configuration(configuration: Configuration, *, learners: int, duration: float) -> Row:
    server = Server(configuration)
    print(f"\n== {configuration.label}: preparing a throw-away database", flush=True)
    try:
        fixture = server.prepare()
        usernames = fixture["learners"][:learners]
        if len(usernames) < learners:
            print(f"   the demo school has {len(usernames)} learners; using them all")
        server.start()
        print(
            f"   serving on {server.base} with {configuration.workers} uvicorn worker(s); "
            f"{len(usernames)} learners practise for {duration:g} s",
            flush=True,
        )
        stats = asyncio.run(
            load_run(server.base, usernames, fixture["competencies"], fixture["items"], duration)
        )
        server.stop()
        stored = server.answer_count() - int(fixture["answers_before"])
        for error, count in stats.errors.most_common(5):
            print(f"   error x{count}: {error}")
        if stats.errors:
            print(f"   server log: {server.log_path}")
        else:
            server.log_path.unlink(missing_ok=True)
        return Row(configuration.label, configuration.workers, stats, stored)
    finally:
        server.remove()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of practice (default 60)")
    parser.add_argument("--learners", type=int, default=50, help="simulated learners (default 50)")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="one database only")
    parser.add_argument("--settings", choices=["local", "production"], help="one kind of settings only")
    args = parser.parse_args(argv)
    if args.duration <= 0 or not 1 <= args.learners <= 1000:
        parser.error("--duration must be positive and --learners between 1 and 1000")
    databases = [args.only] if args.only else ["sqlite", "postgres"]
    kinds = [args.settings] if args.settings else ["local", "production"]
    rows: list[Row] = []
    postgres_problem = postgres_unreachable() if "postgres" in databases else ""
    for database in databases:
        for kind in kinds:
            configuration = Configuration(database, kind)
            if database == "postgres" and postgres_problem:
                print(f"\nSKIP {configuration.label}: {postgres_problem}")
                rows.append(Row(configuration.label, configuration.workers, None, None, postgres_problem))
                continue
            rows.append(run_configuration(configuration, learners=args.learners, duration=args.duration))
    print()
    print(markdown_table(rows, learners=args.learners, duration=args.duration))
    failed = [
        row
        for row in rows
        if row.stats is not None and (row.stats.error_count or row.stored != row.stats.acknowledged)
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
