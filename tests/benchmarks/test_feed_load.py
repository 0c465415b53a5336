"""The pure parts of benchmarks/feed_load.py: reading SSE lines, and counting lost and duplicated events."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "feed_load.py"


def _load_script():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("feed_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("feed_load", module)
    spec.loader.exec_module(module)
    return module


feed_load = _load_script()


def test_the_doctests_pass() -> None:
    assert doctest.testmod(feed_load).failed == 0


def test_lost_duplicated_and_leaked_events_are_counted_per_connection() -> None:
    Connection, Delivery = feed_load.Connection, feed_load.Delivery
    first = Connection("a", learner_id=1, last_id=0)
    first.deliveries = [Delivery(1, 1.05, 0.0), Delivery(3, 3.2, 2.5)]  # 3 replayed after a reconnect at 2.5
    second = Connection("b", learner_id=2, last_id=0)
    second.deliveries = [Delivery(2, 2.01, 0.0), Delivery(2, 2.02, 0.0), Delivery(1, 1.1, 0.0)]
    committed = {1: (1, 1.0), 2: (2, 2.0), 3: (1, 2.0), 4: (2, 4.0)}
    outcome = feed_load.compare([first, second], committed)
    assert (outcome.lost, outcome.duplicated, outcome.leaked) == (1, 1, 1)  # 4 lost, 2 twice, 1 not theirs
    assert [round(ms) for ms in outcome.replay_ms] == [1200]
    assert sorted(round(ms) for ms in outcome.live_ms) == [10, 50, 100]
