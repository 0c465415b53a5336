"""What individualization does with the facts of the event log (subscribed in ``AppConfig.ready``):

- practice evidence becomes progress data: when a session ends, each objective of the plan in force tied to
  a competency practised in it gets the day's measure, the learner's mastery of it (one number: practice's);
- an objective off track becomes an alert the plan's team sees until it is reviewed or back on track.
"""

from __future__ import annotations

from django.utils import timezone

from tessera.events.log import Mode, fact_of, subscribe
from tessera.events.models import Event
from tessera.individualization import services
from tessera.individualization.events import ObjectiveOffTrack
from tessera.individualization.models import PlanObjective, TeamAlert
from tessera.individualization.selectors import plan_in_force
from tessera.practice.events import PracticeSessionEnded
from tessera.practice.selectors import learner_masteries


@subscribe(PracticeSessionEnded, consumer="individualization.practice_evidence", mode=Mode.IN_TRANSACTION)
def objectives_from_practice(event: Event) -> None:
    fact = fact_of(event)
    assert isinstance(fact, PracticeSessionEnded)
    day = timezone.localdate(event.occurred_at)
    plan = plan_in_force(event.school_id, event.learner_id, day)
    if plan is None:
        return
    objectives = list(
        PlanObjective.objects.filter(plan=plan, competency_id__in=fact.competency_ids).select_related("plan")
    )
    if not objectives:
        return
    masteries = learner_masteries(
        school_id=event.school_id,
        learner_id=event.learner_id,
        competency_ids=[o.competency_id for o in objectives if o.competency_id is not None],
    )
    for objective in objectives:
        mastery = masteries.get(objective.competency_id)  # type: ignore[arg-type]
        if mastery is not None and mastery.percent is not None:
            services.practice_point_record(objective=objective, measured_on=day, value=mastery.percent)


@subscribe(ObjectiveOffTrack, consumer="individualization.team_alerts", mode=Mode.IN_TRANSACTION)
def alert_from_off_track(event: Event) -> None:
    fact = fact_of(event)
    assert isinstance(fact, ObjectiveOffTrack)
    if TeamAlert.objects.filter(objective_id=fact.objective_id, closed_at__isnull=True).exists():
        return
    TeamAlert.objects.create(
        school_id=event.school_id,
        learner_id=event.learner_id,
        objective_id=fact.objective_id,
        points=fact.points,
        raised_at=event.occurred_at,
    )
