"""Two copies of one answer arriving at the same moment store exactly one row and get the same result.

Each copy runs in its own thread with its own database connection; a barrier releases them together. On
PostgreSQL the second insert waits on the unique index until the first commits, fails, and reads the
original back; on SQLite (a file database, as in production) the second transaction waits for the first's
write lock and then finds the original.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection, connections

from tessera.practice import services
from tessera.practice.learner_model import model_for
from tessera.practice.models import Answer, LearnerCompetencyState

COPIES = 2


def _fire_together(practice: Any, client_id: uuid.UUID) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(COPIES)
    results: list[Any] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(practice.submit(5, client_id=client_id))
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def _assert_one_stored(practice: Any) -> None:
    model_for(practice.framework)  # fitted and committed before the race, as in production
    results, errors = _fire_together(practice, uuid.uuid4())
    assert not errors, errors
    assert len(results) == COPIES and results[0] == results[1]
    assert Answer.objects.count() == 1
    assert LearnerCompetencyState.objects.get().attempts == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_copies_at_the_same_moment_store_one_answer_on_postgres(practice: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (this run uses {connection.vendor}); .ci/run postgres runs it")
    _assert_one_stored(practice)


@pytest.mark.django_db(transaction=True)
def test_two_copies_at_the_same_moment_store_one_answer_on_sqlite(practice: Any) -> None:
    """The test database is a file (settings/test.py), so the second writer waits on SQLite's lock."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the race; PostgreSQL runs its own")
    _assert_one_stored(practice)


@pytest.mark.django_db
def test_a_copy_that_loses_the_insert_race_returns_the_original(practice: Any) -> None:
    """A copy is written like a new answer (the usual case costs no look-up first): its insert hits the
    unique constraint, everything it did is rolled back, and the original is read back."""
    client_id = uuid.uuid4()
    first = practice.submit(5, client_id=client_id)
    state = LearnerCompetencyState.objects.get()
    assert practice.submit(5, client_id=client_id) == first
    with pytest.raises(services.Conflict):
        practice.submit(7, client_id=client_id)
    assert Answer.objects.count() == 1
    again = LearnerCompetencyState.objects.get()
    assert (again.attempts, again.mastery_level, again.numbers, again.seen) == (
        1,
        state.mastery_level,
        state.numbers,
        state.seen,
    )


@pytest.mark.django_db(transaction=True)
def test_two_different_answers_at_the_same_moment_both_count(practice: Any) -> None:
    """Two answers of one learner (two devices, or a queue flushed twice) arriving together: both are stored
    and both reach the learner state; the row locks (PostgreSQL) or the writer queue (SQLite) keep one
    update from overwriting the other."""
    model_for(practice.framework)
    barrier = threading.Barrier(COPIES)
    errors: list[BaseException] = []

    def submit(answer: int) -> None:
        try:
            barrier.wait(timeout=10)
            practice.submit(answer, client_id=uuid.uuid4())
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(answer,)) for answer in (5, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(Answer.objects.values_list("correct", flat=True)) == [False, True]
    assert LearnerCompetencyState.objects.get().attempts == 2
