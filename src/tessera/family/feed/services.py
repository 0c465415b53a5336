"""Every write of the family feed.

:func:`feed_event_record` writes one feed row. Other apps do not call it: they record facts in the event
log (:mod:`tessera.events`), and the feed's consumer (:mod:`tessera.family.feed.consumers`) turns the facts it
shows into feed rows in the same transaction; family's own news (messages, announcements) calls it
directly. It refuses to run outside a transaction: the row is committed with the change or rolled back
with it, and it is announced to the open streams only after the commit (``transaction.on_commit``), so
nothing is announced that did not happen and nothing is lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tessera.family.feed import fanout
from tessera.family.feed.models import FeedEvent, FeedStream
from tessera.schools.errors import DomainError
from tessera.schools.models import School, User

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
    :mod:`tessera.family.feed.models`), and registers ``transaction.on_commit`` to wake the open streams.
    ``at`` is when the change happened (generated history passes it); the clock otherwise.
    ``topic`` is what the event reveals (by default the kind's, :data:`TOPIC_OF_KIND`): guardians see it
    only while that topic is shared with them. ``guardian`` limits it to one guardian of the child.
    Raises :class:`DomainError` for an unknown kind or topic, or when called outside a transaction:
    programmer errors, so their messages stay in English (codes ``family.feed_*``).
    """
    if kind not in KINDS:
        raise DomainError(
            f"“{kind}” is not a kind of feed event; use one of {', '.join(sorted(KINDS))}.",
            code="family.feed_unknown_kind",
        )
    topic = topic or TOPIC_OF_KIND[FeedEvent.Kind(kind)]
    if topic not in Topic.values:
        raise DomainError(
            f"“{topic}” is not a feed topic; use one of {', '.join(sorted(Topic.values))}.",
            code="family.feed_unknown_topic",
        )
    if not transaction.get_connection().in_atomic_block:
        raise DomainError(
            "feed_event_record must run inside the transaction of the change it reports.",
            code="family.feed_outside_transaction",
        )
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
