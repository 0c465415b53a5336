"""API for differentiation: a class's groupings for its teachers (make, read, place, regroup, keep apart,
tasks, roles, feedback, evidence checks) and the learner's own groups and work. Same services and rules as
the pages; a class the user does not teach answers 404."""

from __future__ import annotations

import datetime
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tessera.curriculum.models import Competency, Resource
from tessera.differentiation import permissions as perms
from tessera.differentiation import selectors, services
from tessera.differentiation.models import Group, Grouping, GroupRole, GroupTask
from tessera.schools.errors import NotFound
from tessera.schools.models import SchoolClass, User

router = Router(tags=["differentiation"])
ID = Field(ge=1, le=2**62)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _taught_class(request: HttpRequest, class_id: int) -> SchoolClass:
    access = selectors.class_access(_user(request), class_id)
    if access is None or not access.teaches:
        raise NotFound(
            _("There is no class %(id)s that you teach.") % {"id": class_id}, code="schools.class_not_found"
        )
    return access.school_class


def _grouping(request: HttpRequest, grouping_id: int) -> Grouping:
    grouping = (
        perms.groupings_managed_by(_user(request))
        .filter(pk=grouping_id)
        .select_related("school_class", "school")
        .first()
    )
    if grouping is None:
        raise NotFound(
            _("There is no grouping %(id)s in a class you teach.") % {"id": grouping_id},
            code="differentiation.grouping_not_found",
        )
    return grouping


def _group(request: HttpRequest, group_id: int) -> Group:
    group = (
        perms.groups_managed_by(_user(request))
        .filter(pk=group_id)
        .select_related("grouping__school_class")
        .first()
    )
    if group is None:
        raise NotFound(
            _("There is no group %(id)s in a class you teach.") % {"id": group_id},
            code="differentiation.group_not_found",
        )
    return group


def _task(request: HttpRequest, task_id: int) -> GroupTask:
    task = selectors.task_for(_user(request), task_id)
    if task is None:
        raise NotFound(
            _("There is no group task %(id)s in a class you teach.") % {"id": task_id},
            code="differentiation.task_not_found",
        )
    return task


def _class_learner(school_class: SchoolClass, learner_id: int) -> User:
    learner = selectors.class_learners(school_class).filter(pk=learner_id).first()
    if learner is None:
        raise NotFound(
            _("There is no learner %(id)s in this class.") % {"id": learner_id},
            code="differentiation.learner_not_found",
        )
    return learner


def _competencies(school_class: SchoolClass, ids: list[int]) -> list[Competency]:
    found = list(selectors.competencies_for_class(school_class).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound(
            _("Some of those competencies are not in a framework of this school."),
            code="differentiation.competency_not_found",
        )
    return found


def _resources(school_class: SchoolClass, ids: list[int]) -> list[Resource]:
    found = list(selectors.resources_for_class(school_class).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound(
            _("Some of those resources are not in a framework of this school."),
            code="differentiation.resource_not_found",
        )
    return found


# --- schemas -------------------------------------------------------------------------------------


class GroupingIn(Schema):
    objective: str = Field(min_length=1, max_length=200)
    competency_ids: list[int] = Field(min_length=1, max_length=50)
    group_count: int | None = Field(default=None, ge=1, le=12, description="Give this or max_size.")
    max_size: int | None = Field(default=None, ge=1, le=100)


class GroupingSummaryOut(Schema):
    id: int
    objective: str
    competency_ids: list[int]
    group_count: int
    placed: int
    created_at: datetime.datetime


class PlacementOut(Schema):
    learner_id: int
    name: str
    source: str = Field(description="data, teacher (moved by hand) or pinned.")
    reasons: list[str] = Field(description="Why, from the evidence, in the reader's language.")
    suggested_group_id: int | None = Field(description="For a teacher's placement: the evidence's group.")
    role: str


class TaskOut(Schema):
    id: int
    title: str
    tier: str
    competency_id: int
    starts_on: datetime.date
    due_on: datetime.date
    check_questions: int
    check_minutes: int


class GroupOut(Schema):
    id: int
    name: str
    objective: str
    resource_ids: list[int]
    placements: list[PlacementOut]
    tasks: list[TaskOut]


class MoveOut(Schema):
    learner_id: int
    name: str
    from_group_id: int | None
    to_group_id: int
    percent_then: int | None
    percent_now: int
    reasons: list[str]


class NotPlacedOut(Schema):
    learner_id: int
    name: str
    reason: str
    check_requested: bool


class GroupingOut(Schema):
    id: int
    class_id: int
    objective: str
    competency_ids: list[int]
    groups: list[GroupOut]
    not_enough_evidence: list[NotPlacedOut]
    suggested_moves: list[MoveOut]


class PlacementIn(Schema):
    learner_id: int = ID
    group_id: int = ID
    pin: bool = False


class ReleaseIn(Schema):
    learner_id: int = ID


class GroupPlanIn(Schema):
    objective: str = Field(default="", max_length=200, description="Empty: the grouping's objective.")
    resource_ids: list[int] = Field(default_factory=list, max_length=50)


class RegroupingIn(Schema):
    accept_learner_ids: list[int] = Field(
        default_factory=list,
        max_length=500,
        description="Learners whose proposed move to make; others are declined.",
    )


class RegroupingOut(Schema):
    id: int
    decision: str
    moved: int
    declined: int


class KeepApartIn(Schema):
    learner_id: int = ID
    other_id: int = ID


class KeepApartOut(Schema):
    id: int
    learner_ids: list[int]


class ChecksIn(Schema):
    learner_ids: list[int] = Field(min_length=1, max_length=500)


class ChecksOut(Schema):
    asked: int


class TaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    instructions: str = Field(min_length=1, max_length=4000)
    tier: str = Field(default=GroupTask.Tier.CORE, description=f"One of {', '.join(GroupTask.Tier.values)}.")
    competency_id: int = ID
    starts_on: datetime.date
    due_on: datetime.date
    check_questions: int = Field(default=5, ge=0, le=20)
    check_minutes: int = Field(default=10, ge=1, le=120)
    resource_ids: list[int] = Field(default_factory=list, max_length=50)


class RoleIn(Schema):
    learner_id: int = ID
    role: str = Field(default="", description=f"One of {', '.join(GroupRole.Role.values)}; empty: no role.")


class RoleOut(Schema):
    learner_id: int
    role: str


class FeedbackIn(Schema):
    learner_id: int = ID
    text: str = Field(min_length=1, max_length=4000)
    client_id: uuid.UUID | None = Field(
        default=None, description="Sending it again with the same id stores it once."
    )


class FeedbackOut(Schema):
    id: int
    learner_id: int
    text: str
    created_at: datetime.datetime


class SubmissionIn(Schema):
    text: str = Field(min_length=1, max_length=4000)


class SubmissionOut(Schema):
    task_id: int
    text: str
    submitted_at: datetime.datetime


class MyTaskOut(Schema):
    task: TaskOut
    instructions: str
    resources: list[str]
    my_work: str | None
    feedback: list[str]


class MyGroupOut(Schema):
    grouping_id: int
    objective: str
    group_id: int
    group: str
    my_role: str
    members: list[tuple[str, str]] = Field(description="Name and role of each member.")
    tasks: list[MyTaskOut]


# --- endpoints -----------------------------------------------------------------------------------


def _task_out(task: GroupTask) -> TaskOut:
    return TaskOut(
        id=task.pk,
        title=task.title,
        tier=task.tier,
        competency_id=task.competency_id,
        starts_on=task.starts_on,
        due_on=task.due_on,
        check_questions=task.check_questions,
        check_minutes=task.check_minutes,
    )


def _grouping_out(grouping: Grouping) -> GroupingOut:
    view = selectors.grouping_view(grouping)
    return GroupingOut(
        id=grouping.pk,
        class_id=grouping.school_class_id,
        objective=grouping.objective,
        competency_ids=[c.pk for c in view.competencies],
        groups=[
            GroupOut(
                id=g.group.pk,
                name=g.group.name,
                objective=g.group.objective or grouping.objective,
                resource_ids=[r.pk for r in g.group.resources.all()],
                placements=[
                    PlacementOut(
                        learner_id=p.placement.learner_id,
                        name=p.name,
                        source=p.placement.source,
                        reasons=p.reasons,
                        suggested_group_id=p.suggested.pk if p.suggested else None,
                        role=p.role,
                    )
                    for p in g.placements
                ],
                tasks=[_task_out(t) for t in g.tasks],
            )
            for g in view.groups
        ],
        not_enough_evidence=[
            NotPlacedOut(
                learner_id=n.learner.pk, name=n.name, reason=n.reason, check_requested=n.check_requested
            )
            for n in view.not_placed
        ],
        suggested_moves=[
            MoveOut(
                learner_id=m.learner_id,
                name=m.name,
                from_group_id=m.from_group.pk if m.from_group else None,
                to_group_id=m.to_group.pk,
                percent_then=m.percent_then,
                percent_now=m.percent_now,
                reasons=m.reasons,
            )
            for m in view.moves
        ],
    )


@router.get(
    "/classes/{class_id}/groupings",
    response=list[GroupingSummaryOut],
    summary="A class's groupings (its teachers)",
)
def groupings_list(request: HttpRequest, class_id: int) -> list[GroupingSummaryOut]:
    school_class = _taught_class(request, class_id)
    return [
        GroupingSummaryOut(
            id=g.pk,
            objective=g.objective,
            competency_ids=[c.pk for c in g.competencies.all()],
            group_count=g.group_total,  # type: ignore[attr-defined]
            placed=g.placed,  # type: ignore[attr-defined]
            created_at=g.created_at,
        )
        for g in selectors.groupings_of_class(_user(request), school_class)
    ]


@router.post(
    "/classes/{class_id}/groupings",
    response={201: GroupingOut},
    summary="Make flexible groups for an objective from the learners' mastery (its teachers)",
)
def grouping_create(request: HttpRequest, class_id: int, payload: GroupingIn) -> Status[GroupingOut]:
    school_class = _taught_class(request, class_id)
    grouping = services.grouping_create(
        actor=_user(request),
        school_class=school_class,
        objective=payload.objective,
        competencies=_competencies(school_class, payload.competency_ids),
        group_count=payload.group_count,
        max_size=payload.max_size,
    )
    return Status(201, _grouping_out(grouping))


@router.get(
    "/groupings/{grouping_id}", response=GroupingOut, summary="A grouping: groups, reasons, suggestion"
)
def grouping_read(request: HttpRequest, grouping_id: int) -> GroupingOut:
    return _grouping_out(_grouping(request, grouping_id))


@router.post("/groupings/{grouping_id}/placements", response=GroupingOut, summary="Move or pin a learner")
def placement_set(request: HttpRequest, grouping_id: int, payload: PlacementIn) -> GroupingOut:
    grouping = _grouping(request, grouping_id)
    group = _group(request, payload.group_id)
    services.placement_set(
        actor=_user(request),
        grouping=grouping,
        learner=_class_learner(grouping.school_class, payload.learner_id),
        group=group,
        pin=payload.pin,
    )
    return _grouping_out(grouping)


@router.post(
    "/groupings/{grouping_id}/placements/release",
    response=GroupingOut,
    summary="Undo a pin or a move: back to the group the evidence suggests",
)
def placement_release(request: HttpRequest, grouping_id: int, payload: ReleaseIn) -> GroupingOut:
    grouping = _grouping(request, grouping_id)
    learner = _class_learner(grouping.school_class, payload.learner_id)
    services.placement_release(actor=_user(request), grouping=grouping, learner=learner)
    return _grouping_out(grouping)


@router.post(
    "/groupings/{grouping_id}/regrouping", response=RegroupingOut, summary="Decide the suggested regrouping"
)
def regrouping_decide(request: HttpRequest, grouping_id: int, payload: RegroupingIn) -> RegroupingOut:
    grouping = _grouping(request, grouping_id)
    decided = services.regrouping_decide(
        actor=_user(request), grouping=grouping, accepted=payload.accept_learner_ids
    )
    moved = sum(1 for m in decided.moves if m["accepted"])
    return RegroupingOut(
        id=decided.pk, decision=decided.decision, moved=moved, declined=len(decided.moves) - moved
    )


@router.post("/groupings/{grouping_id}/checks", response=ChecksOut, summary="Ask learners for a short check")
def checks_request(request: HttpRequest, grouping_id: int, payload: ChecksIn) -> ChecksOut:
    grouping = _grouping(request, grouping_id)
    learners = [_class_learner(grouping.school_class, pk) for pk in payload.learner_ids]
    return ChecksOut(
        asked=services.evidence_check_request(actor=_user(request), grouping=grouping, learners=learners)
    )


@router.post(
    "/classes/{class_id}/keep-apart",
    response={201: KeepApartOut},
    summary="Never group two learners together",
)
def keep_apart_add(request: HttpRequest, class_id: int, payload: KeepApartIn) -> Status[KeepApartOut]:
    school_class = _taught_class(request, class_id)
    pair = services.keep_apart_add(
        actor=_user(request),
        school_class=school_class,
        learner=_class_learner(school_class, payload.learner_id),
        other=_class_learner(school_class, payload.other_id),
    )
    return Status(201, KeepApartOut(id=pair.pk, learner_ids=[pair.learner_a_id, pair.learner_b_id]))


@router.post(
    "/keep-apart/{pair_id}/remove", response={204: None}, summary="Allow two learners together again"
)
def keep_apart_remove(request: HttpRequest, pair_id: int) -> Status[None]:
    pair = selectors.keep_apart_pair_for(_user(request), pair_id)
    if pair is None:
        raise NotFound(
            _("There is no keep-apart pair %(id)s in a class you teach.") % {"id": pair_id},
            code="differentiation.pair_not_found",
        )
    services.keep_apart_remove(actor=_user(request), pair=pair)
    return Status(204, None)


@router.post("/groups/{group_id}/plan", response=GroupOut, summary="A group's own objective and resources")
def group_plan(request: HttpRequest, group_id: int, payload: GroupPlanIn) -> GroupOut:
    group = _group(request, group_id)
    services.group_update(
        actor=_user(request),
        group=group,
        objective=payload.objective,
        resources=_resources(group.grouping.school_class, payload.resource_ids),
    )
    view = next(g for g in _grouping_out(group.grouping).groups if g.id == group.pk)
    return view


@router.post("/groups/{group_id}/tasks", response={201: TaskOut}, summary="Give a group a tiered task")
def task_create(request: HttpRequest, group_id: int, payload: TaskIn) -> Status[TaskOut]:
    group = _group(request, group_id)
    school_class = group.grouping.school_class
    competency = _competencies(school_class, [payload.competency_id])[0]
    task = services.task_create(
        actor=_user(request),
        group=group,
        title=payload.title,
        instructions=payload.instructions,
        tier=payload.tier,
        competency=competency,
        starts_on=payload.starts_on,
        due_on=payload.due_on,
        check_questions=payload.check_questions,
        check_minutes=payload.check_minutes,
        resources=_resources(school_class, payload.resource_ids),
    )
    return Status(201, _task_out(task))


@router.post("/groups/{group_id}/roles", response=RoleOut, summary="Give a member of the group a role")
def role_assign(request: HttpRequest, group_id: int, payload: RoleIn) -> RoleOut:
    group = _group(request, group_id)
    learner = _class_learner(group.grouping.school_class, payload.learner_id)
    services.role_assign(actor=_user(request), group=group, learner=learner, role=payload.role)
    return RoleOut(learner_id=learner.pk, role=payload.role)


@router.post(
    "/group-tasks/{task_id}/feedback", response={201: FeedbackOut}, summary="Comment on a learner's work"
)
def feedback_give(request: HttpRequest, task_id: int, payload: FeedbackIn) -> Status[FeedbackOut]:
    task = _task(request, task_id)
    learner = _class_learner(task.group.grouping.school_class, payload.learner_id)
    feedback = services.feedback_give(
        actor=_user(request), task=task, learner=learner, text=payload.text, token=payload.client_id
    )
    return Status(
        201,
        FeedbackOut(
            id=feedback.pk, learner_id=learner.pk, text=feedback.text, created_at=feedback.created_at
        ),
    )


@router.post("/me/group-tasks/{task_id}/work", response=SubmissionOut, summary="Hand in (or revise) my work")
def submission_save(request: HttpRequest, task_id: int, payload: SubmissionIn) -> SubmissionOut:
    user = _user(request)
    task = selectors.my_task(user, task_id)
    if task is None:
        raise NotFound(
            _("There is no task %(id)s of a group you were in.") % {"id": task_id},
            code="differentiation.task_not_found",
        )
    saved = services.submission_save(learner=user, task=task, text=payload.text)
    return SubmissionOut(task_id=task.pk, text=saved.text, submitted_at=saved.submitted_at)


@router.get("/me/groups", response=list[MyGroupOut], summary="My groups, roles, tasks and feedback")
def my_groups(request: HttpRequest) -> list[MyGroupOut]:
    mine = selectors.my_groups(_user(request))
    return [
        MyGroupOut(
            grouping_id=g.grouping.pk,
            objective=g.group.objective or g.grouping.objective,
            group_id=g.group.pk,
            group=g.group.name,
            my_role=g.role,
            members=g.members,
            tasks=[
                MyTaskOut(
                    task=_task_out(t.task),
                    instructions=t.task.instructions,
                    resources=[r.title for r in t.task.resources.all()],
                    my_work=t.submission.text if t.submission else None,
                    feedback=[f.text for f in t.feedback],
                )
                for t in g.tasks
            ],
        )
        for g in mine.groups
    ]
