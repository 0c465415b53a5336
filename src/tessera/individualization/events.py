"""The facts individualization records in the event log (:mod:`tessera.events`)."""

from __future__ import annotations

from dataclasses import dataclass

from tessera.events.log import Fact, event_kind


@event_kind
@dataclass(frozen=True)
class PlanInEffect(Fact):
    """Every required member signed version ``version`` of the learner's plan: it applies from
    ``effective_from``."""

    kind = "individualization.plan_in_effect"
    plan_id: int
    version: int
    effective_from: str


@event_kind
@dataclass(frozen=True)
class ObjectiveOffTrack(Fact):
    """The last ``points`` measures of an individual objective are all below its aim line: the team is
    told."""

    kind = "individualization.objective_off_track"
    objective_id: int
    objective: str
    points: int
