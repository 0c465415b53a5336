"""The family feed as a consumer of the event log: which facts guardians are told, under which topic and
to whom, decided here in one table (:data:`FEED_RULES`), not by the producers.

The feed's rows are written in the producer's transaction (``IN_TRANSACTION``): a rolled-back answer leaves
neither its fact nor its feed row, and the open streams are woken on commit as before. Whether a guardian
reads a row is still decided when the feed is read (the sharing rule), so turning sharing off hides what is
already recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tessera.differentiation.events import GroupWorkCommented
from tessera.events.log import Fact, Mode, fact_of, subscribe
from tessera.events.models import Event
from tessera.events.topics import Topic
from tessera.family.feed.models import FeedEvent
from tessera.family.feed.services import feed_event_record
from tessera.family.messages.selectors import teaches_child
from tessera.personalization.events import GoalCommented, GoalReached, ProposalDecided
from tessera.practice.events import CompetencyMastered, MasteryLost


def _always(event: Event, fact: Any) -> bool:
    return True


def _by_a_teacher(event: Event, fact: Any) -> bool:
    """A teacher's comment is news for the family; a specialist's, para-professional's or mentor's is not:
    it would tell them who supports the child, which the school shares only as it chooses."""
    author = event.actor
    return author is not None and teaches_child(
        teacher=author, school_id=event.school_id, learner_id=event.learner_id
    )


@dataclass(frozen=True)
class FeedRule:
    kind: str
    topic: str
    payload: Callable[[Any], dict[str, Any]]
    shown: Callable[[Event, Any], bool] = _always


FEED_RULES: dict[str, FeedRule] = {
    CompetencyMastered.kind: FeedRule(
        FeedEvent.Kind.COMPETENCY_MASTERED,
        Topic.PRACTICE,
        lambda f: {"competency": f.competency, "competency_id": f.competency_id, "answers": f.answers},
    ),
    MasteryLost.kind: FeedRule(
        FeedEvent.Kind.MASTERY_LOST,
        Topic.PRACTICE,
        lambda f: {"competency": f.competency, "competency_id": f.competency_id},
    ),
    GoalReached.kind: FeedRule(
        FeedEvent.Kind.GOAL_REACHED, Topic.GOALS, lambda f: {"goal": f.goal, "goal_id": f.goal_id}
    ),
    # Feedback on the learner's own goal or proposal names it: told as the learner shares their goals.
    GoalCommented.kind: FeedRule(
        FeedEvent.Kind.TEACHER_FEEDBACK,
        Topic.GOALS,
        lambda f: {"teacher": f.author, "goal": f.goal, "goal_id": f.goal_id, "comment_id": f.comment_id},
        shown=_by_a_teacher,
    ),
    ProposalDecided.kind: FeedRule(
        FeedEvent.Kind.TEACHER_FEEDBACK,
        Topic.GOALS,
        lambda f: {
            "teacher": f.teacher,
            "proposal": f.proposal,
            "proposal_id": f.proposal_id,
            "decision": f.decision,
        },
    ),
    # A teacher's feedback on group work: told as the child shares teacher feedback (not the group's name,
    # which could say where the child stands).
    GroupWorkCommented.kind: FeedRule(
        FeedEvent.Kind.TEACHER_FEEDBACK,
        Topic.FEEDBACK,
        lambda f: {"teacher": f.author, "task": f.task, "task_id": f.task_id, "feedback_id": f.feedback_id},
        shown=_by_a_teacher,
    ),
}
SHOWN: tuple[type[Fact], ...] = (
    CompetencyMastered,
    MasteryLost,
    GoalReached,
    GoalCommented,
    ProposalDecided,
    GroupWorkCommented,
)


@subscribe(*SHOWN, consumer="family.feed", mode=Mode.IN_TRANSACTION)
def feed_from_event(event: Event) -> None:
    """Write the feed row for a fact the family is told about."""
    rule = FEED_RULES[event.kind]
    fact = fact_of(event)
    if not rule.shown(event, fact):
        return
    feed_event_record(
        school=event.school,
        learner=event.learner,
        kind=rule.kind,
        topic=rule.topic,
        payload=rule.payload(fact),
        at=event.occurred_at,
    )
