"""Reads for differentiation, already limited to what the user may see
(:mod:`tessera.differentiation.permissions`): a class's groupings for its teachers, and a learner's own
groups, roles, tasks and feedback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from tessera.curriculum.models import Competency, Resource
from tessera.differentiation import permissions as perms
from tessera.differentiation.evidence import ClassEvidence, learner_key, reason_sentence
from tessera.differentiation.models import (
    EvidenceCheck,
    Group,
    Grouping,
    GroupRole,
    GroupTask,
    KeepApart,
    Placement,
    Regrouping,
    TaskFeedback,
    TaskSubmission,
)
from tessera.differentiation.services import current_placements, regrouping_suggestion
from tessera.schools.models import Membership, SchoolClass, User


@dataclass(frozen=True)
class ClassAccess:
    school_class: SchoolClass
    teaches: bool
    learns: bool


def class_access(user: User, class_id: int) -> ClassAccess | None:
    """The class, if the user teaches it now or learns in it (else None: the pages answer 404)."""
    school_class = SchoolClass.objects.select_related("school", "term").filter(pk=class_id).first()
    if school_class is None:
        return None
    teaches = perms.can_teach_class(user, school_class)
    learns = not teaches and perms.is_class_learner(user, school_class)
    if not (teaches or learns):
        return None
    return ClassAccess(school_class, teaches, learns)


def groupings_of_class(user: User, school_class: SchoolClass) -> QuerySet[Grouping]:
    """The class's groupings, newest first, for its teachers (none for anyone else)."""
    return (
        perms.groupings_managed_by(user)
        .filter(school_class=school_class)
        .annotate(
            group_total=Count("groups", distinct=True),
            placed=Count("placements", filter=Q(placements__ended_at__isnull=True), distinct=True),
        )
        .prefetch_related("competencies")
    )


def grouping_for(user: User, school_class: SchoolClass, grouping_id: int) -> Grouping | None:
    return (
        perms.groupings_managed_by(user)
        .filter(school_class=school_class, pk=grouping_id)
        .select_related("school", "school_class")
        .first()
    )


def task_for(user: User, task_id: int) -> GroupTask | None:
    return (
        perms.tasks_managed_by(user)
        .filter(pk=task_id)
        .select_related("group__grouping__school_class", "competency", "school")
        .first()
    )


def competencies_for_class(school_class: SchoolClass) -> QuerySet[Competency]:
    return Competency.objects.filter(Q(school__isnull=True) | Q(school_id=school_class.school_id)).order_by(
        "framework__name", "domain__position", "position", "pk"
    )


def resources_for_class(school_class: SchoolClass) -> QuerySet[Resource]:
    return Resource.objects.filter(Q(school__isnull=True) | Q(school_id=school_class.school_id)).order_by(
        "title", "pk"
    )


def class_learners(school_class: SchoolClass) -> QuerySet[User]:
    return User.objects.filter(perms.learner_in_class(school_class)).order_by("last_name", "first_name", "pk")


def group_members(group: Group) -> QuerySet[User]:
    """The learners in the group now."""
    now_in = Placement.objects.filter(group=group, learner=OuterRef("pk"), ended_at__isnull=True)
    return User.objects.filter(Exists(now_in)).order_by("last_name", "first_name", "pk")


def task_learners(task: GroupTask) -> QuerySet[User]:
    """Everyone who was ever in the task's group: their work stays theirs after a regrouping."""
    ever_in = Placement.objects.filter(group_id=task.group_id, learner=OuterRef("pk"))
    return User.objects.filter(Exists(ever_in)).order_by("last_name", "first_name", "pk")


def keep_apart_pair_for(user: User, pair_id: int) -> KeepApart | None:
    return (
        KeepApart.objects.filter(pk=pair_id, school_class__in=perms.classes_taught_by(user))
        .select_related("school_class")
        .first()
    )


def keep_apart_pairs(school_class: SchoolClass) -> list[KeepApart]:
    return list(KeepApart.objects.filter(school_class=school_class).select_related("learner_a", "learner_b"))


# --- one grouping, as its teacher sees it --------------------------------------------------------


@dataclass
class PlacementView:
    placement: Placement
    name: str
    reasons: list[str]
    role: str = ""
    suggested: Group | None = None  # for a teacher's placement: where the evidence put the learner

    @property
    def by_teacher(self) -> bool:
        return self.placement.source != Placement.Source.DATA


@dataclass
class GroupView:
    group: Group
    placements: list[PlacementView] = field(default_factory=list)
    tasks: list[GroupTask] = field(default_factory=list)


@dataclass(frozen=True)
class MoveView:
    learner_id: int
    name: str
    from_group: Group | None
    to_group: Group
    percent_then: int | None
    percent_now: int
    reasons: list[str]


@dataclass(frozen=True)
class NotPlacedView:
    learner: User
    name: str
    reason: str
    check_requested: bool


@dataclass
class GroupingView:
    grouping: Grouping
    competencies: list[Competency]
    groups: list[GroupView]
    not_placed: list[NotPlacedView]
    moves: list[MoveView]
    apart: list[tuple[KeepApart, str, str]]
    history: list[Regrouping]


def _sentences(reasons: list[dict[str, Any]], evidence: ClassEvidence) -> list[str]:
    return [
        reason_sentence(r, competencies=evidence.competency_names, learners=evidence.names) for r in reasons
    ]


def grouping_view(grouping: Grouping) -> GroupingView:
    """Everything the grouping's page shows: groups with each placement's reasons (and, for a teacher's
    placement, the group the evidence suggested), learners not placed for lack of evidence, the regrouping
    proposed now, keep-apart pairs and the history of decisions."""
    suggestion = regrouping_suggestion(grouping)
    evidence = suggestion.evidence
    placements = current_placements(grouping)
    roles = dict(GroupRole.objects.filter(group__grouping=grouping).values_list("learner_id", "role"))
    role_labels = dict(GroupRole.Role.choices)
    groups = {g.pk: GroupView(g) for g in grouping.groups.prefetch_related("resources")}
    for placement in placements:
        groups[placement.group_id].placements.append(
            PlacementView(
                placement,
                evidence.names.get(learner_key(placement.learner_id), str(placement.learner)),
                _sentences(placement.reasons, evidence),
                str(role_labels.get(roles.get(placement.learner_id, ""), "")),
                placement.suggested_group,
            )
        )
    for task in GroupTask.objects.filter(group__grouping=grouping).select_related("competency"):
        groups[task.group_id].tasks.append(task)
    placed = {p.learner_id for p in placements}
    asked = set(EvidenceCheck.objects.filter(grouping=grouping).values_list("learner_id", flat=True))
    moving = {int(m.learner) for m in suggestion.moves}
    not_placed = []
    for learner in evidence.learners:
        user = evidence.users[learner.learner]
        if user.pk in placed or user.pk in moving:
            continue
        answers = sum(learner.attempts.get(code, 0) for code in evidence.rules.competencies)
        reason = {
            "code": "not_enough_evidence",
            "values": {"answers": answers, "needed": evidence.rules.min_evidence},
        }
        not_placed.append(
            NotPlacedView(
                user, evidence.names[learner.learner], _sentences([reason], evidence)[0], user.pk in asked
            )
        )
    moves = [
        MoveView(
            learner_id=int(m.learner),
            name=evidence.names.get(m.learner, m.learner),
            from_group=suggestion.groups.get(m.from_group),
            to_group=suggestion.groups[m.to_group],
            percent_then=None if m.score_then is None else round(m.score_then * 100),
            percent_now=round(m.score_now * 100),
            reasons=_sentences([{"code": r.code, "values": dict(r.values)} for r in m.reasons], evidence),
        )
        for m in suggestion.moves
    ]
    apart = [
        (
            pair,
            evidence.names.get(learner_key(pair.learner_a_id), "?"),
            evidence.names.get(learner_key(pair.learner_b_id), "?"),
        )
        for pair in KeepApart.objects.filter(school_class=grouping.school_class)
    ]
    return GroupingView(
        grouping=grouping,
        competencies=list(grouping.competencies.order_by("position", "pk")),
        groups=list(groups.values()),
        not_placed=not_placed,
        moves=moves,
        apart=apart,
        history=list(grouping.regroupings.select_related("decided_by")[:20]),
    )


@dataclass
class TaskWork:
    learner: User
    submission: TaskSubmission | None
    feedback: list[TaskFeedback]


def task_work(task: GroupTask) -> list[TaskWork]:
    """For the task's page: every learner who was ever in its group, with their work and feedback (work
    handed in before a regrouping stays with the learner)."""
    submissions = {s.learner_id: s for s in task.submissions.all()}
    feedback: dict[int, list[TaskFeedback]] = {}
    for item in task.feedback.select_related("author"):
        feedback.setdefault(item.learner_id, []).append(item)
    learners = task_learners(task)
    return [TaskWork(u, submissions.get(u.pk), feedback.get(u.pk, [])) for u in learners]


# --- a learner's own groups ----------------------------------------------------------------------


@dataclass
class MyTask:
    task: GroupTask
    submission: TaskSubmission | None
    feedback: list[TaskFeedback]
    current: bool  # a task of the learner's group now (else: work kept from a former group)


@dataclass
class MyGroup:
    grouping: Grouping
    group: Group
    role: str
    members: list[tuple[str, str]]  # name, role
    tasks: list[MyTask]


@dataclass
class MyGroups:
    groups: list[MyGroup]
    checks: list[tuple[EvidenceCheck, list[Competency]]]
    earlier_work: list[MyTask]


def _learning_classes(user: User) -> QuerySet[SchoolClass]:
    still_learner = Membership.objects.filter(
        user=user, school=OuterRef("school_id"), role=Membership.Role.LEARNER
    )
    return SchoolClass.objects.filter(enrolments__learner=user).filter(Exists(still_learner))


def my_task(user: User, task_id: int) -> GroupTask | None:
    """A task of a group the learner is or was in, in a class they still learn in."""
    return (
        GroupTask.objects.filter(
            pk=task_id,
            group__placements__learner=user,
            group__grouping__school_class__in=_learning_classes(user),
        )
        .select_related("group")
        .distinct()
        .first()
    )


def my_groups(user: User) -> MyGroups:
    """The learner's groups now (objective, role, members and their roles, tasks with resources, their
    work and the teacher's feedback), checks asked of them, and their work kept from former groups. Nothing
    about other groups."""
    classes = _learning_classes(user)
    placements = list(
        Placement.objects.filter(learner=user, ended_at__isnull=True, grouping__school_class__in=classes)
        .select_related("grouping__school_class", "group")
        .order_by("-placed_at", "-pk")
    )
    group_ids = [p.group_id for p in placements]
    role_labels = dict(GroupRole.Role.choices)
    members: dict[int, list[tuple[str, str]]] = {g: [] for g in group_ids}
    roles = {(r.group_id, r.learner_id): r.role for r in GroupRole.objects.filter(group_id__in=group_ids)}
    for other in Placement.objects.filter(group_id__in=group_ids, ended_at__isnull=True).select_related(
        "learner"
    ):
        role = roles.get((other.group_id, other.learner_id), "")
        members[other.group_id].append((other.learner.name, str(role_labels.get(role, ""))))
    submissions = {s.task_id: s for s in TaskSubmission.objects.filter(learner=user)}
    feedback: dict[int, list[TaskFeedback]] = {}
    for item in TaskFeedback.objects.filter(learner=user).select_related("author"):
        feedback.setdefault(item.task_id, []).append(item)
    tasks = (
        GroupTask.objects.filter(group_id__in=group_ids)
        .prefetch_related(Prefetch("resources", queryset=Resource.objects.order_by("title")))
        .select_related("competency")
    )
    by_group: dict[int, list[MyTask]] = {g: [] for g in group_ids}
    for task in tasks:
        by_group[task.group_id].append(
            MyTask(task, submissions.get(task.pk), feedback.get(task.pk, []), True)
        )
    groups = [
        MyGroup(
            p.grouping,
            p.group,
            str(role_labels.get(roles.get((p.group_id, user.pk), ""), "")),
            sorted(members[p.group_id]),
            by_group[p.group_id],
        )
        for p in placements
    ]
    earlier_ids = set(submissions) | set(feedback)
    earlier = [
        MyTask(task, submissions.get(task.pk), feedback.get(task.pk, []), False)
        for task in GroupTask.objects.filter(pk__in=earlier_ids, group__grouping__school_class__in=classes)
        .exclude(group_id__in=group_ids)
        .select_related("competency")
    ]
    checks = [
        (check, list(check.grouping.competencies.order_by("position", "pk")))
        for check in EvidenceCheck.objects.filter(learner=user, grouping__school_class__in=classes)
        .exclude(grouping__placements__learner=user, grouping__placements__ended_at__isnull=True)
        .select_related("grouping")
    ]
    return MyGroups(groups, checks, earlier)
