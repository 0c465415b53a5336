"""The statement budget of a learner's loop: every statement a request runs, counted as the database sees
them (authentication and transaction statements included), with ``make run``'s settings, on a learner's
later answers: at most 10 for an answer (its reply carries the next item) and 6 for a next item; the same
on SQLite and PostgreSQL (the suite's PostgreSQL stage runs this file too). Counts, not times: the times
are measured by ``benchmarks/answer_load.py``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tessera.curriculum.models import Item
from tests.curriculum.documents import small_framework

ANSWER_BUDGET = 10
NEXT_ITEM_BUDGET = 6
MAKE_RUN = {"PRACTICE_FIT_CHECK_SECONDS": 30}  # the test settings ask for the newest fit on every request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("settings_as_make_run")]


@pytest.fixture
def settings_as_make_run() -> Iterator[None]:
    with override_settings(**MAKE_RUN):
        yield


@contextmanager
def statements_counted() -> Iterator[list[str]]:
    """Every statement sent to the database. Django logs the transaction statements with the queries (its
    BEGIN on PostgreSQL, SQLite's BEGIN IMMEDIATE, COMMIT, ROLLBACK), so the captured list is the count."""
    statements: list[str] = []
    with CaptureQueriesContext(connection) as captured:
        yield statements
    statements.extend(query["sql"] for query in captured.captured_queries)


def answer_to(item_id: int, *, right: bool) -> object:
    spec = Item.objects.get(pk=item_id).spec()
    if spec["kind"] == "multiple_choice":
        choice = int(spec["answer"])  # type: ignore[call-overload]
        return choice if right else (choice + 1) % len(spec["choices"])  # type: ignore[arg-type]
    if spec["kind"] == "numeric":
        return float(spec["answer"]) + (0 if right else 1000)  # type: ignore[arg-type]
    return spec["accepted"][0] if right else "not this"  # type: ignore[index]


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def loop(client_for: Any, world: Any) -> tuple[Client, str, dict[str, Any]]:
    """A learner with a session on Addition and a few answers already (their rows exist, the model and
    the item bank are loaded): what every later answer of a lesson looks like."""
    framework = small_framework(world.a.school)
    client = client_for(world.a.learner)
    started = post(
        client, "/api/practice/sessions", {"competency_id": framework.competencies.get(code="add").pk}
    )
    path = f"/api/practice/sessions/{started.json()['id']}"
    item = client.get(f"{path}/next").json()
    for n in range(3):
        reply = post(
            client,
            f"{path}/answers",
            {
                "item_id": item["id"],
                "answer": answer_to(item["id"], right=n % 2 == 0),
                "client_id": str(uuid.uuid4()),
            },
        )
        item = reply.json()["next_item"]
    return client, path, item


def test_a_later_answer_runs_at_most_ten_statements_and_brings_the_next_item(
    loop: tuple[Client, str, dict[str, Any]],
) -> None:
    client, path, item = loop
    for n in range(6):
        body = {
            "item_id": item["id"],
            "answer": answer_to(item["id"], right=n % 2 == 1),
            "client_id": str(uuid.uuid4()),
        }
        with statements_counted() as statements:
            reply = post(client, f"{path}/answers", body)
        assert reply.status_code == 200, reply.content
        answered = reply.json()
        assert not answered["newly_mastered"], (
            "the budget is for an everyday answer; mastery also records an event"
        )
        assert len(statements) <= ANSWER_BUDGET, "\n".join(statements)
        assert any(sql.startswith("INSERT") for sql in statements)  # it was stored, not replayed
        assert answered["session"]["answers"] == 4 + n
        item = answered["next_item"]
        assert item is not None and item["reason_text"]


def test_a_next_item_runs_at_most_six_statements(loop: tuple[Client, str, dict[str, Any]]) -> None:
    client, path, _ = loop
    for _ in range(3):
        with statements_counted() as statements:
            reply = client.get(f"{path}/next")
        assert reply.status_code == 200, reply.content
        assert len(statements) <= NEXT_ITEM_BUDGET, "\n".join(statements)


def test_the_count_sees_transactions(loop: tuple[Client, str, dict[str, Any]]) -> None:
    """Guards the counter itself: an answer's transaction shows as its BEGIN and COMMIT."""
    client, path, item = loop
    with statements_counted() as statements:
        post(
            client,
            f"{path}/answers",
            {
                "item_id": item["id"],
                "answer": answer_to(item["id"], right=False),
                "client_id": str(uuid.uuid4()),
            },
        )
    assert "COMMIT" in statements
    assert any(sql.startswith("BEGIN") for sql in statements)
