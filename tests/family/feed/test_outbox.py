"""Feed events are an outbox: recorded in the transaction of the change, announced only after it commits.

An event exists exactly when the change does: a mastered competency records one ``competency_mastered``
event with the answer, and an answer that is rolled back leaves no event behind.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from tessera.family.feed import fanout
from tessera.family.feed.selectors import event_sentence
from tessera.family.feed.services import feed_event_record
from tessera.family.models import FeedEvent
from tessera.practice import services as practice_services
from tessera.practice.models import Answer, LearnerCompetencyState
from tessera.schools.errors import DomainError

pytestmark = pytest.mark.django_db


def _master(practice: Any, limit: int = 30) -> int:
    """Answer right until the competency counts as mastered; the number of answers it took."""
    for n in range(1, limit + 1):
        if practice.submit(5).mastered:
            return n
    raise AssertionError("never mastered")


def test_mastering_a_competency_records_one_event_with_its_name_and_the_answers(practice: Any) -> None:
    answers = _master(practice)
    event = FeedEvent.objects.get()
    assert event.kind == "competency_mastered"
    assert event.school == practice.session.school and event.learner == practice.learner
    assert event.payload == {
        "competency": practice.add.name,
        "competency_id": practice.add.pk,
        "answers": answers,
    }
    row = LearnerCompetencyState.objects.get(learner=practice.learner, competency=practice.add)
    assert row.attempts == event.payload["answers"] == Answer.objects.count()
    practice.submit(5)  # already mastered: nothing new to tell
    assert FeedEvent.objects.count() == 1


def test_an_answer_rolled_back_after_the_event_was_recorded_leaves_no_event(
    practice: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The failure comes after the event row was written, inside answer_submit's transaction."""
    with transaction.atomic():  # find out how many answers master it, then forget them
        answers = _master(practice)
        transaction.set_rollback(True)
    for _ in range(answers - 1):
        assert not practice.submit(5).mastered

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(practice_services, "_progress_sentence", broken)
    with pytest.raises(RuntimeError):
        practice.submit(5)  # the mastering answer: its event was recorded, then the transaction failed
    assert Answer.objects.count() == answers - 1
    assert not FeedEvent.objects.exists()
    monkeypatch.undo()
    assert practice.submit(5).mastered
    assert FeedEvent.objects.count() == 1


def test_the_mastering_answer_and_its_event_commit_or_roll_back_together(practice: Any) -> None:
    class Abort(Exception):
        pass

    results = []
    with pytest.raises(Abort), transaction.atomic():
        for _ in range(30):
            results.append(practice.submit(5))
            if results[-1].mastered:
                break
        assert FeedEvent.objects.count() == 1  # inside the transaction it is there...
        raise Abort
    assert results[-1].mastered
    assert not Answer.objects.exists() and not FeedEvent.objects.exists()  # ...and gone with the answers
    assert _master(practice) == len(results)  # the same answers again, committed this time
    assert FeedEvent.objects.count() == 1


def test_the_event_is_announced_only_after_the_commit(
    world: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    announced: list[tuple[int, int]] = []
    monkeypatch.setattr(
        fanout, "publish", lambda school_id, learner_id: announced.append((school_id, learner_id))
    )
    a = world.a
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        feed_event_record(school=a.school, learner=a.learner, kind="goal_reached", payload={"goal": "Read"})
        assert announced == []
    assert len(callbacks) == 1
    assert announced == [(a.school.pk, a.learner.pk)]


def test_an_unknown_kind_is_refused(world: Any) -> None:
    with pytest.raises(DomainError, match="not a kind of feed event"):
        feed_event_record(school=world.a.school, learner=world.a.learner, kind="gossip", payload={})
    assert not FeedEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(world: Any) -> None:
    with pytest.raises(DomainError, match="inside the transaction"):
        feed_event_record(school=world.a.school, learner=world.a.learner, kind="goal_reached", payload={})
    assert not FeedEvent.objects.exists()


def test_the_sentence_reads_like_a_note_from_the_teacher(world: Any) -> None:
    learner = world.a.learner
    learner.first_name = "Maya"
    learner.save()
    now = timezone.now()
    with transaction.atomic():
        event = feed_event_record(
            school=world.a.school,
            learner=learner,
            kind="competency_mastered",
            payload={"competency": "Equivalent fractions", "answers": 14},
        )
    assert (
        event_sentence(event, now=now)
        == "Maya mastered Equivalent fractions today after 14 practice questions"
    )
    later = now + datetime.timedelta(days=1)
    assert (
        event_sentence(event, now=later)
        == "Maya mastered Equivalent fractions yesterday after 14 practice questions"
    )


def test_each_kind_records_the_topic_it_reveals_unless_told_otherwise(world: Any) -> None:
    a = world.a
    with transaction.atomic():
        topics = [
            feed_event_record(school=a.school, learner=a.learner, kind=kind, payload={}).topic
            for kind in FeedEvent.Kind.values
        ]
        comment = feed_event_record(
            school=a.school, learner=a.learner, kind="teacher_feedback", payload={}, topic="goals"
        )
    assert topics == ["practice", "practice", "goals", "assessment", "feedback", "support", "messages"]
    assert comment.topic == "goals"
    with pytest.raises(DomainError, match="not a feed topic"), transaction.atomic():
        feed_event_record(school=a.school, learner=a.learner, kind="teacher_feedback", payload={}, topic="x")


def test_a_reached_goal_and_its_event_commit_or_roll_back_together(world: Any) -> None:
    from tessera.personalization.goals import services as goal_services
    from tessera.personalization.goals.models import Goal

    a = world.a
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Swim 1 km")
    with pytest.raises(RuntimeError), transaction.atomic():
        goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status="reached")
        assert FeedEvent.objects.filter(kind="goal_reached").exists()
        raise RuntimeError("the request failed after the change")
    assert Goal.objects.get().status == "active" and not FeedEvent.objects.exists()
    goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status="reached")
    assert Goal.objects.get().status == "reached" and FeedEvent.objects.get().kind == "goal_reached"


def test_the_sentences_of_goal_and_feedback_events(world: Any) -> None:
    a = world.a
    a.learner.first_name = "Maya"
    a.learner.save()
    now = timezone.now()

    def sentence(kind: str, payload: dict[str, Any]) -> str:
        with transaction.atomic():
            event = feed_event_record(school=a.school, learner=a.learner, kind=kind, payload=payload)
        return event_sentence(event, now=now)

    assert sentence("goal_reached", {"goal": "Swim 1 km"}) == "Maya reached their goal “Swim 1 km” today"
    assert (
        sentence("teacher_feedback", {"teacher": "Ms T", "goal": "Swim 1 km"})
        == "Ms T commented on the goal “Swim 1 km” of Maya today"
    )
    assert (
        sentence("teacher_feedback", {"teacher": "Ms T", "proposal": "A comic"})
        == "Ms T answered the proposal “A comic” of Maya today"
    )
