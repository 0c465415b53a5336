"""A class to group, on the shared two-school world (tests/conftest.py): school A's Maths 7 with learners
whose mastery of Fractions (and of its prerequisite Multiplication) is set as the mastery selector reads it,
and a grouping made through the services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tessera.curriculum.models import Competency
from tessera.differentiation import services
from tessera.differentiation.models import Grouping
from tessera.practice.models import LearnerCompetencyState
from tessera.schools import services as school_services
from tessera.schools.models import User
from tests.curriculum.documents import small_framework

# name -> (Fractions level, answers): three clear tiers and one learner with too little evidence.
LEVELS = {
    "ana": (0.10, 6),
    "ben": (0.15, 6),
    "cleo": (0.20, 5),
    "dev": (0.50, 6),
    "eli": (0.55, 6),
    "fay": (0.60, 5),
    "gus": (0.90, 8),
    "hana": (0.92, 8),
    "ivo": (0.95, 8),
    "jo": (0.50, 1),
}


def fractions(w: Any) -> Competency:
    return small_framework(w.a.school).competencies.get(code="frac")


def set_level(w: Any, learner: User, level: float, answers: int, code: str = "frac") -> None:
    now = timezone.now()
    LearnerCompetencyState.objects.update_or_create(
        school=w.a.school,
        learner=learner,
        competency=small_framework(w.a.school).competencies.get(code=code),
        defaults={"attempts": answers, "mastery_level": level, "last_answered_at": now},
    )


def class_learner(w: Any, name: str) -> User:
    found = User.objects.filter(username=f"a.{name}").first()
    if found is not None:
        return found
    user = school_services.person_add(
        actor=None,
        school=w.a.school,
        username=f"a.{name}",
        first_name=name.title(),
        last_name="A",
        role="learner",
        grade_level=7,
    ).user
    school_services.learner_enrol(actor=None, school_class=w.a.klass, learner=user)
    return user


def populated(w: Any) -> dict[str, User]:
    """The class's learners of :data:`LEVELS`, with their Fractions figures (the world's own learner has
    no evidence)."""
    learners = {}
    for name, (level, answers) in LEVELS.items():
        learners[name] = class_learner(w, name)
        set_level(w, learners[name], level, answers)
    return learners


def grouping(w: Any, groups: int = 3) -> Grouping:
    existing = Grouping.objects.filter(school_class=w.a.klass).first()
    if existing is not None:
        return existing
    populated(w)
    return services.grouping_create(
        actor=w.a.teacher,
        school_class=w.a.klass,
        objective="Add fractions",
        competencies=[fractions(w)],
        group_count=groups,
    )


def learners_group_task(w: Any) -> Any:
    """A task of the group school A's learner is pinned to (the learner has no evidence of their own)."""
    made = grouping(w)
    group = made.groups.order_by("position").first()
    assert group is not None
    services.placement_set(actor=w.a.teacher, grouping=made, learner=w.a.learner, group=group, pin=True)
    existing = group.tasks.first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    return services.task_create(
        actor=w.a.teacher,
        group=group,
        title="Fraction strips",
        instructions="Use the strips to add halves and quarters.",
        tier="support",
        competency=fractions(w),
        starts_on=today,
        due_on=today,
    )


def kept_apart(w: Any) -> Any:
    """Ana and Ben of the grouped class, kept apart."""
    grouping(w)
    return services.keep_apart_add(
        actor=w.a.teacher,
        school_class=w.a.klass,
        learner=class_learner(w, "ana"),
        other=class_learner(w, "ben"),
    )
