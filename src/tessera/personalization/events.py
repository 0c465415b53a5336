"""The facts personalization records in the event log (:mod:`tessera.events`)."""

from __future__ import annotations

from dataclasses import dataclass

from tessera.events.log import Fact, event_kind


@event_kind
@dataclass(frozen=True)
class GoalReached(Fact):
    kind = "personalization.goal_reached"
    goal_id: int
    goal: str


@event_kind
@dataclass(frozen=True)
class GoalCommented(Fact):
    """A teacher or supporter commented on the learner's goal (``author_id`` wrote ``comment_id``)."""

    kind = "personalization.goal_commented"
    goal_id: int
    goal: str
    comment_id: int
    author_id: int
    author: str


@event_kind
@dataclass(frozen=True)
class ProposalDecided(Fact):
    """A teacher accepted, adjusted or declined the learner's proposal."""

    kind = "personalization.proposal_decided"
    proposal_id: int
    proposal: str
    decision: str
    teacher_id: int
    teacher: str
