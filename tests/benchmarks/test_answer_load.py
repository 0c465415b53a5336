"""The pure parts of benchmarks/answer_load.py: percentiles, the loopback guard, CSRF tokens, answers."""

from __future__ import annotations

import importlib.util
import sys
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
        [answer_load.Row("SQLite", 1, stats, 3), answer_load.Row("PostgreSQL", 2, None, None, "unreachable")],
        learners=2,
        duration=2,
    )
    assert "| SQLite | 1 | 2 | 1 | 10 | 20 | 5 | 5 | 0 | 3 (MISMATCH) |" in table
    assert "skipped: unreachable" in table


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
