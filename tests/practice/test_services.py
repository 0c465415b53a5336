"""Practice services: starting sessions, the next item, and answers that update the learner state."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.curriculum.models import Item, ItemCompetency
from tessera.engine.mastery import MasteryRecord, mastery_step
from tessera.practice import services
from tessera.practice.learner_model import tracker_for
from tessera.practice.models import Answer, LearnerCompetencyState, LearnerModelState, PracticeSession
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def test_a_learner_starts_a_session_in_their_school(practice: Any, world: Any) -> None:
    session = practice.session
    assert (session.learner, session.school, session.competency, session.how) == (
        world.a.learner,
        world.a.school,
        practice.add,
        "chosen",
    )
    assert session.ended_at is None


def test_staff_may_not_start_a_session_and_other_schools_cannot_see_the_competency(
    practice: Any, world: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.session_start(learner=world.a.teacher, competency=practice.add)
    with pytest.raises(NotFound):
        services.session_start(learner=world.b.learner, competency=practice.add)
    with pytest.raises(DomainError, match="not a way"):
        services.session_start(learner=world.a.learner, competency=practice.add, how="forced")
    assert PracticeSession.objects.count() == 1


def test_the_next_item_is_of_the_competency_and_in_reach(practice: Any) -> None:
    chosen = services.item_next(learner=practice.learner, session=practice.session)
    assert chosen.item == practice.add_item
    assert 0.0 < chosen.predicted_success < 1.0


def test_the_next_item_prefers_items_not_answered_in_the_session(practice: Any) -> None:
    second = Item.objects.create(
        school=practice.framework.school,
        framework=practice.framework,
        code="add-2",
        kind="numeric",
        stem="4 + 4 = ?",
        numeric_answer=8,
        difficulty=3.0,  # far out of the band: chosen only because add-1 was answered
    )
    ItemCompetency.objects.create(school=second.school, item=second, competency=practice.add)
    assert services.item_next(learner=practice.learner, session=practice.session).item == practice.add_item
    practice.submit(5)
    assert services.item_next(learner=practice.learner, session=practice.session).item == second


def test_another_learner_gets_no_item_from_my_session(practice: Any, world: Any) -> None:
    with pytest.raises(NotFound):
        services.item_next(learner=world.a.other_learner, session=practice.session)


def test_a_correct_answer_is_stored_and_raises_the_mastery_figure(practice: Any) -> None:
    start = tracker_for(practice.framework).start("add")
    result = practice.submit("5")
    assert result.correct and result.feedback == "2 + 3 = 5." and result.hints_available == 1
    assert result.mastery_before == pytest.approx(start, abs=1e-4) and result.mastery_level > start
    assert result.explanation.startswith("Addition: ") and "→" in result.explanation
    stored = Answer.objects.get()
    assert (stored.learner, stored.session, stored.item, stored.correct, stored.given) == (
        practice.learner,
        practice.session,
        practice.add_item,
        True,
        "5",
    )
    row = LearnerCompetencyState.objects.get(learner=practice.learner, competency=practice.add)
    assert row.attempts == 1 and row.mastery_level == pytest.approx(result.mastery_level, abs=1e-4)
    assert LearnerModelState.objects.get(learner=practice.learner).recent == ["add"]


def test_a_wrong_answer_lowers_the_mastery_figure(practice: Any) -> None:
    right = practice.submit(5)
    wrong = practice.submit(4)
    assert not wrong.correct and wrong.mastery_before == right.mastery_level
    assert wrong.mastery_level < right.mastery_level


def test_mastery_follows_the_engine_rule_not_seat_time(practice: Any) -> None:
    results = [practice.submit(5) for _ in range(15)]
    tracker = tracker_for(practice.framework)
    record = MasteryRecord(tracker.start("add"))
    for result in results:  # the same answers replayed through the engine alone: the same verdicts
        step = mastery_step(tracker, "add", record, 1, policy=services.MASTERY_POLICY)
        record = step.after
        assert (result.mastered, result.newly_mastered) == (record.mastered, step.newly_mastered)
        assert result.mastery_level == pytest.approx(record.level, abs=1e-4)
    assert not results[0].mastered, "one answer is never enough evidence"
    assert results[-1].mastered, [result.mastery_level for result in results]
    assert sum(result.newly_mastered for result in results) == 1
    row = LearnerCompetencyState.objects.get(learner=practice.learner, competency=practice.add)
    assert row.mastered_at is not None and row.attempts == 15


def test_many_wrong_answers_never_count_as_mastered(practice: Any) -> None:
    results = [practice.submit(4) for _ in range(10)]
    assert not any(result.mastered for result in results)
    assert LearnerCompetencyState.objects.get().mastered_at is None


def test_a_retry_returns_the_original_result_and_stores_nothing(practice: Any) -> None:
    client_id = uuid.uuid4()
    first = practice.submit(5, client_id=client_id)
    again = practice.submit(5, client_id=client_id)
    assert again == first
    assert Answer.objects.count() == 1
    assert LearnerCompetencyState.objects.get().attempts == 1


def test_the_same_id_with_a_different_answer_is_a_conflict(practice: Any) -> None:
    client_id = uuid.uuid4()
    practice.submit(5, client_id=client_id)
    with pytest.raises(Conflict, match="already used for a different answer"):
        practice.submit(6, client_id=client_id)
    assert Answer.objects.count() == 1


def test_an_item_not_in_the_session_changes_nothing(practice: Any) -> None:
    with pytest.raises(DomainError, match="not part of this session"):
        practice.submit(1, item=practice.frac_item)
    assert not Answer.objects.exists() and not LearnerCompetencyState.objects.exists()


@pytest.mark.parametrize("answer", ["five", "", "1" * 201, [5], None])
def test_a_malformed_answer_changes_nothing(practice: Any, answer: Any) -> None:
    with pytest.raises(DomainError) as raised:
        practice.submit(answer)
    assert raised.value.status == 400 and "cannot be checked" in raised.value.message
    assert not Answer.objects.exists() and not LearnerCompetencyState.objects.exists()


def test_another_learner_cannot_answer_in_my_session(practice: Any, world: Any) -> None:
    with pytest.raises(NotFound):
        services.answer_submit(
            learner=world.a.other_learner,
            session=practice.session,
            item=practice.add_item,
            answer=5,
            client_id=uuid.uuid4(),
            fingerprint="x",
        )
    assert not Answer.objects.exists()


def test_an_answer_costs_the_same_queries_however_much_else_the_learner_practised(
    practice: Any, world: Any
) -> None:
    """O(1): only the learner row and the answered competency's row are read and written. (Wrong answers,
    so that no answer masters the competency, which also looks up what that unlocks.)"""
    practice.submit(4)
    with CaptureQueriesContext(connection) as before:
        practice.submit(4)
    frac_session = services.session_start(learner=practice.learner, competency=practice.frac)
    for client_answer in (1, 0, 1):
        services.answer_submit(
            learner=practice.learner,
            session=frac_session,
            item=practice.frac_item,
            answer=client_answer,
            client_id=uuid.uuid4(),
            fingerprint=str(client_answer),
        )
    with CaptureQueriesContext(connection) as after:
        practice.submit(4)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert LearnerCompetencyState.objects.filter(learner=practice.learner).count() == 2


def test_a_retry_of_an_answer_stored_before_the_mastery_tracker_still_replays(practice: Any) -> None:
    client_id = uuid.uuid4()
    first = practice.submit(5, client_id=client_id)
    stored = Answer.objects.get()
    old = {
        k: v
        for k, v in stored.result.items()
        if k not in ("mastery_before", "newly_mastered", "mastery_level")
    }
    stored.result = {**old, "mastery_estimate": 0.61}  # what the reply looked like before this change
    stored.save(update_fields=["result"])
    again = practice.submit(5, client_id=client_id)
    assert again.answer_id == first.answer_id and again.mastery_level == 0.61 and again.correct
