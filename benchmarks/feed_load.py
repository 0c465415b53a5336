"""Live family feed under load: open server-sent event streams, events committed at a steady rate.

With the production settings, several uvicorn workers, a throw-away PostgreSQL database (created on
``POSTGRES_URL`` and dropped afterwards) and Redis (``REDIS_URL``, default ``redis://127.0.0.1:6379/0``)
carrying the notifications between the workers, the script

1. loads the demo school (without its practice history), and adds ``--connections`` guardians, each the
   guardian of one of the demo learners (so each child has many followers, as if every guardian kept
   several phones and tabs open), each with a signed-in session (made directly in the database: argon2
   sign-ins are not what is measured);
2. opens one feed stream per guardian from a bounded loopback asyncio client (aiohttp, at most
   ``CONNECT_CONCURRENCY`` connections being opened at a time), each continuing from the newest event
   id at the start (``Last-Event-ID``), and reads the server processes' RSS before and after;
3. commits ``--rate`` events a second for ``--duration`` seconds from another process, through
   ``feed_event_record`` in a transaction, for random children; the commit time is taken in an
   ``on_commit`` callback registered before the event's own (so before the Redis publish);
4. halfway, drops every connection at once and reconnects each with the ``Last-Event-ID`` of the last
   event it received, while events keep being committed;
5. after the last commit and a few seconds to drain, compares what each connection received with what was
   committed for its child: events lost (committed, never received) and duplicated (received twice), and
   the delivery latency from commit to receipt (live deliveries, and the replays after the reconnect).

The client runs on the same machine as the servers and competes with them for the CPU: the figures are
what this machine does, not what a server does.

    .venv/bin/python benchmarks/feed_load.py [--connections 1000] [--rate 20] [--duration 40]
                                             [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from answer_load import (  # the benchmark next door
    ROOT,
    Configuration,
    Server,
    percentile,
    postgres_unreachable,
    require_loopback,
)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CONNECT_CONCURRENCY = 50
DRAIN_SECONDS = 5.0

SETUP = """
import importlib, json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
SessionStore = importlib.import_module(settings.SESSION_ENGINE).SessionStore
from tessera.family.models import FeedEvent
from tessera.schools.models import Guardianship, Membership, School, User
from tessera.schools.sessions.expiry import session_start
school = School.objects.get(slug="demo")
members = Membership.objects.filter(school=school, role="learner").order_by("user_id")
learners = list(members.values_list("user_id", flat=True))
count = int(COUNT)
User.objects.bulk_create([User(username=f"bench.guardian{n}", first_name="Bench") for n in range(count)])
users = list(User.objects.filter(username__startswith="bench.guardian").order_by("pk"))
Guardianship.objects.bulk_create(
    [Guardianship(school=school, guardian=u, learner_id=learners[n % len(learners)])
     for n, u in enumerate(users)]
)
sessions = []
for n, user in enumerate(users):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session_start(store, user)  # what signing in stamps: without it the session counts as ended
    store.create()
    sessions.append([store.session_key, learners[n % len(learners)]])
cursor = FeedEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
print(json.dumps({"school": school.pk, "learners": learners, "sessions": sessions, "cursor": cursor}))
"""

COMMITTER = """
import random, sys, time
from django.db import transaction
from tessera.family.feed.services import feed_event_record
from tessera.schools.models import School, User
school = School.objects.get(slug="demo")
learners = list(User.objects.filter(pk__in=LEARNERS))
rate, duration = float(RATE), float(DURATION)
rng = random.Random(7)
print("ready", flush=True)
sys.stdin.readline()
start = time.time()
n = 0
while True:
    due = start + n / rate
    if due > start + duration:
        break
    time.sleep(max(0.0, due - time.time()))
    learner = rng.choice(learners)
    stamp = []
    with transaction.atomic():
        transaction.on_commit(lambda: stamp.append(time.time()))  # runs first: right after COMMIT
        event = feed_event_record(
            school=school, learner=learner, kind="competency_mastered",
            payload={"competency": f"Benchmark competency {n}", "answers": 10},
        )
    print(event.pk, learner.pk, repr(stamp[0]), flush=True)
    n += 1
print("done", flush=True)
"""


# --- pure parts -------------------------------------------------------------------------------------------


def sse_lines(buffer: bytes) -> tuple[list[str], bytes]:
    """Split complete lines off a byte buffer (SSE lines end in \\n); the rest stays in the buffer.

    >>> sse_lines(b"id: 4\\ndata: {}\\n\\npartial")
    (['id: 4', 'data: {}', ''], b'partial')
    """
    *complete, rest = buffer.split(b"\n")
    return [line.decode().rstrip("\r") for line in complete], rest


@dataclass
class Delivery:
    event_id: int
    received: float
    opened_at: float  # when the connection that received it opened: live if committed after that


@dataclass
class Connection:
    session_key: str
    learner_id: int
    last_id: int
    deliveries: list[Delivery] = field(default_factory=list)
    opened_at: float = 0.0
    connects: int = 0
    task: asyncio.Task[None] | None = None


@dataclass
class Outcome:
    """What the connections received, compared with what was committed."""

    deliveries: int
    lost: int
    duplicated: int
    leaked: int
    live_ms: list[float]
    replay_ms: list[float]
    storm_ms: list[float] = field(default_factory=list)  # live, committed while everyone reconnected


def compare(
    connections: Sequence[Connection],
    committed: dict[int, tuple[int, float]],
    storm: tuple[float, float] = (0.0, 0.0),
) -> Outcome:
    """``committed`` maps event id to (learner id, commit time); live deliveries of events committed within
    ``storm`` (the forced reconnect of every client) are counted apart.

    >>> c = Connection("k", learner_id=1, last_id=0)
    >>> c.deliveries = [Delivery(10, 1.10, 0.5), Delivery(10, 1.2, 0.5), Delivery(12, 3.0, 2.9)]
    >>> o = compare([c], {10: (1, 1.0), 11: (2, 1.5), 12: (1, 2.0), 13: (1, 2.5)})
    >>> (o.deliveries, o.lost, o.duplicated, o.leaked, [round(x) for x in o.live_ms], o.replay_ms)
    (3, 1, 1, 0, [100], [1000.0])
    """
    lost = duplicated = leaked = deliveries = 0
    live_ms: list[float] = []
    replay_ms: list[float] = []
    storm_ms: list[float] = []
    by_learner: dict[int, set[int]] = {}
    for event_id, (learner_id, _) in committed.items():
        by_learner.setdefault(learner_id, set()).add(event_id)
    for connection in connections:
        expected = by_learner.get(connection.learner_id, set())
        counts = Counter(d.event_id for d in connection.deliveries if d.event_id in committed)
        deliveries += sum(counts.values())
        duplicated += sum(n - 1 for n in counts.values())
        leaked += sum(1 for event_id in counts if event_id not in expected)
        lost += len(expected - set(counts))
        seen: set[int] = set()
        for delivery in connection.deliveries:
            if delivery.event_id not in committed or delivery.event_id in seen:
                continue
            seen.add(delivery.event_id)
            latency = (delivery.received - committed[delivery.event_id][1]) * 1000
            committed_at = committed[delivery.event_id][1]
            if committed_at < delivery.opened_at:
                replay_ms.append(latency)
            elif storm[0] <= committed_at <= storm[1]:
                storm_ms.append(latency)
            else:
                live_ms.append(latency)
    return Outcome(deliveries, lost, duplicated, leaked, live_ms, replay_ms, storm_ms)


# --- server memory ------------------------------------------------------------------------------------


def process_group(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid:
                    pids.append(int(entry.name))
    return pids


def rss_and_threads(pgid: int) -> tuple[int, int, int]:
    """Resident memory (bytes), threads and processes of the server's process group (master + workers)."""
    rss = threads = 0
    pids = process_group(pgid)
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Threads:"):
                    threads += int(line.split()[1])
    return rss, threads, len(pids)


# --- the client ---------------------------------------------------------------------------------------


class FeedClient:
    def __init__(self, base: str, school_id: int, connections: list[Connection]) -> None:
        self.base = require_loopback(base)
        self.school_id = school_id
        self.connections = connections
        self.gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        self.errors: Counter[str] = Counter()
        self.committed_at: dict[int, float] = {}
        self.http: Any = None

    async def _follow(self, connection: Connection, opened: asyncio.Event) -> None:
        import aiohttp

        url = f"{self.base}/family/feed/{self.school_id}/{connection.learner_id}/stream"
        headers = {"Cookie": f"sessionid={connection.session_key}", "Last-Event-ID": str(connection.last_id)}
        async with self.gate:
            try:
                response = await self.http.get(url, headers=headers)
            except aiohttp.ClientError as error:
                self.errors[f"connect: {type(error).__name__}: {error}"[:120]] += 1
                opened.set()
                return
        try:
            if response.status != 200:
                self.errors[f"stream answered {response.status}"] += 1
                return
            connection.connects += 1
            connection.opened_at = time.time()
            buffer, event_id = b"", None
            async for chunk in response.content.iter_any():
                now = time.time()
                lines, buffer = sse_lines(buffer + chunk)
                for line in lines:
                    if line.startswith("retry:"):
                        opened.set()
                    elif line.startswith("id: "):
                        event_id = int(line[4:])
                    elif line == "" and event_id is not None:
                        connection.deliveries.append(Delivery(event_id, now, connection.opened_at))
                        connection.last_id = event_id
                        event_id = None
            self.errors["stream ended by the server"] += 1
        except aiohttp.ClientError as error:
            self.errors[f"read: {type(error).__name__}"] += 1
        finally:
            opened.set()
            response.close()

    async def open_all(self, part: slice = slice(None)) -> None:
        events = []
        for connection in self.connections[part]:
            opened = asyncio.Event()
            events.append(opened.wait())
            connection.task = asyncio.create_task(self._follow(connection, opened))
        await asyncio.gather(*events)

    async def drop_all(self) -> None:
        tasks = [c.task for c in self.connections if c.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_load(
    base: str, fixture: dict[str, Any], server: Server, *, rate: float, duration: float
) -> dict[str, Any]:
    import aiohttp

    connections = [Connection(key, learner, fixture["cursor"]) for key, learner in fixture["sessions"]]
    client = FeedClient(base, fixture["school"], connections)
    assert server.process is not None
    pgid = server.process.pid
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        client.http = http
        # Warm up: a few streams opened and closed, so every worker has imported and started what it needs.
        warm = FeedClient(
            base,
            fixture["school"],
            [Connection(key, child, fixture["cursor"]) for key, child in fixture["sessions"][:20]],
        )
        warm.http = http
        await warm.open_all()
        await warm.drop_all()
        await asyncio.sleep(3)
        rss_before, threads_before, processes = rss_and_threads(pgid)

        # Half the streams, then all: the RSS added by the second half is the marginal cost of a connection
        # (one-time costs, such as a worker's first stream or the Redis listener, fall in the first half).
        half = len(connections) // 2
        started = time.perf_counter()
        await client.open_all(slice(None, half))
        await asyncio.sleep(3)
        rss_half, _, _ = rss_and_threads(pgid)
        await client.open_all(slice(half, None))
        open_seconds = time.perf_counter() - started
        await asyncio.sleep(5)  # settle
        rss_after, threads_after, _ = rss_and_threads(pgid)
        redis_clients = redis_connected_clients()
        open_now = sum(1 for c in connections if c.connects and c.task is not None and not c.task.done())
        print(
            f"   {open_now} streams open after {open_seconds:.1f} s; RSS {rss_before / 2**20:.0f} → "
            f"{rss_after / 2**20:.0f} MiB, threads {threads_before} → {threads_after}",
            flush=True,
        )

        committer = await asyncio.create_subprocess_exec(
            sys.executable, "manage.py", "shell", "-c",
            COMMITTER.replace("LEARNERS", json.dumps(sorted(set(fixture["learners"]))))
            .replace("RATE", repr(rate)).replace("DURATION", repr(duration)),
            cwd=ROOT, env=server.environment(), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert committer.stdout is not None and committer.stdin is not None and committer.stderr is not None
        while (line := await asyncio.wait_for(committer.stdout.readline(), 60)).strip() != b"ready":
            if not line:  # ended before it was ready
                problem = (await committer.stderr.read()).decode()[-3000:]
                raise RuntimeError(f"the committer did not start:\n{problem}")
        committed: dict[int, tuple[int, float]] = {}

        async def read_commits() -> None:
            assert committer.stdout is not None
            async for raw in committer.stdout:
                parts = raw.decode().split()
                if len(parts) == 3:
                    committed[int(parts[0])] = (int(parts[1]), float(parts[2]))

        reader = asyncio.create_task(read_commits())
        committer.stdin.write(b"go\n")
        await committer.stdin.drain()
        await asyncio.sleep(duration / 2)
        print(f"   {len(committed)} events committed; dropping every connection and reconnecting", flush=True)
        dropped_at, storm_start = time.perf_counter(), time.time()
        await client.drop_all()
        await client.open_all()
        reconnect_seconds = time.perf_counter() - dropped_at
        storm = (storm_start, time.time())
        await committer.wait()
        await reader
        await asyncio.sleep(DRAIN_SECONDS)
        await client.drop_all()
    outcome = compare(connections, committed, storm)
    return {
        "connections": len(connections),
        "open": open_now,
        "open_seconds": open_seconds,
        "reconnect_seconds": reconnect_seconds,
        "rss_before": rss_before,
        "rss_half": rss_half,
        "half": half,
        "rss_after": rss_after,
        "threads_before": threads_before,
        "threads_after": threads_after,
        "redis_clients": redis_clients,
        "processes": processes,
        "committed": len(committed),
        "outcome": outcome,
        "errors": client.errors,
    }


# --- the run --------------------------------------------------------------------------------------------


class FeedServer(Server):
    """The answer benchmark's throw-away PostgreSQL server, with Redis and the feed's guardians."""

    def __init__(self, workers: int) -> None:
        super().__init__(Configuration("postgres", "production"))
        self.workers = workers
        self.database_name = f"tessera_bench_feed_{os.getpid()}"
        self.log_path = self.log_path.with_name("feed_load.log")
        self.secret_key = secrets.token_urlsafe(50)  # one for the set-up, the servers and the committer

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env["REDIS_URL"] = REDIS_URL
        env["SECRET_KEY"] = self.secret_key
        return env

    def prepare_feed(self, connections: int) -> dict[str, Any]:
        import shutil

        from answer_load import _postgres_admin

        shutil.rmtree(self.var_dir, ignore_errors=True)
        self.var_dir.mkdir(parents=True)
        _postgres_admin("CREATE DATABASE {}", self.database_name)
        self.created_database = True
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("load_demo_school", "--quiet-logins", "--no-history")
        out = self.manage("shell", "-c", SETUP.replace("COUNT", str(connections)))
        return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def start(self) -> None:
        command = [
            sys.executable, "-m", "uvicorn", "tessera.config.asgi:application", "--app-dir", "src",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers),
            "--no-proxy-headers", "--no-access-log",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self._wait_ready()


def redis_connected_clients() -> int:
    import redis

    return int(redis.Redis.from_url(REDIS_URL).info("clients")["connected_clients"])


def redis_unreachable() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        return ""
    except Exception as error:
        return f"Redis at {REDIS_URL} is not reachable ({error})"


def _ms(values: Sequence[float], q: float) -> str:
    return f"{percentile(values, q):.0f}" if values else "-"


def markdown_table(result: dict[str, Any], *, workers: int, rate: float, duration: float) -> str:
    o: Outcome = result["outcome"]
    per_connection = (result["rss_after"] - result["rss_before"]) / max(result["open"], 1)
    marginal = (result["rss_after"] - result["rss_half"]) / max(result["open"] - result["half"], 1)
    lines = [
        f"{result['connections']} feed connections, {result['committed']} events committed at {rate:g}/s "
        f"for {duration:g} s, every connection dropped and reopened halfway; PostgreSQL, Redis, production "
        f"settings, {workers} uvicorn workers",
        "",
        "| measure | value |",
        "|---|---|",
        f"| streams open at once | {result['open']} of {result['connections']} "
        f"(opened in {result['open_seconds']:.1f} s) |",
        f"| deliveries (event x following connection) | {o.deliveries} |",
        f"| delivery latency, commit → receipt, live: p50 / p99 | {_ms(o.live_ms, 50)} / "
        f"{_ms(o.live_ms, 99)} ms ({len(o.live_ms)} deliveries) |",
        f"| live, committed while every client reconnected: p50 / p99 | {_ms(o.storm_ms, 50)} / "
        f"{_ms(o.storm_ms, 99)} ms ({len(o.storm_ms)} deliveries) |",
        f"| replayed after the forced reconnect: p50 / p99 | {_ms(o.replay_ms, 50)} / "
        f"{_ms(o.replay_ms, 99)} ms ({len(o.replay_ms)} deliveries; all reconnected in "
        f"{result['reconnect_seconds']:.1f} s) |",
        f"| events lost | {o.lost} |",
        f"| events duplicated | {o.duplicated} |",
        f"| events of another child received | {o.leaked} |",
        f"| server RSS, idle → {result['open']} open streams | {result['rss_before'] / 2**20:.0f} → "
        f"{result['rss_after'] / 2**20:.0f} MiB ({result['processes']} processes) |",
        f"| memory per open connection: idle → all open / marginal (half → all open) | "
        f"{per_connection / 1024:.1f} / {marginal / 1024:.1f} KB |",
        f"| server threads, idle → open | {result['threads_before']} → {result['threads_after']} |",
        f"| Redis clients with all streams open (servers and this probe) | {result['redis_clients']} |",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=1000, help="open feed streams (default 1000)")
    parser.add_argument("--rate", type=float, default=20, help="events committed per second (default 20)")
    parser.add_argument("--duration", type=float, default=40, help="seconds of commits (default 40)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    args = parser.parse_args(argv)
    if not 1 <= args.connections <= 5000 or args.rate <= 0 or args.duration <= 0:
        parser.error("--connections must be 1..5000, --rate and --duration positive")
    problem = postgres_unreachable() or redis_unreachable()
    if problem:
        print(f"SKIP: {problem}")
        return 0
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * args.connections + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # inherited by the servers
    server = FeedServer(args.workers)
    print("== preparing a throw-away PostgreSQL database, the demo school and the guardians", flush=True)
    try:
        fixture = server.prepare_feed(args.connections)
        server.start()
        print(f"   serving on {server.base} with {args.workers} uvicorn workers and Redis", flush=True)
        result = asyncio.run(run_load(server.base, fixture, server, rate=args.rate, duration=args.duration))
        for error, count in result["errors"].most_common(5):
            print(f"   note x{count}: {error}")
    finally:
        server.remove()
    print()
    print(markdown_table(result, workers=args.workers, rate=args.rate, duration=args.duration))
    outcome: Outcome = result["outcome"]
    return 1 if outcome.lost or outcome.duplicated or outcome.leaked else 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
