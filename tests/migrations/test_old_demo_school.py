"""The demo school stored by the code before the event log (see data/README.md), migrated by today's code:
every family feed entry is still there and still reaches the guardians it reached, goals keep their
competencies, and the learners' mastery figures are unchanged.

The migration runs in a child process on a copy of that SQLite file (its own database, whatever the suite's
database is), as an upgrade in a school would: ``manage.py migrate``, then today's selectors read it."""

from __future__ import annotations

import json
import lzma
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
OLD_DEMO = Path(__file__).parent / "data" / "demo_school_before_event_log.sqlite3.xz"
FEED = (
    "SELECT id, school_id, learner_id, kind, topic, guardian_id, payload, created_at"
    " FROM family_feedevent ORDER BY id"
)
MASTERY = (
    "SELECT learner_id, competency_id, mastery_level, mastered_at FROM practice_learnercompetencystate"
    " ORDER BY learner_id, competency_id"
)

# Run by today's code on the migrated copy: what each current guardian sees of each child's feed.
READ_WITH_TODAYS_CODE = """
import json
from tessera.family.feed.selectors import events_visible_to_guardian
from tessera.personalization.models import GoalCompetency
from tessera.practice.selectors import learner_masteries
from tessera.schools.models import Guardianship

seen = {}
for link in Guardianship.objects.order_by("pk"):
    events = events_visible_to_guardian(
        guardian_id=link.guardian_id, school_id=link.school_id, learner_id=link.learner_id
    )
    seen[f"{link.guardian_id}:{link.learner_id}"] = list(events.values_list("id", flat=True))
print(json.dumps({
    "seen": seen,
    "goal_links": sorted([g, c] for g, c in GoalCompetency.objects.values_list("goal_id", "competency_id")),
}))
"""


def _rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def _manage(database: Path, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "tessera.config.settings.local",
        "TESSERA_VAR_DIR": str(database.parent),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(PROJECT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """The old file's feed as stored, then the same file migrated and read by today's code."""
    database = tmp_path_factory.mktemp("old-demo") / "tessera.sqlite3"
    database.write_bytes(lzma.decompress(OLD_DEMO.read_bytes()))
    before = {
        "feed": _rows(database, FEED),
        "migrated": _rows(database, "SELECT name FROM django_migrations WHERE app = 'events'"),
        "guardianships": _rows(database, "SELECT guardian_id, learner_id FROM schools_guardianship"),
        "goal_links": sorted(
            list(row)
            for row in _rows(database, "SELECT goal_id, competency_id FROM personalization_goal_competencies")
        ),
        "mastery": _rows(database, MASTERY),
    }
    _manage(database, "migrate", "--noinput", "-v", "0")
    after = json.loads(_manage(database, "shell", "-c", READ_WITH_TODAYS_CODE).strip().splitlines()[-1])
    after["feed"] = _rows(database, FEED)
    after["mastery"] = _rows(database, MASTERY)
    return database, before, after


def test_every_feed_entry_survives_the_upgrade_unchanged(upgraded: tuple[Path, dict, dict]) -> None:
    database, before, after = upgraded
    assert before["migrated"] == [], "the stored file predates the event log"
    assert len(before["feed"]) > 100
    assert {row[3] for row in before["feed"]} >= {"competency_mastered", "mastery_lost", "message_received"}
    assert after["feed"] == before["feed"]
    assert _rows(database, "SELECT count(*) FROM django_migrations WHERE app = 'events'") != [(0,)]


def test_every_guardian_still_sees_every_entry_meant_for_them(upgraded: tuple[Path, dict, dict]) -> None:
    _, before, after = upgraded
    for guardian_id, learner_id in before["guardianships"]:
        meant = [row[0] for row in before["feed"] if row[2] == learner_id and row[5] in (None, guardian_id)]
        assert after["seen"][f"{guardian_id}:{learner_id}"] == meant, (guardian_id, learner_id)
    assert sum(len(ids) for ids in after["seen"].values()) >= len(before["feed"])


def test_goals_keep_their_competencies_and_learners_their_mastery(upgraded: tuple[Path, dict, dict]) -> None:
    """(The demo of then had no goal with competencies; tests/test_tenancy.py migrates some.)"""
    _, before, after = upgraded
    assert before["mastery"]
    assert after["goal_links"] == before["goal_links"]
    assert after["mastery"] == before["mastery"]
