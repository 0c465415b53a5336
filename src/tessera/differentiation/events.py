"""The facts differentiation records in the event log (:mod:`tessera.events`)."""

from __future__ import annotations

from dataclasses import dataclass

from tessera.events.log import Fact, event_kind


@event_kind
@dataclass(frozen=True)
class GroupWorkCommented(Fact):
    """A teacher commented on the learner's group work (``author_id`` wrote ``feedback_id`` on ``task``)."""

    kind = "differentiation.group_work_commented"
    task_id: int
    task: str
    feedback_id: int
    author_id: int
    author: str


@event_kind
@dataclass(frozen=True)
class GroupJoined(Fact):
    """The learner was placed in a group for an objective (first placement, a teacher's move or an accepted
    regrouping). The group's level is not part of the fact: nothing told about it ranks learners."""

    kind = "differentiation.group_joined"
    grouping_id: int
    objective: str
    group_id: int
    group: str
