"""The pure parts of benchmarks/answer_load.py: percentiles, the loopback guard, CSRF tokens, answers, the
options and the rows they plan, the table and the JSON, retries, the stored-rows check, the /proc CPU
reader."""

from __future__ import annotations

import doctest
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "answer_load.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("answer_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("answer_load", module)
    spec.loader.exec_module(module)
    return module


answer_load = _load_script()


def test_percentile_is_a_measured_value_by_nearest_rank():
    assert answer_load.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert answer_load.percentile(list(range(1, 101)), 99) == 99
    assert answer_load.percentile(list(range(1, 101)), 100) == 100
    assert answer_load.percentile([7.0], 99) == 7.0
    assert answer_load.percentile([1.0, 2.0], 1) == 1.0


@pytest.mark.parametrize("q", [0, -1, 101])
def test_percentile_refuses_a_rank_outside_0_100(q):
    with pytest.raises(ValueError, match="percentile must be in"):
        answer_load.percentile([1.0], q)


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        answer_load.percentile([], 50)


def test_loopback_urls_are_accepted():
    assert answer_load.require_loopback("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert answer_load.require_loopback("http://127.0.0.1:51234/api/") == "http://127.0.0.1:51234/api/"


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000",
        "http://127.0.0.2:8000",
        "http://10.0.0.5:8000",
        "http://example.org",
        "https://127.0.0.1:8000",
        "http://user:pw@127.0.0.1:8000",
        "http://127.0.0.1.example.org:8000",
        "ftp://127.0.0.1",
    ],
)
def test_any_other_host_or_scheme_is_refused(url):
    with pytest.raises(ValueError, match="only connects to"):
        answer_load.require_loopback(url)


def test_csrf_token_is_read_from_the_login_form():
    html = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123XYZ"></form>'
    assert answer_load.csrf_token_from(html) == "abc123XYZ"
    with pytest.raises(ValueError, match="no csrfmiddlewaretoken"):
        answer_load.csrf_token_from("<form></form>")


def test_answers_are_right_or_wrong_for_each_kind_of_item():
    from tessera.curriculum.answers import answer_check

    specs = [
        {"kind": "multiple_choice", "choices": ["a", "b", "c"], "answer": 2},
        {"kind": "numeric", "answer": 0.75, "tolerance": 0.01},
        {"kind": "short_text", "accepted": ["x = 4", "4"]},
    ]
    for spec in specs:
        assert answer_check(spec, answer_load.answer_for(spec, right=True)) is True
        assert answer_check(spec, answer_load.answer_for(spec, right=False)) is False


def test_the_table_flags_a_mismatch_between_acknowledged_and_stored():
    stats = answer_load.Stats(answer_ms=[10.0, 20.0], next_ms=[5.0], answer_ids={1, 2}, started=0, finished=2)
    table = answer_load.markdown_table(
        [
            answer_load.Row("SQLite", 1, stats, 3, learners=2),
            answer_load.Row("PostgreSQL", 2, None, None, "unreachable", learners=2),
        ],
        learners=2,
        duration=2,
    )
    assert "| SQLite | 1 | 2 | 2 | 1 | 10 | 20 | 20 | 0 | 3 (MISMATCH) | - | - | 1 | 0 | 0 |" in table
    assert "| PostgreSQL | 2 | 2 | skipped: unreachable |" in table
    header, rule = table.splitlines()[:2]
    assert header.count("|") == rule.count("|") == len(answer_load.COLUMNS) + 1
    assert not answer_load.Row("SQLite", 1, stats, 3).ok
    assert answer_load.Row("SQLite", 1, stats, 2).ok
    assert answer_load.Row("PostgreSQL", 2, None, None, "unreachable").ok  # skipped is not failed


def _stats(**values):
    base = {"answer_ms": [float(n) for n in range(1, 101)], "next_ms": [3.0], "started": 0, "finished": 10}
    return answer_load.Stats(**{**base, **values})


def test_the_table_has_cpu_statements_retries_and_the_kill_pass():
    stats = _stats(
        answer_ids=set(range(100)), client_ids={str(n) for n in range(100)}, server_cpu_s=0.25, retries=7,
        connection_errors=3,
    )  # fmt: skip
    stats.kill = answer_load.KillReport(
        pid=123, at_s=4.0, replacement_pid=456, replacement_after_s=0.6, serving_after_s=3.2
    )
    row = answer_load.Row(
        "PostgreSQL + Redis, production settings, one worker SIGKILLed mid-run", 2, stats, 100, learners=50,
        statements=answer_load.Statements(14, 9.5), check=answer_load.StoredCheck(100),
    )  # fmt: skip
    table = answer_load.markdown_table([row], learners=50, duration=10)
    assert "| 2 | 50 | 100 | 10 | 50 | 95 | 99 | 0 | 100 | 2.5 | 14 / 9.5 | 1 | 7 | 3 |" in table
    assert "worker 123 SIGKILLed 4.0 s into the run" in table
    assert "uvicorn started worker 456 0.6 s later, serving 3.2 s after the kill" in table
    assert "7 retries, 3 connection errors, 0 answers acknowledged after a retry" in table
    assert "0 duplicate (learner, client_id)" in table
    assert row.ok and row.cpu_ms_per_answer == pytest.approx(2.5)


def test_the_json_document_carries_every_column():
    stats = _stats(answer_ids={1, 2}, client_ids={"a", "b"}, server_cpu_s=0.01)
    stats.errors["answer 500: boom"] += 1
    rows = [
        answer_load.Row(
            "SQLite", 1, stats, 2, learners=2, check=answer_load.StoredCheck(2), name="sqlite_local"
        ),
        answer_load.Row("PostgreSQL", 2, None, None, "unreachable", learners=2),
    ]
    document = json.loads(answer_load.json_document(rows, learners=2, duration=10, cpus=2))
    assert (document["learners"], document["duration_s"], document["cpus"]) == (2, 10, 2)
    first, skipped = document["rows"]
    assert first["name"] == "sqlite_local" and first["ok"] is False  # an error
    assert (first["acknowledged"], first["answers_per_s"], first["errors"]) == (2, 0.2, 1)
    assert first["answer_ms"] == {"p50": 50.0, "p95": 95.0, "p99": 99.0}
    assert first["next_item_gets"] == 1 and first["next_item_ms"]["p50"] == 3.0
    assert first["error_kinds"] == {"answer 500: boom": 1}
    assert first["cpu_ms_per_answer"] == 5.0
    assert first["stored_check"] == {"count": 2, "missing": 0, "extra": 0, "duplicates": 0}
    assert first["statements"] is None and first["kill"] is None
    assert skipped["skipped"] == "unreachable" and "acknowledged" not in skipped


def test_stored_rows_are_compared_with_the_acknowledged_client_ids():
    check = answer_load.StoredCheck.compare(["a", "b", "b", "x"], {"a", "b", "c"}, duplicates=0)
    assert (check.count, check.missing, check.extra, check.duplicates) == (4, 1, 1, 1)
    assert answer_load.StoredCheck.compare(["a"], {"a"}, duplicates=2).duplicates == 2
    stats = _stats(answer_ids={1, 2}, client_ids={"a", "b"})
    mismatched = answer_load.StoredCheck.compare(["a", "c"], {"a", "b"}, duplicates=0)
    assert not answer_load.Row("x", 1, stats, 2, check=mismatched).ok
    assert "2 (MISMATCH)" in answer_load.markdown_table(
        [answer_load.Row("x", 1, stats, 2, check=mismatched)], learners=1, duration=1
    )


def test_the_next_item_is_taken_from_the_reply_when_there_is_one():
    item = {"id": 7, "kind": "numeric"}
    assert answer_load.next_item_of({"answer_id": 1, "next_item": item}) == item
    assert answer_load.next_item_of({"answer_id": 1, "next_item": None}) is None  # none left: GET /next
    assert answer_load.next_item_of({"answer_id": 1}) is None  # today's server
    assert answer_load.next_item_of({"next_item": {"kind": "numeric"}}) is None
    assert answer_load.next_item_of(["not", "a", "dict"]) is None


def test_retries_back_off_and_are_bounded():
    delays = [answer_load.retry_delay(n) for n in range(answer_load.MAX_RETRIES)]
    assert delays[:3] == [0.05, 0.1, 0.2]
    assert delays == sorted(delays) and max(delays) == answer_load.RETRY_CAP_S
    assert sum(delays) < 20


def test_the_options_and_the_rows_they_plan():
    plan = answer_load.plan(answer_load.parse_args([]))
    assert [(p.configuration.name, p.configuration.workers, p.kill_worker) for p in plan] == [
        ("sqlite_local", 1, False),
        ("sqlite_production", 2, False),
        ("postgres_local", 1, False),
        ("postgres_production", 2, False),
    ]
    args = answer_load.parse_args(
        ["--only", "postgres", "--settings", "production", "--workers", "4", "--json"]
    )
    assert args.json and (args.duration, args.learners) == (60, 50)
    assert [(p.configuration.name, p.configuration.workers) for p in answer_load.plan(args)] == [
        ("postgres_production", 4)
    ]
    scaling = answer_load.plan(answer_load.parse_args(["--scaling", "--kill-worker", "--duration", "8"]))
    assert [(p.configuration.name, p.configuration.workers, p.kill_worker) for p in scaling] == [
        ("postgres_production", 1, False),
        ("postgres_production", 2, False),
        ("postgres_production", 4, False),
        ("postgres_production", 2, True),
    ]
    kill = answer_load.plan(answer_load.parse_args(["--kill-worker", "--workers", "3"]))
    assert [(p.configuration.workers, p.kill_worker) for p in kill] == [(3, True)]


@pytest.mark.parametrize(
    "argv",
    [
        ["--duration", "0"],
        ["--learners", "0"],
        ["--workers", "0"],
        ["--scaling", "--only", "sqlite"],
        ["--kill-worker", "--settings", "local"],
        ["--scaling", "--workers", "2"],
        ["--kill-worker", "--workers", "1"],
        ["--settings", "staging"],
    ],
)
def test_contradictory_options_are_refused(argv, capsys):
    with pytest.raises(SystemExit):
        answer_load.parse_args(argv)


def test_the_doctests_pass():
    assert doctest.testmod(answer_load).failed == 0


def test_a_proc_stat_line_is_read_whatever_the_command_name():
    stat = answer_load.parse_proc_stat("7 (uvicorn) worker) R 1 7 7 0 -1 0 0 0 0 0 250 50 100 20 20 0 3 0 9")
    assert (stat.pid, stat.ppid, stat.pgid, stat.ticks, stat.children_ticks) == (7, 1, 7, 300, 120)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_the_cpu_of_this_process_is_read_from_proc():
    sum(n * n for n in range(200_000))  # some CPU time of our own
    own = answer_load.process_cpu_seconds(os.getpid())
    assert own > 0
    assert own == pytest.approx(time.process_time(), abs=0.5)  # same clock, read two ways (10 ms ticks)
    assert answer_load.group_cpu_seconds(os.getpgid(0)) >= own  # the group holds this process
    assert answer_load.worker_pids(os.getpid()) == []  # no uvicorn workers here
    with pytest.raises(ProcessLookupError):
        answer_load.process_cpu_seconds(2**22 + 1)  # above Linux's pid_max


def test_the_production_configuration_passes_what_production_settings_require(monkeypatch, tmp_path):
    """The benchmark's server environment starts production settings (secret key, mail, plain http)."""
    import importlib

    server = answer_load.Server(answer_load.Configuration("sqlite", "production"))
    server.var_dir = tmp_path / "var"
    environment = server.environment()
    for name in answer_load.CLEARED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    base = importlib.import_module("tessera.config.settings.base")
    try:
        importlib.reload(base)
        sys.modules.pop("tessera.config.settings.production", None)
        production = importlib.import_module("tessera.config.settings.production")
        assert production.SECURE_SSL_REDIRECT is False  # plain http on loopback
        assert production.SECURE_HSTS_SECONDS == 0
    finally:
        monkeypatch.undo()
        importlib.reload(base)
        sys.modules.pop("tessera.config.settings.production", None)
