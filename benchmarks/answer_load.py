"""Answer-submission load benchmark: simulated demo learners practising against a real server.

For each configuration ({SQLite, PostgreSQL} x {local settings as ``make run`` serves them, production
settings with several uvicorn workers}) the script builds a throw-away database (a SQLite file under
``var/bench/``, or a database created on ``POSTGRES_URL`` and dropped afterwards), migrates it, loads the
demo school, fits the demo framework's learner model, counts the SQL statements of an answer POST and of a
next-item GET in-process (Django's test client on the same database and settings), serves it with uvicorn on
a free loopback port, and runs a bounded asyncio client against it: ``--learners`` demo learners sign in
(login form + CSRF token), each starts a practice session on a competency that has items and then, for
``--duration`` seconds, answers items (right about 70% of the time) with a fresh ``client_id``. The next
item comes with the answer's reply (``next_item``); a learner asks ``GET .../next`` only for the first item
of a session or when a reply carries none (servers before ``next_item``). Each learner waits for one reply
before sending the next request, so at most ``--learners`` requests are in flight.

Only the answer POST is timed for the answer latencies (from its first attempt to its 200); next-item GETs
are counted and timed separately. The server's CPU time (user + system, every process of uvicorn's process
group, read from ``/proc``: Linux only) is read at the start and the end of the timed window. After the run
the server is stopped and the stored ``Answer`` rows are compared with the acknowledged answers: the same
count, the same client ids, no ``(learner, client_id)`` twice.

``--scaling`` serves PostgreSQL (+ Redis when it answers) with production settings on 1, 2 and 4 workers;
``--kill-worker`` does one pass on 2 workers in which one worker process is SIGKILLed mid-run and the client
retries every failed request, an answer always with its own ``client_id`` (as the offline queue does). When
they run several rows, each starts from a copy of one prepared database (``CREATE DATABASE ... TEMPLATE``).

The client only ever connects to 127.0.0.1. It runs on the same machine as the server, so on a small machine
the two compete for the CPU: the figures are what this machine does, not what a server does.

    .venv/bin/python benchmarks/answer_load.py [--duration 60] [--learners 50] [--workers N] [--json]
                                               [--only sqlite|postgres] [--settings local|production]
    .venv/bin/python benchmarks/answer_load.py --scaling [--kill-worker] [--duration 60] [--learners 50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import inspect
import itertools
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
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
SCALING_WORKERS = (1, 2, 4)
SIGN_IN_CONCURRENCY = 5
# The kill-worker pass: when the worker is killed (share of --duration), and the client's retries: the
# offline queue's rule (a network error, a 5xx, 408 or 429 is sent again with the same id), with a bounded
# exponential backoff (0.05 s doubling up to 2 s, at most 12 retries: about 15 s per request).
KILL_AT_SHARE = 0.4
RETRIED_STATUSES = frozenset({408, 429})
RETRY_BASE_S = 0.05
RETRY_CAP_S = 2.0
MAX_RETRIES = 12
# The in-process statement count: answers of one learner, the first few (cold caches) not counted.
PROBE_ANSWERS = 20
PROBE_WARM_UP = 5
PROBE_MIN_NEXT_SAMPLES = 5
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
from django.db.models import Max
from tessera.curriculum.models import Competency, Item
from tessera.practice.models import Answer
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
last = Answer.objects.aggregate(last=Max("pk"))["last"] or 0
print(json.dumps({"learners": learners, "competencies": competencies, "items": items, "last_answer": last}))
"""
# The Answer rows stored after AFTER (a primary key): how many, their client ids, and (learner, client_id)
# pairs stored more than once in the whole table (the unique constraint should make that 0).
STORED = """
import json
from django.db.models import Count
from tessera.practice.models import Answer
ids = [str(c) for c in Answer.objects.filter(pk__gt=AFTER).values_list("client_id", flat=True)]
twice = (
    Answer.objects.values("learner_id", "client_id").annotate(n=Count("pk")).filter(n__gt=1).count()
)
print(json.dumps({"count": len(ids), "client_ids": ids, "duplicates": twice}))
"""
# Statements of the later answers of one learner, through the API in-process (helpers are pasted in front).
PROBE = """
import json, random, statistics, uuid
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tessera.curriculum.models import Item
P = json.loads(PARAMS)
client = Client()
client.force_login(get_user_model().objects.get(username=P["username"]))
response = client.post(
    "/api/practice/sessions", {"competency_id": P["competency"]}, content_type="application/json"
)
if response.status_code != 201:
    raise SystemExit(f"session start answered {response.status_code}: {response.content[:200]!r}")
path = f"/api/practice/sessions/{response.json()['id']}"
rng = random.Random(0)
answers, nexts, item, fresh, last_sql = [], [], None, 0, []
def next_get():
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path + "/next")
    if response.status_code != 200:
        raise SystemExit(f"GET /next answered {response.status_code}: {response.content[:200]!r}")
    return response.json(), len(queries)
for n in range(P["answers"]):
    if item is None:
        item, count = next_get()
        if n >= P["warm_up"]:
            nexts.append(count)
    else:
        fresh += 1
    spec = Item.objects.get(pk=item["id"]).spec()
    client_id = str(uuid.uuid4())
    answer = answer_for(spec, right=rng.random() < P["right"])
    payload = {"item_id": item["id"], "answer": answer, "client_id": client_id}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            path + "/answers", payload, content_type="application/json",
            headers={"Idempotency-Key": client_id},
        )
    if response.status_code != 200:
        raise SystemExit(f"answer answered {response.status_code}: {response.content[:200]!r}")
    if n >= P["warm_up"]:
        answers.append(len(queries))
        last_sql = [query["sql"][:160] for query in queries.captured_queries]
    item = next_item_of(response.json())
while len(nexts) < P["min_next"]:
    nexts.append(next_get()[1])
print(json.dumps({
    "answer_post": statistics.median(answers), "next_get": statistics.median(nexts),
    "answer_samples": answers, "next_samples": nexts, "replies_with_next_item": fresh,
    "last_answer_sql": last_sql,
}))
"""


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


def next_item_of(reply: object) -> dict[str, Any] | None:
    """The next item an answer's reply carries (``next_item``), or None: absent (older servers) or null."""
    if isinstance(reply, dict):
        item = reply.get("next_item")
        if isinstance(item, dict) and "id" in item:
            return item
    return None


def retry_delay(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` (0, 1, ...): doubling from 0.05 s, at most 2 s."""
    return min(RETRY_BASE_S * 2**attempt, RETRY_CAP_S)


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


# --- server CPU from /proc (Linux only) ------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    pgid: int
    ticks: int  # utime + stime: this process's own CPU, in clock ticks
    children_ticks: int  # cutime + cstime: children it has waited for (a dead worker's CPU ends up here)


def parse_proc_stat(text: str) -> ProcStat:
    """One ``/proc/<pid>/stat`` line (proc(5)); the command name may hold spaces and parentheses.

    >>> parse_proc_stat("42 (a (b) c) S 1 42 42 0 -1 4194304 9 0 0 0 150 30 7 3 20 0 1 0 5 0 0")
    ProcStat(pid=42, ppid=1, pgid=42, ticks=180, children_ticks=10)
    """
    head, _, rest = text.rpartition(")")
    fields = rest.split()  # fields[0] is field 3 (state): field n of proc(5) is fields[n - 3]
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return ProcStat(
        pid=int(head.split("(", 1)[0]),
        ppid=int(fields[1]),
        pgid=int(fields[2]),
        ticks=utime + stime,
        children_ticks=cutime + cstime,
    )


def read_proc_stat(pid: int) -> ProcStat | None:
    try:
        return parse_proc_stat(Path(f"/proc/{pid}/stat").read_text())
    except (OSError, ValueError, IndexError):
        return None  # gone (or not Linux)


def process_cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds of one process (plus its waited-for children's with ``children``)."""
    stat = read_proc_stat(pid)
    if stat is None:
        raise ProcessLookupError(f"no /proc/{pid}/stat")
    return (stat.ticks + (stat.children_ticks if children else 0)) / CLOCK_TICKS


def process_group(pgid: int) -> list[ProcStat]:
    """Every process of a process group (uvicorn's master and its workers: the server starts a session)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = read_proc_stat(int(entry.name))
            if stat is not None and stat.pgid == pgid:
                found.append(stat)
    return found


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds of a process group, the dead included: a worker that died and was reaped by the master
    counts in the master's children's time (cutime + cstime), one that is still a zombie in its own."""
    return sum(stat.ticks + stat.children_ticks for stat in process_group(pgid)) / CLOCK_TICKS


def worker_pids(master: int) -> list[int]:
    """uvicorn's worker processes: the master's children started by multiprocessing (spawn)."""
    pids = []
    for stat in process_group(master):
        if stat.ppid != master:
            continue
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{stat.pid}/cmdline").read_bytes()
            if b"spawn_main" in command and b"resource_tracker" not in command:
                pids.append(stat.pid)
    return sorted(pids)


# --- what is measured -----------------------------------------------------------------------------------


@dataclass
class KillReport:
    """The kill-worker pass: which worker was killed when, and when uvicorn's replacement was there."""

    pid: int | None = None
    at_s: float | None = None  # seconds into the timed window
    replacement_pid: int | None = None
    replacement_after_s: float | None = None  # a new worker process appeared
    serving_after_s: float | None = None  # it logged "Application startup complete."
    note: str = ""


@dataclass
class Stats:
    answer_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    answer_ids: set[int] = field(default_factory=set)
    client_ids: set[str] = field(default_factory=set)
    errors: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    finished: float = 0.0
    retries: int = 0
    connection_errors: int = 0
    answers_retried: int = 0  # answers acknowledged only after being sent again
    server_cpu_s: float | None = None
    kill: KillReport | None = None

    @property
    def acknowledged(self) -> int:
        return len(self.answer_ids)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def elapsed(self) -> float:
        return max(self.finished - self.started, 1e-9)


@dataclass(frozen=True)
class Statements:
    """Median SQL statements per request, counted in-process (Django's CaptureQueriesContext)."""

    answer_post: float | None
    next_get: float | None
    answer_samples: tuple[int, ...] = ()
    next_samples: tuple[int, ...] = ()
    replies_with_next_item: int = 0
    last_answer_sql: tuple[str, ...] = ()  # the statements of the last answer POST counted (JSON only)


@dataclass(frozen=True)
class StoredCheck:
    """What the database holds after a pass, compared with what the client was told."""

    count: int
    missing: int = 0  # acknowledged client ids with no stored row
    extra: int = 0  # stored rows the client was never acknowledged
    duplicates: int = 0  # (learner, client_id) pairs stored more than once

    @classmethod
    def compare(cls, stored_ids: Sequence[str], acknowledged: set[str], duplicates: int) -> StoredCheck:
        stored = set(stored_ids)
        return cls(
            count=len(stored_ids),
            missing=len(acknowledged - stored),
            extra=len(stored - acknowledged),
            duplicates=duplicates + len(stored_ids) - len(stored),
        )


@dataclass(frozen=True)
class Row:
    configuration: str
    workers: int
    stats: Stats | None
    stored: int | None
    skipped: str = ""
    learners: int = 0
    statements: Statements | None = None
    check: StoredCheck | None = None
    name: str = ""
    failed: bool = False  # the pass could not run (as opposed to skipped: PostgreSQL not there)

    @property
    def ok(self) -> bool:
        """Ran without errors, and what was acknowledged is exactly what is stored, once."""
        if self.stats is None:
            return not self.failed
        if self.stats.error_count or self.stored != self.stats.acknowledged:
            return False
        check = self.check
        return check is None or not (check.missing or check.extra or check.duplicates)

    @property
    def cpu_ms_per_answer(self) -> float | None:
        s = self.stats
        if s is None or s.server_cpu_s is None or not s.acknowledged:
            return None
        return s.server_cpu_s * 1000 / s.acknowledged


COLUMNS = (
    "configuration",
    "workers",
    "learners",
    "answers acknowledged",
    "answers/s",
    "answer p50 ms",
    "answer p95 ms",
    "answer p99 ms",
    "errors",
    "Answer rows stored",
    "server CPU ms / answer",
    "statements: answer POST / next GET",
    "next-item GETs",
    "retries",
    "connection errors",
)


def _ms(values: Sequence[float], q: float) -> str:
    return f"{percentile(values, q):.0f}" if values else "-"


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _statements(statements: Statements | None) -> str:
    if statements is None:
        return "-"
    answer, next_get = statements.answer_post, statements.next_get
    return f"{'-' if answer is None else f'{answer:g}'} / {'-' if next_get is None else f'{next_get:g}'}"


def _stored(row: Row) -> str:
    s = row.stats
    assert s is not None
    text = "?" if row.stored is None else str(row.stored)
    check = row.check
    if (row.stored is not None and row.stored != s.acknowledged) or (
        check and (check.missing or check.extra)
    ):
        text += " (MISMATCH)"
    if check and check.duplicates:
        text += f" ({check.duplicates} DUPLICATE)"
    return text


def markdown_table(rows: Sequence[Row], *, learners: int, duration: float) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        if row.stats is None:
            blank = " |" * (len(COLUMNS) - 4)
            lines.append(
                f"| {row.configuration} | {row.workers} | {row.learners} | skipped: {row.skipped} |{blank}"
            )
            continue
        s = row.stats
        cells = [
            row.configuration,
            str(row.workers),
            str(row.learners),
            str(s.acknowledged),
            f"{s.acknowledged / s.elapsed:.0f}",
            _ms(s.answer_ms, 50),
            _ms(s.answer_ms, 95),
            _ms(s.answer_ms, 99),
            str(s.error_count),
            _stored(row),
            _number(row.cpu_ms_per_answer),
            _statements(row.statements),
            str(len(s.next_ms)),
            str(s.retries),
            str(s.connection_errors),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"{learners} learners, {duration:g} s per row.")
    for row in rows:
        if row.stats is not None and row.stats.kill is not None:
            lines.append(kill_sentence(row.stats.kill, row))
    return "\n".join(lines)


def kill_sentence(kill: KillReport, row: Row) -> str:
    if kill.pid is None:
        return f"Kill-worker pass: no worker was killed ({kill.note or 'none found'})."
    text = f"Kill-worker pass: worker {kill.pid} SIGKILLed {_number(kill.at_s)} s into the run; "
    if kill.replacement_pid is None:
        text += "no replacement process appeared"
    else:
        text += f"uvicorn started worker {kill.replacement_pid} {_number(kill.replacement_after_s)} s later"
        if kill.serving_after_s is not None:
            text += f", serving {_number(kill.serving_after_s)} s after the kill"
    text += f"{f' ({kill.note})' if kill.note else ''}. "
    s = row.stats
    assert s is not None
    text += (
        f"{s.retries} retries, {s.connection_errors} connection errors, "
        f"{s.answers_retried} answers acknowledged after a retry"
    )
    if row.check is not None:
        text += (
            f"; stored {row.check.count} for {s.acknowledged} acknowledged, {row.check.missing} missing, "
            f"{row.check.extra} never acknowledged, {row.check.duplicates} duplicate (learner, client_id)"
        )
    return text + "."


def row_dict(row: Row) -> dict[str, Any]:
    """One row as JSON-ready data (what ``--json`` prints)."""
    data: dict[str, Any] = {
        "configuration": row.configuration,
        "name": row.name,
        "workers": row.workers,
        "learners": row.learners,
        "skipped": row.skipped or None,
        "ok": row.ok,
    }
    s = row.stats
    if s is None:
        return data
    data.update(
        acknowledged=s.acknowledged,
        elapsed_s=round(s.elapsed, 3),
        answers_per_s=round(s.acknowledged / s.elapsed, 1),
        answer_ms={f"p{q}": _rounded(s.answer_ms, q) for q in (50, 95, 99)},
        next_item_gets=len(s.next_ms),
        next_item_ms={f"p{q}": _rounded(s.next_ms, q) for q in (50, 99)},
        errors=s.error_count,
        error_kinds=dict(s.errors.most_common(5)),
        stored=row.stored,
        stored_check=None if row.check is None else vars(row.check).copy(),
        server_cpu_s=None if s.server_cpu_s is None else round(s.server_cpu_s, 2),
        cpu_ms_per_answer=None if row.cpu_ms_per_answer is None else round(row.cpu_ms_per_answer, 2),
        statements=None if row.statements is None else vars(row.statements).copy(),
        retries=s.retries,
        connection_errors=s.connection_errors,
        answers_retried=s.answers_retried,
        kill=None if s.kill is None else vars(s.kill).copy(),
    )
    return data


def _rounded(values: Sequence[float], q: float) -> float | None:
    return round(percentile(values, q), 1) if values else None


def json_document(rows: Sequence[Row], *, learners: int, duration: float, **extra: Any) -> str:
    return json.dumps(
        {"learners": learners, "duration_s": duration, **extra, "rows": [row_dict(row) for row in rows]},
        indent=2,
        default=list,
    )


# --- the options -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Configuration:
    database: str  # "sqlite" or "postgres"
    settings: str  # "local" or "production"
    worker_count: int = 0  # 0: 1 for local settings (as `make run`), PRODUCTION_WORKERS for production

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
        if self.worker_count:
            return self.worker_count
        return 1 if self.settings == "local" else PRODUCTION_WORKERS

    def uvicorn_options(self) -> tuple[str, ...]:
        return MAKE_RUN_OPTIONS if self.settings == "local" else PRODUCTION_OPTIONS


@dataclass(frozen=True)
class Pass:
    """One row: a configuration served with its workers, optionally with a worker killed mid-run."""

    configuration: Configuration
    kill_worker: bool = False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of practice per row (default 60)")
    parser.add_argument("--learners", type=int, default=50, help="simulated learners (default 50)")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="one database only")
    parser.add_argument("--settings", choices=["local", "production"], help="one kind of settings only")
    parser.add_argument(
        "--workers",
        type=int,
        help=f"uvicorn workers (default: 1 with local settings, {PRODUCTION_WORKERS} with production; "
        "with --kill-worker: the pass's workers, at least 2)",
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON (progress on stderr)")
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="PostgreSQL (+ Redis) with production settings on 1, 2 and 4 workers, instead of the matrix",
    )
    parser.add_argument(
        "--kill-worker",
        action="store_true",
        help="PostgreSQL (+ Redis), production settings, 2 workers, one SIGKILLed mid-run; the client "
        "retries with the same client_id (instead of the matrix; after the scaling rows with --scaling)",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.duration <= 0 or not 1 <= args.learners <= 1000:
        parser.error("--duration must be positive and --learners between 1 and 1000")
    if args.workers is not None and not 1 <= args.workers <= 32:
        parser.error("--workers must be between 1 and 32")
    if args.scaling or args.kill_worker:
        if args.only or args.settings:
            parser.error(
                "--scaling and --kill-worker run PostgreSQL with production settings: no --only/--settings"
            )
        if args.workers is not None and (args.scaling and not args.kill_worker):
            parser.error("--scaling runs 1, 2 and 4 workers: no --workers")
        if args.kill_worker and args.workers is not None and args.workers < 2:
            parser.error("--kill-worker needs at least 2 workers (one survives)")
    return args


def plan(args: argparse.Namespace) -> list[Pass]:
    """The rows to measure, in order; consecutive passes of one database and settings share its set-up."""
    if args.scaling or args.kill_worker:
        passes = []
        if args.scaling:
            passes += [Pass(Configuration("postgres", "production", n)) for n in SCALING_WORKERS]
        if args.kill_worker:
            passes.append(Pass(Configuration("postgres", "production", args.workers or 2), kill_worker=True))
        return passes
    databases = [args.only] if args.only else ["sqlite", "postgres"]
    kinds = [args.settings] if args.settings else ["local", "production"]
    return [
        Pass(Configuration(database, kind, args.workers or 0)) for database in databases for kind in kinds
    ]


# --- the client ----------------------------------------------------------------------------------------

_progress: TextIO = sys.stdout


def say(*parts: object) -> None:
    print(*parts, file=_progress, flush=True)


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


async def _send(
    http: Any, method: str, url: str, stats: Stats, *, retry: bool, what: str, **options: Any
) -> tuple[Any, float] | None:
    """The JSON body of a 200 reply and the milliseconds from the first attempt to it; None after counting
    the failure as an error. With ``retry``, a network error, a timeout, a 5xx, 408 or 429 is sent again (the
    same request: an answer keeps its client_id) after a growing pause, at most ``MAX_RETRIES`` times."""
    import aiohttp

    t0 = time.perf_counter()
    for attempt in itertools.count():
        try:
            async with http.request(method, url, **options) as response:
                status = response.status
                text = await response.text()
            if status == 200:
                if attempt and what == "answer":
                    stats.answers_retried += 1
                return json.loads(text), (time.perf_counter() - t0) * 1000
            failure = f"{what} {status}: {text[:100]}"
            retryable = status in RETRIED_STATUSES or status >= 500
        except aiohttp.ClientError as error:
            failure = f"{what}: {type(error).__name__}: {error}"[:160]
            retryable = True
            if isinstance(error, aiohttp.ClientConnectionError):  # reset, refused, server disconnected
                stats.connection_errors += 1
        except TimeoutError:
            failure, retryable = f"{what}: timed out", True
        if not (retry and retryable and attempt < MAX_RETRIES):
            stats.errors[failure] += 1
            return None
        stats.retries += 1
        await asyncio.sleep(retry_delay(attempt))
    raise AssertionError("unreachable")


async def _practise(
    learner: Learner,
    items: dict[str, dict[str, Any]],
    stats: Stats,
    deadline: float,
    seed: int,
    *,
    retry: bool = False,
) -> None:
    """Answer, take the next item from the reply, repeat until ``deadline``; one request in flight at a time.

    ``GET .../next`` only when there is no item in hand: the session's first, or a reply without
    ``next_item``. An answer that is being retried is finished (acknowledged or given up) even after the
    deadline, as the offline queue would."""
    if learner.session_id is None:
        return
    rng = random.Random(seed)
    headers = {"X-CSRFToken": learner.csrf}
    path = f"/api/practice/sessions/{learner.session_id}"
    item: dict[str, Any] | None = None
    while time.perf_counter() < deadline:
        try:
            if item is None:
                got = await _send(learner.http, "GET", f"{path}/next", stats, retry=retry, what="next")
                if got is None:
                    continue
                item, elapsed_ms = got
                stats.next_ms.append(elapsed_ms)
            assert item is not None
            client_id = str(uuid.uuid4())
            answer = answer_for(items[str(item["id"])], right=rng.random() < RIGHT_SHARE)
            payload = {"item_id": item["id"], "answer": answer, "client_id": client_id}
            item = None
            got = await _send(
                learner.http,
                "POST",
                f"{path}/answers",
                stats,
                retry=retry,
                what="answer",
                json=payload,
                headers={**headers, "Idempotency-Key": client_id},
            )
            if got is not None:
                reply, elapsed_ms = got
                stats.answer_ms.append(elapsed_ms)
                stats.answer_ids.add(int(reply["answer_id"]))
                stats.client_ids.add(client_id)
                item = next_item_of(reply)
        except Exception as error:
            stats.errors[f"{type(error).__name__}: {error}"[:160]] += 1
            item = None
        stats.finished = time.perf_counter()


async def _kill_one_worker(master: int, log_path: Path, stats: Stats, at: float, report: KillReport) -> None:
    """SIGKILL one uvicorn worker ``at`` seconds into the run, then watch for uvicorn's replacement."""
    await asyncio.sleep(max(0.0, stats.started + at - time.perf_counter()))
    before = worker_pids(master)
    if not before:
        report.note = "no worker process found (one worker runs in the master)"
        return
    report.pid = before[0]
    os.kill(report.pid, signal.SIGKILL)
    killed = time.perf_counter()
    report.at_s = killed - stats.started
    give_up = killed + 120
    while time.perf_counter() < give_up:
        await asyncio.sleep(0.05)
        if report.replacement_pid is None:
            new = [pid for pid in worker_pids(master) if pid not in before]
            if new:
                report.replacement_pid = new[0]
                report.replacement_after_s = time.perf_counter() - killed
            continue
        with contextlib.suppress(OSError):
            log = log_path.read_text(errors="replace")
            start = log.find(f"Started server process [{report.replacement_pid}]")
            if start >= 0 and "Application startup complete." in log[start:]:
                report.serving_after_s = time.perf_counter() - killed
                return
    report.note = "gave up watching the replacement after 120 s"


async def load_run(
    base: str,
    usernames: Sequence[str],
    competencies: Sequence[int],
    items: dict[str, dict[str, Any]],
    duration: float,
    *,
    server_pid: int | None = None,
    kill_log: Path | None = None,
) -> Stats:
    """Sign every learner in and start their sessions (untimed), then practise for ``duration`` seconds.

    With ``server_pid`` (the uvicorn master, leader of its process group) the server's CPU time over the
    timed window is read from /proc; with ``kill_log`` (the server's log) one worker is killed mid-run
    and every failed request is retried."""
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
        cpu_before = group_cpu_seconds(server_pid) if server_pid else None
        stats.started = stats.finished = time.perf_counter()
        deadline = stats.started + duration
        killer = None
        if kill_log is not None and server_pid:
            stats.kill = KillReport()
            killer = asyncio.create_task(
                _kill_one_worker(server_pid, kill_log, stats, duration * KILL_AT_SHARE, stats.kill)
            )
        await asyncio.gather(
            *(
                _practise(learner, items, stats, deadline, seed=n, retry=kill_log is not None)
                for n, learner in enumerate(learners)
            )
        )
        if server_pid and cpu_before is not None:
            stats.server_cpu_s = group_cpu_seconds(server_pid) - cpu_before
        if killer is not None:
            await killer
    return stats


# --- the servers ---------------------------------------------------------------------------------------


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


def _postgres_admin(statement: str, *names: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, connect_timeout=5, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(*(sql.Identifier(name) for name in names)))


class Server:
    """A throw-away database and a uvicorn serving it, for one configuration (database and settings).

    On PostgreSQL a pass can run on a copy of the prepared database (:meth:`use_copy`), so the rows of
    ``--scaling`` and ``--kill-worker`` all start from the same state."""

    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        self.var_dir = BENCH_DIR / configuration.name
        self.database_name = f"tessera_bench_{configuration.settings}_{os.getpid()}"
        self.serving_database: str | None = None  # a copy of database_name, for one pass
        self.copies: list[str] = []
        self.port = free_port()
        self.base = require_loopback(f"http://{LOOPBACK}:{self.port}")
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = BENCH_DIR / f"{configuration.name}.log"
        self.created_database = False
        self.secret_key = secrets.token_urlsafe(50)  # one for the set-up and every server of this database

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in CLEARED_VARIABLES}
        env["TESSERA_VAR_DIR"] = str(self.var_dir)
        if self.configuration.database == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{self.var_dir / 'tessera.sqlite3'}"
        else:
            database = self.serving_database or self.database_name
            env["DATABASE_URL"] = urlsplit(POSTGRES_URL)._replace(path=f"/{database}").geturl()
        if self.configuration.uses_redis:
            env["REDIS_URL"] = BENCH_REDIS_URL
        if self.configuration.settings == "production":
            env["DJANGO_SETTINGS_MODULE"] = "tessera.config.settings.production"
            env["SECRET_KEY"] = self.secret_key
            env["SECURE_COOKIES"] = "0"  # plain http on loopback: secure cookies would never come back
            env["SECURE_SSL_REDIRECT"] = "0"  # nor a redirect to https, nor HSTS
            env["SECURE_HSTS_SECONDS"] = "0"
            env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"  # nothing is e-mailed here
            env["ACCESS_LOG"] = "0"  # with --no-access-log: no line per request, as a busy server would run
            env["ALLOWED_HOSTS"] = LOOPBACK
        else:
            env["DJANGO_SETTINGS_MODULE"] = "tessera.config.settings.local"
        return env

    def manage(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        command = [sys.executable, "manage.py", *args]
        env = {**self.environment(), **(extra_env or {})}
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
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
        return self.inspect()

    def inspect(self) -> dict[str, Any]:
        """Learners, competencies with items, item specs, and the newest Answer's primary key."""
        return json.loads(self.manage("shell", "-c", INSPECT).strip().splitlines()[-1])  # type: ignore[no-any-return]

    def count_statements(self, username: str, competency: int) -> Statements:
        """Statements of an answer POST and a next-item GET, in-process with this database and settings."""
        helpers = "from typing import Any\n" + inspect.getsource(answer_for) + inspect.getsource(next_item_of)
        params = {
            "username": username,
            "competency": competency,
            "answers": PROBE_ANSWERS,
            "warm_up": PROBE_WARM_UP,
            "min_next": PROBE_MIN_NEXT_SAMPLES,
            "right": RIGHT_SHARE,
        }
        script = helpers + PROBE.replace("PARAMS", repr(json.dumps(params)))
        hosts = self.environment().get("ALLOWED_HOSTS", "127.0.0.1,localhost")
        out = self.manage("shell", "-c", script, extra_env={"ALLOWED_HOSTS": f"{hosts},testserver"})
        found = json.loads(out.strip().splitlines()[-1])
        return Statements(
            answer_post=found["answer_post"],
            next_get=found["next_get"],
            answer_samples=tuple(found["answer_samples"]),
            next_samples=tuple(found["next_samples"]),
            replies_with_next_item=found["replies_with_next_item"],
            last_answer_sql=tuple(found["last_answer_sql"]),
        )

    def stored_after(self, last_answer: int) -> tuple[list[str], int]:
        """Client ids of the Answer rows stored after ``last_answer``, and duplicated (learner, client_id)."""
        found = json.loads(
            self.manage("shell", "-c", STORED.replace("AFTER", str(int(last_answer))))
            .strip()
            .splitlines()[-1]
        )
        return found["client_ids"], int(found["duplicates"])

    def use_copy(self, suffix: str) -> None:
        """Serve a fresh copy of the prepared PostgreSQL database (dropped by :meth:`drop_copy`)."""
        name = f"{self.database_name}_{suffix}"
        for attempt in range(20):  # the template must have no session left (the set-up's just ended)
            try:
                _postgres_admin("CREATE DATABASE {} TEMPLATE {}", name, self.database_name)
                break
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.5)
        self.copies.append(name)
        self.serving_database = name

    def drop_copy(self) -> None:
        if self.serving_database is not None:
            _postgres_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.serving_database)
            self.copies.remove(self.serving_database)
            self.serving_database = None

    def start(self, workers: int | None = None) -> None:
        command = [
            sys.executable, "-m", "uvicorn", "tessera.config.asgi:application", "--app-dir", "src",
            "--host", LOOPBACK, "--port", str(self.port),
            "--workers", str(workers or self.configuration.workers), *self.configuration.uvicorn_options(),
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
        for name in [*self.copies, *([self.database_name] if self.created_database else [])]:
            with contextlib.suppress(Exception):
                _postgres_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def _run_pass(
    server: Server,
    fixture: dict[str, Any],
    one: Pass,
    *,
    learners: int,
    duration: float,
    statements: Statements | None,
    copy: bool,
) -> Row:
    configuration = one.configuration
    workers = configuration.workers
    label = configuration.label + (", one worker SIGKILLed mid-run" if one.kill_worker else "")
    usernames = fixture["learners"][:learners]
    server.log_path = BENCH_DIR / f"{configuration.name}_w{workers}{'_kill' if one.kill_worker else ''}.log"
    if copy:
        server.use_copy(f"w{workers}{'k' if one.kill_worker else ''}")
    try:
        server.start(workers)
        say(
            f"   {label}: {workers} uvicorn worker(s) on {server.base}; "
            f"{len(usernames)} learners practise for {duration:g} s"
        )
        assert server.process is not None
        stats = asyncio.run(
            load_run(
                server.base,
                usernames,
                fixture["competencies"],
                fixture["items"],
                duration,
                server_pid=server.process.pid,
                kill_log=server.log_path if one.kill_worker else None,
            )
        )
        server.stop()
        stored_ids, duplicates = server.stored_after(int(fixture["last_answer"]))
    finally:
        server.stop()
        if copy:
            server.drop_copy()
    check = StoredCheck.compare(stored_ids, stats.client_ids, duplicates)
    row = Row(
        label, workers, stats, check.count, learners=len(usernames), statements=statements, check=check,
        name=configuration.name + ("_kill" if one.kill_worker else ""),
    )  # fmt: skip
    say(
        f"   {stats.acknowledged} acknowledged ({stats.acknowledged / stats.elapsed:.0f}/s), "
        f"{check.count} stored, {stats.error_count} errors, {stats.retries} retries"
    )
    for error, count in stats.errors.most_common(5):
        say(f"   error x{count}: {error}")
    if stats.kill is not None:
        say("   " + kill_sentence(stats.kill, row))
    if stats.errors or not row.ok or one.kill_worker:
        say(f"   server log: {server.log_path}")
    else:
        server.log_path.unlink(missing_ok=True)
    return row


def run_passes(passes: Sequence[Pass], *, learners: int, duration: float) -> list[Row]:
    """One prepared database for ``passes`` (one database and settings); each pass on a copy when several."""
    configuration = passes[0].configuration
    server = Server(configuration)
    say(f"\n== {configuration.label}: preparing a throw-away database")
    rows = []
    try:
        fixture = server.prepare()
        if len(fixture["learners"]) < learners:
            say(f"   the demo school has {len(fixture['learners'])} learners; using them all")
        # The last demo learner (not among the load's unless it takes them all), before the load's answers.
        statements: Statements | None = None
        try:
            statements = server.count_statements(fixture["learners"][-1], fixture["competencies"][0])
            say(f"   statements (median, in-process): answer POST / next GET = {_statements(statements)}")
        except RuntimeError as error:
            say(f"   statements not counted: {str(error)[-500:]}")
        fixture["last_answer"] = server.inspect()["last_answer"]
        for one in passes:
            try:
                rows.append(
                    _run_pass(
                        server,
                        fixture,
                        one,
                        learners=learners,
                        duration=duration,
                        statements=statements,
                        copy=len(passes) > 1 and configuration.database == "postgres",
                    )
                )
            except RuntimeError as error:
                say(f"   FAILED: {error}")
                label = one.configuration.label
                rows.append(
                    Row(
                        label,
                        one.configuration.workers,
                        None,
                        None,
                        f"failed: {str(error)[:200]}",
                        failed=True,
                    )
                )
    finally:
        server.remove()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    global _progress
    args = parse_args(argv)
    _progress = sys.stderr if args.json else sys.stdout
    passes = plan(args)
    load_before = os.getloadavg()
    postgres_problem = (
        postgres_unreachable() if any(p.configuration.database == "postgres" for p in passes) else ""
    )
    rows: list[Row] = []
    for (database, _), group in itertools.groupby(
        passes, key=lambda p: (p.configuration.database, p.configuration.settings)
    ):
        group_passes = list(group)
        if database == "postgres" and postgres_problem:
            for one in group_passes:
                say(f"\nSKIP {one.configuration.label}: {postgres_problem}")
                rows.append(
                    Row(
                        one.configuration.label,
                        one.configuration.workers,
                        None,
                        None,
                        postgres_problem,
                        learners=args.learners,
                    )
                )
            continue
        rows += run_passes(group_passes, learners=args.learners, duration=args.duration)
    load_after = os.getloadavg()
    if args.json:
        print(
            json_document(
                rows,
                learners=args.learners,
                duration=args.duration,
                cpus=os.cpu_count(),
                load_average_before=[round(x, 2) for x in load_before],
                load_average_after=[round(x, 2) for x in load_after],
            )
        )
    else:
        print()
        print(markdown_table(rows, learners=args.learners, duration=args.duration))
        print(
            f"Load average (1/5/15 min) before {' '.join(f'{x:.1f}' for x in load_before)}, "
            f"after {' '.join(f'{x:.1f}' for x in load_after)}; {os.cpu_count()} CPUs."
        )
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
