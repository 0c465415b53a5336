"""The facts practice records in the event log (:mod:`tessera.events`)."""

from __future__ import annotations

from dataclasses import dataclass

from tessera.events.log import Fact, event_kind


@event_kind
@dataclass(frozen=True)
class CompetencyMastered(Fact):
    """The learner's answer made ``competency`` mastered (the mastery rule held on a correct answer)."""

    kind = "practice.competency_mastered"
    competency_id: int
    competency: str
    answers: int


@event_kind
@dataclass(frozen=True)
class MasteryLost(Fact):
    """A spaced review answered wrong took ``competency``'s mastery away."""

    kind = "practice.mastery_lost"
    competency_id: int
    competency: str


@event_kind
@dataclass(frozen=True)
class PracticeSessionEnded(Fact):
    """The learner ended a session in which they answered (or it was ended for them after it sat idle):
    the evidence of ``competency_ids`` is in, for whoever measures progress from practice."""

    kind = "practice.session_ended"
    session_id: int
    competency_ids: list[int]
    answers: int
    correct: int
