"""The demo school's flexible groups, made through the services from the practice history: in Maths 7A
(Anders Lindqvist with Yuki Tanaka), three groups for a competency many of its learners practised with
levels far apart, a tiered task per group with the framework's resources, roles, one learner's work with
the teacher's feedback, and a short check asked of the learners without enough evidence."""

from __future__ import annotations

import datetime
from collections import defaultdict
from statistics import pstdev

from django.db import transaction

from tessera.curriculum.models import Competency, Resource
from tessera.differentiation import services
from tessera.differentiation.models import Grouping, GroupRole, GroupTask
from tessera.differentiation.selectors import grouping_view
from tessera.practice.models import LearnerCompetencyState
from tessera.schools.models import School, SchoolClass, User

DEMO_CLASS = "Maths 7A"
TIERS = (
    (
        GroupTask.Tier.SUPPORT,
        "Step by step, with a worked example",
        "Follow the worked example, then try the three starred questions with the fraction strips.",
    ),
    (
        GroupTask.Tier.CORE,
        "Practise and explain",
        "Solve the six questions, then explain one of them to your group in your own words.",
    ),
    (
        GroupTask.Tier.EXTENSION,
        "Make your own problem",
        "Write a word problem that needs this skill, solve it, and swap it with a partner.",
    ),
)
ROLES = (GroupRole.Role.FACILITATOR, GroupRole.Role.RECORDER, GroupRole.Role.CHECKER)


def competency_to_group(school_class: SchoolClass) -> Competency | None:
    """The competency worth grouping the class for: many learners with evidence on it (3 answers or more)
    and levels far apart (the number of such learners times the spread of their levels)."""
    levels: dict[int, list[float]] = defaultdict(list)
    rows = LearnerCompetencyState.objects.filter(
        school_id=school_class.school_id,
        learner__enrolments__school_class=school_class,
        attempts__gte=3,
        mastery_level__isnull=False,
    ).values_list("competency_id", "mastery_level")
    for competency_id, level in rows:
        levels[competency_id].append(float(level or 0))
    if not levels:
        return None
    best = max(levels, key=lambda pk: (len(levels[pk]) * pstdev(levels[pk]), -pk))
    return Competency.objects.get(pk=best)


@transaction.atomic
def demo_groups_load(*, school: School) -> Grouping | None:
    """Groups in Maths 7A (idempotent: nothing happens once the class has a grouping, or without practice
    history to group from)."""
    school_class = SchoolClass.objects.filter(school=school, name=DEMO_CLASS).first()
    if school_class is None or Grouping.objects.filter(school_class=school_class).exists():
        return None
    competency = competency_to_group(school_class)
    if competency is None:
        return None
    teacher = school_class.teaching.filter(kind="lead").select_related("teacher").get().teacher
    grouping = services.grouping_create(
        actor=teacher,
        school_class=school_class,
        objective=competency.name,
        competencies=[competency],
        group_count=3,
    )
    today = datetime.date.today()
    resources = list(Resource.objects.filter(competencies=competency)[:2])
    view = grouping_view(grouping)
    for group_view, (tier, title, instructions) in zip(view.groups, TIERS, strict=False):
        task = services.task_create(
            actor=teacher,
            group=group_view.group,
            title=title,
            instructions=instructions,
            tier=tier,
            competency=competency,
            starts_on=today,
            due_on=today + datetime.timedelta(days=7),
            resources=resources,
        )
        members: list[User] = [p.placement.learner for p in group_view.placements]
        for learner, role in zip(members, ROLES, strict=False):
            services.role_assign(actor=teacher, group=group_view.group, learner=learner, role=role)
        if members:
            services.submission_save(
                learner=members[0], task=task, text="We used the strips to check each answer."
            )
            services.feedback_give(
                actor=teacher,
                task=task,
                learner=members[0],
                text="Good checking. Next, explain why it works.",
            )
    unplaced = [n.learner for n in view.not_placed]
    if unplaced:
        services.evidence_check_request(actor=teacher, grouping=grouping, learners=unplaced)
    return grouping
