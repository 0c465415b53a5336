"""Every write of the family feed.

:func:`feed_event_record` is how a capability tells guardians about a change. It MUST be called inside
the transaction that makes the change (it refuses to run outside one): the event row is then committed
with the change or rolled back with it, and it is announced to the open streams only after the commit
(``transaction.on_commit``), so nothing is announced that did not happen and nothing is lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from tessera.family import fanout
from tessera.family.models import FeedEvent, FeedStream
from tessera.schools.errors import DomainError
from tessera.schools.models import School, User

if TYPE_CHECKING:
    from tessera.curriculum.models import Competency
    from tessera.practice.models import PracticeSession

KINDS = set(FeedEvent.Kind.values)
Topic = FeedEvent.Topic
# What an event reveals unless its caller says otherwise (a teacher's comment on a goal reveals the goal).
TOPIC_OF_KIND = {
    FeedEvent.Kind.COMPETENCY_MASTERED: Topic.PRACTICE,
    FeedEvent.Kind.MASTERY_LOST: Topic.PRACTICE,
    FeedEvent.Kind.GOAL_REACHED: Topic.GOALS,
    FeedEvent.Kind.ASSESSMENT_GRADED: Topic.ASSESSMENT,
    FeedEvent.Kind.TEACHER_FEEDBACK: Topic.FEEDBACK,
    FeedEvent.Kind.SUPPORT_SESSION: Topic.SUPPORT,
    FeedEvent.Kind.MESSAGE_RECEIVED: Topic.MESSAGES,
}


def feed_event_record(
    *,
    school: School,
    learner: User,
    kind: str,
    payload: dict[str, Any],
    at: datetime | None = None,
    topic: str | None = None,
    guardian: User | None = None,
) -> FeedEvent:
    """Record one event of ``learner`` in ``school`` in the outbox, in the caller's transaction.

    Call it inside the ``transaction.atomic`` block that makes the change. It locks the child's
    :class:`FeedStream` row first, so events of one child get ids in commit order (see
    :mod:`tessera.family.models`), and registers ``transaction.on_commit`` to wake the open streams.
    ``at`` is when the change happened (generated history passes it); the clock otherwise.
    ``topic`` is what the event reveals (by default the kind's, :data:`TOPIC_OF_KIND`): guardians see it
    only while that topic is shared with them. ``guardian`` limits it to one guardian of the child.
    Raises :class:`DomainError` for an unknown kind or topic, or when called outside a transaction.
    """
    if kind not in KINDS:
        raise DomainError(f"“{kind}” is not a kind of feed event; use one of {', '.join(sorted(KINDS))}.")
    topic = topic or TOPIC_OF_KIND[FeedEvent.Kind(kind)]
    if topic not in Topic.values:
        raise DomainError(f"“{topic}” is not a feed topic; use one of {', '.join(sorted(Topic.values))}.")
    if not transaction.get_connection().in_atomic_block:
        raise DomainError("feed_event_record must run inside the transaction of the change it reports.")
    stream, _ = FeedStream.objects.select_for_update().get_or_create(school=school, learner=learner)
    event = FeedEvent.objects.create(
        school=school,
        learner=learner,
        kind=kind,
        topic=topic,
        guardian=guardian,
        payload=payload,
        created_at=at or timezone.now(),
    )
    stream.last_event_id = event.pk
    stream.save(update_fields=["last_event_id"])
    school_id, learner_id = school.pk, learner.pk
    transaction.on_commit(lambda: fanout.publish(school_id, learner_id))
    return event


def feed_mastery_record(
    *, session: PracticeSession, competency: Competency, answers: int, at: datetime | None = None
) -> FeedEvent:
    """``competency_mastered``: the session's learner mastered ``competency`` after ``answers`` practice
    answers. Called by :func:`tessera.practice.services.answer_submit`, inside its transaction."""
    return feed_event_record(
        school=session.school,
        learner=session.learner,
        kind=FeedEvent.Kind.COMPETENCY_MASTERED,
        payload={"competency": competency.name, "competency_id": competency.pk, "answers": answers},
        at=at,
    )


def feed_mastery_lost_record(
    *, session: PracticeSession, competency: Competency, at: datetime | None = None
) -> FeedEvent:
    """``mastery_lost``: a spaced review showed that the session's learner needs to practise ``competency``
    again, so it no longer counts as mastered (the family was told it was mastered, so it is told this too).
    Called by :func:`tessera.practice.services.answer_submit`, inside its transaction."""
    return feed_event_record(
        school=session.school,
        learner=session.learner,
        kind=FeedEvent.Kind.MASTERY_LOST,
        payload={"competency": competency.name, "competency_id": competency.pk},
        at=at,
    )
