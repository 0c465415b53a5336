"""Reads of the learner's goals, with their progress from evidence and the milestones to reflect on,
filtered by :mod:`tessera.personalization.goals.permissions`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.curriculum.models import Competency
from tessera.engine.mastery import shown_percent
from tessera.personalization.goals import permissions
from tessera.personalization.goals.models import Goal
from tessera.personalization.selectors import own_membership as own_membership  # for the goal pages
from tessera.personalization.selectors import school_frameworks
from tessera.practice.models import Answer
from tessera.practice.selectors import Mastery, learner_masteries, mastery_or_start
from tessera.schools.models import School, User


def goal_competencies(learner: User, school: School) -> QuerySet[Competency]:
    return (
        Competency.objects.filter(framework__in=school_frameworks(learner, school))
        .select_related("domain")
        .order_by("framework__name", "domain__position", "position", "pk")
    )


def _goal_competencies() -> Prefetch[Any]:
    """A goal's competencies with how many items each has, as :func:`goals_progress` reads them."""
    return Prefetch(
        "competencies", queryset=Competency.objects.annotate(item_count=Count("items")).order_by("pk")
    )


def goals_of(learner: User, school: School) -> QuerySet[Goal]:
    return Goal.objects.filter(school=school, learner=learner).prefetch_related(_goal_competencies(), "steps")


def goal_for(user: User, goal_id: int) -> Goal | None:
    return (
        permissions.goals_visible_to(user)
        .select_related("learner", "school")
        .prefetch_related(_goal_competencies(), "steps", "reflections", "comments__author")
        .filter(pk=goal_id)
        .first()
    )


@dataclass
class GoalCompetencyRow:
    competency: Competency
    mastery: Mastery
    practisable: bool = False

    @property
    def mastered_at(self) -> datetime.datetime | None:
        return self.mastery.mastered_at

    @property
    def percent(self) -> int | None:
        return self.mastery.percent


@dataclass
class GoalProgress:
    competencies: list[GoalCompetencyRow]
    mastered: int
    mean_estimate: float | None
    answers_since: int
    correct_since: int
    steps_done: int
    steps_total: int

    @property
    def is_competency_goal(self) -> bool:
        return bool(self.competencies)

    @property
    def mastered_percent(self) -> int:
        return round(100 * self.mastered / len(self.competencies)) if self.competencies else 0

    @property
    def mean_percent(self) -> int | None:
        return None if self.mean_estimate is None else shown_percent(self.mean_estimate)

    @property
    def steps_percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0


def goal_progress(goal: Goal) -> GoalProgress:
    """The progress of one goal (see :func:`goals_progress`)."""
    return goals_progress([goal])[0][1]


def _answers_since(*, correct: bool) -> Coalesce:
    """How many practice answers the goal's learner gave on its competencies since it was set."""
    linked = Goal.competencies.through.objects.filter(goal_id=OuterRef(OuterRef("pk"))).values(
        "competency_id"
    )
    answers = Answer.objects.filter(
        school_id=OuterRef("school_id"),
        learner_id=OuterRef("learner_id"),
        competency_id__in=linked,
        created_at__gte=OuterRef("created_at"),
    )
    if correct:
        answers = answers.filter(correct=True)
    counted = answers.order_by().values("learner_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _competencies_counted(goal: Goal) -> bool:
    cached = getattr(goal, "_prefetched_objects_cache", {}).get("competencies")
    return cached is not None and all(hasattr(c, "item_count") for c in cached)


def goals_progress(goals: Iterable[Goal]) -> list[tuple[Goal, GoalProgress]]:
    """Progress from evidence: for linked competencies, the share mastered (the engine's mastery rule),
    the mean estimate and the practice answers since the goal was set; for every goal, the steps done.

    A fixed number of queries for any number of goals (the query budget of the goal lists): read the goals
    from :func:`goals_of` or :func:`goal_for`, which prefetch their competencies and steps."""
    goals = list(goals)
    unread = [g for g in goals if not _competencies_counted(g)]
    for goal in unread:  # a goal read elsewhere (a service's return): read its competencies as we need
        getattr(goal, "_prefetched_objects_cache", {}).pop("competencies", None)
    prefetch_related_objects(unread, _goal_competencies())
    competencies = {goal.pk: list(goal.competencies.all()) for goal in goals}
    found: dict[tuple[int, int], dict[int, Mastery]] = {}
    for school_id, learner_id in {(g.school_id, g.learner_id) for g in goals if competencies[g.pk]}:
        ids = {
            c.pk
            for g in goals
            if (g.school_id, g.learner_id) == (school_id, learner_id)
            for c in competencies[g.pk]
        }
        found[school_id, learner_id] = learner_masteries(
            school_id=school_id, learner_id=learner_id, competency_ids=sorted(ids)
        )
    with_competencies = [g.pk for g in goals if competencies[g.pk]]
    counts = (
        {
            pk: (answered, correct)
            for pk, answered, correct in Goal.objects.filter(pk__in=with_competencies)
            .annotate(answered=_answers_since(correct=False), correct=_answers_since(correct=True))
            .values_list("pk", "answered", "correct")
        }
        if with_competencies
        else {}
    )
    result = []
    for goal in goals:
        masteries = found.get((goal.school_id, goal.learner_id), {})
        rows = [
            GoalCompetencyRow(
                c,
                mastery_or_start(masteries, learner_id=goal.learner_id, competency_id=c.pk),
                practisable=c.item_count > 0,  # type: ignore[attr-defined]  # annotated by _goal_competencies
            )
            for c in competencies[goal.pk]
        ]
        estimates = [r.mastery.level for r in rows if r.mastery.level is not None and r.mastery.started]
        answered, correct = counts.get(goal.pk, (0, 0))
        steps = list(goal.steps.all())
        progress = GoalProgress(
            competencies=rows,
            mastered=sum(1 for r in rows if r.mastered_at is not None),
            mean_estimate=sum(estimates) / len(estimates) if estimates else None,
            answers_since=answered,
            correct_since=correct,
            steps_done=sum(1 for s in steps if s.done_at is not None),
            steps_total=len(steps),
        )
        result.append((goal, progress))
    return result


PROMPTS = [
    gettext_lazy("What helped you most?"),
    gettext_lazy("What will you try next time?"),
    gettext_lazy("What was hard, and how did you get past it?"),
    gettext_lazy("What are you proud of?"),
]


@dataclass
class Milestone:
    key: str
    label: str


def open_milestones(
    goal: Goal, goal_progress: GoalProgress, *, today: datetime.date | None = None
) -> list[Milestone]:
    """Milestones reached that the learner has not reflected on yet, oldest first: a step done, a linked
    competency mastered, the target date passed, the goal reached."""
    reached: list[Milestone] = []
    for step in goal.steps.all():
        if step.done_at is not None:
            reached.append(Milestone(f"step:{step.pk}", _("You finished the step “%s”.") % step.title))
    for row in goal_progress.competencies:
        if row.mastered_at is not None:
            reached.append(
                Milestone(f"mastered:{row.competency.pk}", _("You mastered %s.") % row.competency.name)
            )
    today = today or timezone.localdate()
    if goal.target_date is not None and goal.target_date < today and goal.status == Goal.Status.ACTIVE:
        reached.append(Milestone("target-date", _("The target date of this goal has passed.")))
    if goal.status == Goal.Status.REACHED:
        reached.append(Milestone("reached", _("You reached this goal.")))
    done = {r.milestone for r in goal.reflections.all()}
    return [m for m in reached if m.key not in done]
