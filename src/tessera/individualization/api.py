"""API for individualization: a learner's evaluations (and their files), team meetings, support plans
(drafted, signed, put in effect), support logs and objective progress, the learner's own supports, and the
audit of who read these records. Same services, permissions and audit as the pages.

Who sees what (:mod:`tessera.individualization.permissions`): the plan team, the learner's guardians and
the school's administrators read the records (``.../plan``); the accommodations to apply
(``.../accommodations``) answer them and every teacher of the learner, on the team or not; anyone else gets
404 (a teacher outside the team too, for the records), so nobody learns that a plan exists. Every read and
write of the records is audited with the client's address.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import File, Query

from tessera.curriculum.models import Competency
from tessera.individualization import audit, selectors, services
from tessera.individualization import permissions as perms
from tessera.individualization.models import (
    LONG_TEXT,
    SHORT_TEXT,
    Accommodation,
    Evaluation,
    EvaluationAttachment,
    PlanMember,
    PlanObjective,
    PlanService,
    RecordRead,
    SupportLog,
    SupportPlan,
    TeamAlert,
    TeamMeeting,
)
from tessera.schools.errors import DomainError, NotFound, PermissionDenied
from tessera.schools.models import Membership, School, User

router = Router(tags=["individualization"])
ID = Field(ge=1, le=2**62)
ATTACHMENT_MEDIA = ("application/pdf", "image/png", "image/jpeg")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _address(request: HttpRequest) -> str | None:
    return audit.client_address(request)


def _learner_not_found(learner_id: int) -> NotFound:
    return NotFound(
        _("There is no learner %(id)s whose records you may see.") % {"id": learner_id},
        code="individualization.learner_not_found",
    )


def _school_learner(school_id: int, learner_id: int) -> tuple[School, User]:
    """The school and one of its learners (404 if either is missing); who may see them is checked by the
    caller."""
    school = School.objects.filter(pk=school_id).first()
    learner = (
        User.objects.filter(
            pk=learner_id, memberships__school_id=school_id, memberships__role=Membership.Role.LEARNER
        ).first()
        if school is not None
        else None
    )
    if school is None or learner is None:
        raise _learner_not_found(learner_id)
    return school, learner


def _readable_learner(request: HttpRequest, school_id: int, learner_id: int) -> tuple[School, User]:
    """A learner whose records the user may read (the team, guardians, administrators), else 404."""
    school, learner = _school_learner(school_id, learner_id)
    if not perms.can_read_records(_user(request), school, learner):
        raise _learner_not_found(learner_id)
    return school, learner


def _require_writer(request: HttpRequest, school: School, learner: User) -> None:
    """403 for a reader of the records who may not change them (before the body's references are
    looked up)."""
    if not perms.can_write_records(_user(request), school, learner):
        raise PermissionDenied(
            _("Only the learner's plan team can change their plan and records."),
            code="individualization.not_on_team",
        )


def _plan(request: HttpRequest, plan_id: int) -> SupportPlan:
    plan = SupportPlan.objects.filter(pk=plan_id).select_related("school", "learner", "amends").first()
    if plan is None or not perms.can_read_records(_user(request), plan.school, plan.learner):
        raise NotFound(
            _("There is no plan %(id)s that you may see.") % {"id": plan_id},
            code="individualization.plan_not_found",
        )
    return plan


def _people(school: School, learner: User, ids: set[int]) -> dict[int, User]:
    """Members of the school, and the learner's guardians there, by id (404 if one is neither)."""
    found = {
        u.pk: u
        for u in User.objects.filter(pk__in=ids)
        .filter(
            Q(memberships__school=school)
            | Q(
                guardianships__school=school,
                guardianships__learner=learner,
                guardianships__revoked_at__isnull=True,
            )
        )
        .distinct()
    }
    if set(found) != ids:
        raise NotFound(
            _("Some of those people are not members of this school or guardians of the learner."),
            code="individualization.person_not_found",
        )
    return found


def _competencies(school: School, ids: set[int]) -> dict[int, Competency]:
    found = {
        c.pk: c
        for c in Competency.objects.filter(pk__in=ids).filter(Q(school=school) | Q(school__isnull=True))
    }
    if set(found) != ids:
        raise NotFound(
            _("Some of those competencies are not in a framework of this school."),
            code="individualization.competency_not_found",
        )
    return found


# --- schemas -------------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int = Field(description="In bytes. The file itself: GET /api/evaluation-attachments/{id}.")


class EvaluationOut(Schema):
    id: int
    kind: str
    evaluated_on: datetime.date
    evaluator_id: int
    evaluator: str
    areas: list[str]
    findings: str
    recommendations: str
    attachments: list[AttachmentOut]


class MeetingOut(Schema):
    id: int
    held_on: datetime.date
    participants: str
    decisions: str
    recorded_by: str | None


class SignatureOut(Schema):
    user_id: int
    name: str
    role: str
    required: bool
    signed_at: datetime.datetime | None = Field(description="The guardian's signature is their consent.")


class ObjectiveOut(Schema):
    id: int
    area: str
    description: str
    baseline: float
    target: float
    unit: str
    target_date: datetime.date
    measured_how: str
    frequency: str
    competency_id: int | None


class ServiceOut(Schema):
    kind: str
    minutes_per_week: int
    provider_id: int | None
    provider: str | None


class AccommodationOut(Schema):
    kind: str
    label: str
    factor: Decimal | None = Field(description="Extended time: 1.25, 1.5 or 2.")
    options: int | None = Field(description="Fewer answer options: 2 or 3.")
    mode: str
    learner_may_pause: bool


class ModificationOut(Schema):
    description: str
    competency_id: int | None


class PlanOut(Schema):
    id: int
    learner_id: int
    kind: str
    version: int
    status: str = Field(description=f"One of {', '.join(SupportPlan.Status.values)}.")
    amends_id: int | None
    starts_on: datetime.date
    ends_on: datetime.date
    effective_from: datetime.date
    superseded_on: datetime.date | None
    present_levels: str
    change_summary: str
    activated_at: datetime.datetime | None
    signatures: list[SignatureOut]
    objectives: list[ObjectiveOut]
    services: list[ServiceOut]
    accommodations: list[AccommodationOut]
    modifications: list[ModificationOut]


class AlertOut(Schema):
    id: int
    objective_id: int
    objective: str
    points: int = Field(description="How many measures in a row were below the aim line.")
    raised_at: datetime.datetime
    closed_at: datetime.datetime | None = Field(description="Reviewed, or back on track; null while open.")
    reviewed_by_id: int | None = Field(description="Who marked it reviewed; null if the measures closed it.")


class LogOut(Schema):
    id: int
    held_on: datetime.date
    minutes: int
    logged_by_id: int
    logged_by: str
    objective_id: int | None
    what_was_done: str
    notes: str


class SupportOut(Schema):
    kind: str
    value: str = Field(description="Extended time: the factor; fewer options: how many; else the mode.")
    label: str
    learner_may_pause: bool
    paused: bool = Field(description="The learner turned it off for today.")


class RecordsOut(Schema):
    """A learner's records, for the plan team, the learner's guardians and the school's administrators."""

    accommodations: list[SupportOut] = Field(
        description="The supports of the plan in effect today, with those the learner paused."
    )
    plan: PlanOut | None = Field(default=None, description="The version in effect today, if any.")
    versions: list[PlanOut] | None = Field(default=None, description="Every version, the newest first.")
    evaluations: list[EvaluationOut] | None = None
    meetings: list[MeetingOut] | None = None
    logs: list[LogOut] | None = Field(default=None, description="The last 50 support sessions.")
    alerts: list[AlertOut] | None = Field(default=None, description="Objectives off track, not yet reviewed.")


class EvaluationIn(Schema):
    kind: str = Field(description=f"One of {', '.join(Evaluation.Kind.values)}.")
    evaluated_on: datetime.date
    areas: list[str] = Field(max_length=20, description="Area codes: reading, mathematics, attention…")
    findings: str = Field(max_length=LONG_TEXT)
    recommendations: str = Field(default="", max_length=LONG_TEXT)


class MeetingIn(Schema):
    held_on: datetime.date
    participants: str = Field(max_length=LONG_TEXT, description="Who took part, and in what role.")
    decisions: str = Field(max_length=LONG_TEXT)


class ObjectiveIn(Schema):
    area: str
    description: str = Field(max_length=SHORT_TEXT)
    baseline: float | None = Field(default=None, description="Required: where the learner is now.")
    target: float | None = Field(default=None, description="Required: the measurable target.")
    unit: str = Field(default="%", min_length=1, max_length=40)
    target_date: datetime.date | None = Field(default=None, description="Required, within the plan.")
    measured_how: str = Field(max_length=SHORT_TEXT)
    frequency: str = Field(
        default=PlanObjective.Frequency.WEEKLY, description=f"{', '.join(PlanObjective.Frequency.values)}."
    )
    competency_id: int | None = Field(default=None, ge=1, le=2**62)


class AccommodationIn(Schema):
    kind: str = Field(description=f"One of {', '.join(Accommodation.Kind.values)}.")
    factor: Decimal | None = Field(default=None, description="Extended time: 1.25, 1.5 or 2.")
    options: int | None = Field(default=None, description="Fewer answer options: 2 or 3.")
    mode: str = Field(default="", max_length=20, description="Alternative response: how.")
    learner_may_pause: bool = False


class ServiceIn(Schema):
    kind: str = Field(
        default=PlanService.Kind.ONE_ON_ONE, description=f"{', '.join(PlanService.Kind.values)}."
    )
    minutes_per_week: int = Field(ge=1, le=3000)
    provider_id: int | None = Field(default=None, ge=1, le=2**62)


class MemberIn(Schema):
    user_id: int = ID
    role: str = Field(description=f"One of {', '.join(PlanMember.Role.values)}.")
    required: bool = Field(default=True, description="Must sign before the plan takes effect.")


class PlanIn(Schema):
    kind: str = Field(
        default=SupportPlan.Kind.IEP, description=f"One of {', '.join(SupportPlan.Kind.values)}."
    )
    starts_on: datetime.date
    ends_on: datetime.date
    present_levels: str = Field(max_length=LONG_TEXT)
    members: list[MemberIn] = Field(min_length=1, max_length=30)
    objectives: list[ObjectiveIn] = Field(default_factory=list, max_length=30)
    accommodations: list[AccommodationIn] = Field(default_factory=list, max_length=len(Accommodation.Kind))
    services: list[ServiceIn] = Field(default_factory=list, max_length=20)
    modifications: list[str] = Field(
        default_factory=list, max_length=30, description="Changes to what is expected of the learner."
    )
    amends_id: int | None = Field(default=None, ge=1, le=2**62, description="The version this amends.")
    effective_from: datetime.date | None = Field(
        default=None, description="An amendment's first day (today or later); default: starts_on."
    )
    change_summary: str = Field(default="", max_length=LONG_TEXT, description="Required for an amendment.")


class SupportLogIn(Schema):
    held_on: datetime.date
    minutes: int = Field(description="1 to 600.")
    what_was_done: str = Field(max_length=LONG_TEXT)
    notes: str = Field(default="", max_length=LONG_TEXT)
    objective_id: int | None = Field(default=None, ge=1, le=2**62)
    measured: float | None = Field(default=None, description="A measure of the objective (its unit).")


class ProgressPointOut(Schema):
    measured_on: datetime.date
    value: float
    aim: float = Field(description="Where the aim line is on that day.")
    source: str


class ProgressOut(Schema):
    objective: ObjectiveOut
    points: list[ProgressPointOut]


class AuditRowOut(Schema):
    at: datetime.datetime
    learner_id: int
    actor_id: int | None
    actor: str | None
    action: str = Field(description=f"One of {', '.join(RecordRead.Action.values)}.")
    record: str
    address: str | None


class AuditOut(Schema):
    count: int
    items: list[AuditRowOut]


class PauseOut(Schema):
    kind: str
    on: datetime.date


# --- output ----------------------------------------------------------------------------------------


def _objective_out(o: PlanObjective) -> ObjectiveOut:
    return ObjectiveOut(
        id=o.pk,
        area=o.area,
        description=o.description,
        baseline=o.baseline,
        target=o.target,
        unit=o.unit,
        target_date=o.target_date,
        measured_how=o.measured_how,
        frequency=o.frequency,
        competency_id=o.competency_id,
    )


def _plan_out(plan: SupportPlan) -> PlanOut:
    return PlanOut(
        id=plan.pk,
        learner_id=plan.learner_id,
        kind=plan.kind,
        version=plan.version,
        status=plan.status,
        amends_id=plan.amends_id,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        effective_from=plan.effective_from,
        superseded_on=plan.superseded_on,
        present_levels=plan.present_levels,
        change_summary=plan.change_summary,
        activated_at=plan.activated_at,
        signatures=[
            SignatureOut(
                user_id=m.user_id, name=m.user.name, role=m.role, required=m.required, signed_at=m.signed_at
            )
            for m in plan.members.all()
        ],
        objectives=[_objective_out(o) for o in plan.objectives.all()],
        services=[
            ServiceOut(
                kind=s.kind,
                minutes_per_week=s.minutes_per_week,
                provider_id=s.provider_id,
                provider=s.provider.name if s.provider else None,
            )
            for s in plan.services.all()
        ],
        accommodations=[
            AccommodationOut(
                kind=a.kind,
                label=str(a.get_kind_display()),
                factor=a.factor,
                options=a.options,
                mode=a.mode,
                learner_may_pause=a.learner_may_pause,
            )
            for a in plan.accommodations.all()
        ],
        modifications=[
            ModificationOut(description=m.description, competency_id=m.competency_id)
            for m in plan.modifications.all()
        ],
    )


def _evaluation_out(e: Evaluation) -> EvaluationOut:
    return EvaluationOut(
        id=e.pk,
        kind=e.kind,
        evaluated_on=e.evaluated_on,
        evaluator_id=e.evaluator_id,
        evaluator=e.evaluator.name,
        areas=list(e.areas),
        findings=e.findings,
        recommendations=e.recommendations,
        attachments=[_attachment_out(a) for a in e.attachments.all()],
    )


def _attachment_out(a: EvaluationAttachment) -> AttachmentOut:
    return AttachmentOut(id=a.pk, name=a.original_name, content_type=a.content_type, size=a.size)


def _meeting_out(m: TeamMeeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk,
        held_on=m.held_on,
        participants=m.participants,
        decisions=m.decisions,
        recorded_by=m.recorded_by.name if m.recorded_by else None,
    )


def _log_out(log: SupportLog) -> LogOut:
    return LogOut(
        id=log.pk,
        held_on=log.held_on,
        minutes=log.minutes,
        logged_by_id=log.logged_by_id,
        logged_by=log.logged_by.name,
        objective_id=log.objective_id,
        what_was_done=log.what_was_done,
        notes=log.notes,
    )


def _alert_out(alert: TeamAlert) -> AlertOut:
    return AlertOut(
        id=alert.pk,
        objective_id=alert.objective_id,
        objective=alert.objective.description,
        points=alert.points,
        raised_at=alert.raised_at,
        closed_at=alert.closed_at,
        reviewed_by_id=alert.closed_by_id,
    )


def _supports_out(supports: list[selectors.Support]) -> list[SupportOut]:
    return [
        SupportOut(
            kind=s.kind, value=s.value, label=s.label, learner_may_pause=s.learner_may_pause, paused=s.paused
        )
        for s in supports
    ]


# --- a learner's records ---------------------------------------------------------------------------


@router.get(
    "/schools/{school_id}/learners/{learner_id}/plan",
    response=RecordsOut,
    summary="A learner's plan, evaluations, meetings and logs (team, guardians, administrators; audited)",
    description=(
        "For the learner's plan team, guardians and the school's administrators (the read is audited); "
        "anyone else 404, a teacher of the learner who is not on the team too (they read "
        "`/accommodations`)."
    ),
)
def records_read(request: HttpRequest, school_id: int, learner_id: int) -> RecordsOut:
    user = _user(request)
    school, learner = _school_learner(school_id, learner_id)
    records = selectors.records_for(user, school, learner, address=_address(request))
    if records is None:
        raise _learner_not_found(learner_id)
    today = timezone.localdate()
    return RecordsOut(
        accommodations=_supports_out(
            selectors.accommodations_in_force(school, learner, today, with_paused=True)
        ),
        plan=_plan_out(next(v for v in records.versions if v.pk == records.plan.pk))
        if records.plan
        else None,
        versions=[_plan_out(v) for v in records.versions],
        evaluations=[_evaluation_out(e) for e in records.evaluations],
        meetings=[_meeting_out(m) for m in records.meetings],
        logs=[_log_out(log) for log in records.logs],
        alerts=[_alert_out(alert) for alert in records.alerts],
    )


@router.get(
    "/schools/{school_id}/learners/{learner_id}/accommodations",
    response=list[SupportOut],
    summary="A learner's accommodations to apply today (their teachers and the records' readers; audited)",
    description=(
        "The supports of the plan in effect today, without those the learner paused, and nothing else of "
        "the plan: for every teacher of the learner, on the plan team or not, and for those who read the "
        "records (the team, guardians, the school's administrators). The read is audited as "
        "'accommodations to apply'; anyone else 404."
    ),
)
def accommodations_read(request: HttpRequest, school_id: int, learner_id: int) -> list[SupportOut]:
    school, learner = _school_learner(school_id, learner_id)
    supports = selectors.accommodations_to_apply(_user(request), school, learner, address=_address(request))
    if supports is None:
        raise _learner_not_found(learner_id)
    return _supports_out(supports)


@router.post(
    "/schools/{school_id}/learners/{learner_id}/evaluations",
    response={201: EvaluationOut},
    summary="Record an evaluation (a specialist assigned to the learner, or an administrator)",
)
def evaluation_record(
    request: HttpRequest, school_id: int, learner_id: int, payload: EvaluationIn
) -> Status[EvaluationOut]:
    school, learner = _readable_learner(request, school_id, learner_id)
    evaluation = services.evaluation_record(
        actor=_user(request),
        school=school,
        learner=learner,
        kind=payload.kind,
        evaluated_on=payload.evaluated_on,
        areas=payload.areas,
        findings=payload.findings,
        recommendations=payload.recommendations,
        address=_address(request),
    )
    return Status(201, _evaluation_out(evaluation))


@router.post(
    "/evaluations/{evaluation_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a PDF, PNG or JPEG to an evaluation (the plan team)",
    description="Multipart, the file in the field `file`; checked by its bytes and its size.",
)
def attachment_add(
    request: HttpRequest,
    evaluation_id: int,
    file: UploadedFile | None = File(None, description="A PDF, PNG or JPEG file."),  # noqa: B008
) -> Status[AttachmentOut]:
    evaluation = Evaluation.objects.filter(pk=evaluation_id).select_related("school", "learner").first()
    if evaluation is None or not perms.can_read_records(
        _user(request), evaluation.school, evaluation.learner
    ):
        raise NotFound(
            _("There is no evaluation %(id)s that you may see.") % {"id": evaluation_id},
            code="individualization.evaluation_not_found",
        )
    _require_writer(request, evaluation.school, evaluation.learner)
    if file is None:
        raise DomainError(
            _("Attach the file as the multipart field “file”."), code="individualization.attachment_missing"
        )
    attachment = services.attachment_add(
        actor=_user(request), evaluation=evaluation, upload=file, address=_address(request)
    )
    return Status(201, _attachment_out(attachment))


@router.get(
    "/evaluation-attachments/{attachment_id}",
    response={200: None},
    summary="An evaluation's file (those who read the learner's records; audited)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file.",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}} for media in ATTACHMENT_MEDIA
                },
            }
        }
    },
)
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    user = _user(request)
    attachment = (
        EvaluationAttachment.objects.filter(pk=attachment_id)
        .select_related("school", "evaluation__learner")
        .first()
    )
    if attachment is None or not perms.can_read_records(
        user, attachment.school, attachment.evaluation.learner
    ):
        raise NotFound(
            _("There is no attachment %(id)s that you may see.") % {"id": attachment_id},
            code="individualization.attachment_not_found",
        )
    path = Path(services.attachments_folder()) / attachment.stored_name
    if not path.is_file():
        raise NotFound(
            _("The file of attachment %(id)s is missing on the server.") % {"id": attachment_id},
            code="individualization.attachment_file_missing",
        )
    audit.record_access(
        school=attachment.school,
        learner=attachment.evaluation.learner,
        actor=user,
        action=audit.Action.DOWNLOADED,
        record=f"attachment {attachment.pk} of evaluation {attachment.evaluation_id}",
        address=_address(request),
    )
    response = FileResponse(
        path.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/schools/{school_id}/learners/{learner_id}/meetings",
    response={201: MeetingOut},
    summary="Record a team meeting (the plan team, administrators)",
)
def meeting_record(
    request: HttpRequest, school_id: int, learner_id: int, payload: MeetingIn
) -> Status[MeetingOut]:
    school, learner = _readable_learner(request, school_id, learner_id)
    meeting = services.meeting_record(
        actor=_user(request),
        school=school,
        learner=learner,
        held_on=payload.held_on,
        participants=payload.participants,
        decisions=payload.decisions,
        address=_address(request),
    )
    return Status(201, _meeting_out(meeting))


# --- plans -----------------------------------------------------------------------------------------


def _content(school: School, learner: User, payload: PlanIn) -> services.PlanContent:
    for member in payload.members:
        if member.role not in PlanMember.Role.values:
            raise DomainError(
                _("A member's role is one of: %(roles)s.") % {"roles": ", ".join(PlanMember.Role.values)},
                code="individualization.unknown_member_role",
            )
    for service in payload.services:
        if service.kind not in PlanService.Kind.values:
            raise DomainError(
                _("A service is one of: %(kinds)s.") % {"kinds": ", ".join(PlanService.Kind.values)},
                code="individualization.unknown_service",
            )
    people = _people(
        school,
        learner,
        {m.user_id for m in payload.members} | {s.provider_id for s in payload.services if s.provider_id},
    )
    if len({m.user_id for m in payload.members}) != len(payload.members):
        raise DomainError(
            _("Each member appears once in a plan's team."), code="individualization.member_twice"
        )
    competencies = _competencies(school, {o.competency_id for o in payload.objectives if o.competency_id})
    return services.PlanContent(
        present_levels=payload.present_levels,
        members=[services.MemberSpec(people[m.user_id], m.role, m.required) for m in payload.members],
        objectives=[
            services.ObjectiveSpec(
                area=o.area,
                description=o.description,
                baseline=o.baseline,
                target=o.target,
                target_date=o.target_date,
                measured_how=o.measured_how,
                unit=o.unit,
                frequency=o.frequency,
                competency=competencies[o.competency_id] if o.competency_id else None,
            )
            for o in payload.objectives
        ],
        accommodations=[
            services.AccommodationSpec(
                kind=a.kind,
                factor=a.factor,
                options=a.options,
                mode=a.mode,
                learner_may_pause=a.learner_may_pause,
            )
            for a in payload.accommodations
        ],
        services=[
            services.ServiceSpec(
                minutes_per_week=s.minutes_per_week,
                provider=people[s.provider_id] if s.provider_id else None,
                kind=s.kind,
            )
            for s in payload.services
        ],
        modifications=list(payload.modifications),
    )


def _plan_with_content(plan: SupportPlan) -> SupportPlan:
    return (
        SupportPlan.objects.filter(pk=plan.pk)
        .prefetch_related(
            "members__user", "objectives", "accommodations", "services__provider", "modifications"
        )
        .get()
    )


@router.post(
    "/schools/{school_id}/learners/{learner_id}/plans",
    response={201: PlanOut},
    summary="Draft a plan, or an amendment of one (the plan team, administrators)",
    description=(
        "The draft changes nothing until every required member has signed it. An amendment (`amends_id`) "
        "takes effect from its own `effective_from` (today or later), with a `change_summary`."
    ),
)
def plan_draft(request: HttpRequest, school_id: int, learner_id: int, payload: PlanIn) -> Status[PlanOut]:
    school, learner = _readable_learner(request, school_id, learner_id)
    _require_writer(request, school, learner)
    amends = None
    if payload.amends_id is not None:
        amends = SupportPlan.objects.filter(pk=payload.amends_id, school=school, learner=learner).first()
        if amends is None:
            raise NotFound(
                _("There is no plan %(id)s of this learner to amend.") % {"id": payload.amends_id},
                code="individualization.plan_not_found",
            )
    plan = services.plan_draft(
        actor=_user(request),
        school=school,
        learner=learner,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        content=_content(school, learner, payload),
        amends=amends,
        effective_from=payload.effective_from,
        change_summary=payload.change_summary,
        address=_address(request),
    )
    return Status(201, _plan_out(_plan_with_content(plan)))


@router.post(
    "/plans/{plan_id}/sign",
    response=PlanOut,
    summary="Sign a plan (its team members; a guardian's signature is their consent)",
    description="The last required signature puts the plan in effect.",
)
def plan_sign(request: HttpRequest, plan_id: int) -> PlanOut:
    plan = services.plan_sign(actor=_user(request), plan=_plan(request, plan_id), address=_address(request))
    return _plan_out(_plan_with_content(plan))


@router.post(
    "/plans/{plan_id}/activate",
    response=PlanOut,
    summary="Put a plan in effect (the plan team; refused until every required member signed)",
)
def plan_activate(request: HttpRequest, plan_id: int) -> PlanOut:
    plan = services.plan_activate(actor=_user(request), plan=_plan(request, plan_id))
    return _plan_out(_plan_with_content(plan))


@router.post(
    "/alerts/{alert_id}/review",
    response=AlertOut,
    summary="Mark an off-track objective's alert as reviewed (the plan team; again: unchanged)",
)
def alert_review(request: HttpRequest, alert_id: int) -> AlertOut:
    user = _user(request)
    alert = TeamAlert.objects.filter(pk=alert_id).select_related("school", "learner", "objective").first()
    if alert is None or not perms.can_read_records(user, alert.school, alert.learner):
        raise NotFound(
            _("There is no alert %(id)s that you may see.") % {"id": alert_id},
            code="individualization.alert_not_found",
        )
    return _alert_out(services.alert_review(actor=user, alert=alert, address=_address(request)))


# --- support logs and progress ---------------------------------------------------------------------


@router.post(
    "/schools/{school_id}/learners/{learner_id}/support-logs",
    response={201: LogOut},
    summary="Log a one-on-one session (staff assigned to the learner, and their teachers)",
    description=(
        "With `objective_id` and `measured`, the measure is a data point of the objective. Staff of the "
        "school who are not assigned to the learner are refused (403); anyone else 404."
    ),
)
def support_log_add(
    request: HttpRequest, school_id: int, learner_id: int, payload: SupportLogIn
) -> Status[LogOut]:
    user = _user(request)
    school, learner = _school_learner(school_id, learner_id)
    staff = Membership.objects.filter(school=school, user=user).exclude(role=Membership.Role.LEARNER).exists()
    if not (
        staff or perms.can_log_support(user, school, learner) or perms.can_read_records(user, school, learner)
    ):
        raise _learner_not_found(learner_id)
    objective = None
    if payload.objective_id is not None and perms.can_log_support(user, school, learner):
        objective = (
            PlanObjective.objects.filter(pk=payload.objective_id, school=school, plan__learner=learner)
            .select_related("plan", "school")
            .first()
        )
        if objective is None:
            raise NotFound(
                _("There is no objective %(id)s in this learner's plan.") % {"id": payload.objective_id},
                code="individualization.objective_not_found",
            )
    log = services.support_log_add(
        actor=user,
        school=school,
        learner=learner,
        held_on=payload.held_on,
        minutes=payload.minutes,
        what_was_done=payload.what_was_done,
        objective=objective,
        measured=payload.measured,
        notes=payload.notes,
        address=_address(request),
    )
    return Status(201, _log_out(log))


@router.get(
    "/objectives/{objective_id}/progress",
    response=ProgressOut,
    summary="An individual objective's data points against its aim line (audited)",
)
def objective_progress(request: HttpRequest, objective_id: int) -> ProgressOut:
    user = _user(request)
    objective = (
        PlanObjective.objects.filter(pk=objective_id).select_related("plan__learner", "plan__school").first()
    )
    if objective is None or not perms.can_read_records(user, objective.plan.school, objective.plan.learner):
        raise NotFound(
            _("There is no objective %(id)s that you may see.") % {"id": objective_id},
            code="individualization.objective_not_found",
        )
    audit.record_access(
        school=objective.plan.school,
        learner=objective.plan.learner,
        actor=user,
        action=audit.Action.READ,
        record=f"objective {objective.pk} progress",
        address=_address(request),
    )
    return ProgressOut(
        objective=_objective_out(objective),
        points=[
            ProgressPointOut(measured_on=p.measured_on, value=p.value, aim=p.aim, source=p.source)
            for p in selectors.objective_progress(objective)
        ],
    )


# --- the learner's own supports --------------------------------------------------------------------


def _my_school(request: HttpRequest, school_id: int) -> School:
    school = School.objects.filter(
        pk=school_id, membership__user=_user(request), membership__role=Membership.Role.LEARNER
    ).first()
    if school is None:
        raise NotFound(
            _("You are not a learner in school %(id)s.") % {"id": school_id},
            code="individualization.school_not_found",
        )
    return school


@router.get(
    "/me/accommodations",
    response=list[SupportOut],
    summary="My supports today, which are paused and which I may pause (learners)",
)
def my_accommodations(request: HttpRequest, school_id: int = Query(..., ge=1, le=2**62)) -> list[SupportOut]:
    school = _my_school(request, school_id)
    return _supports_out(
        selectors.accommodations_in_force(school, _user(request), timezone.localdate(), with_paused=True)
    )


@router.post(
    "/me/accommodations/{kind}/pause",
    response=PauseOut,
    summary="Turn a support off for today, where my plan allows it (learners)",
)
def my_accommodation_pause(
    request: HttpRequest,
    kind: str,
    school_id: int = Query(..., ge=1, le=2**62),
) -> PauseOut:
    school = _my_school(request, school_id)
    pause = services.accommodation_pause(learner=_user(request), school=school, kind=kind)
    return PauseOut(kind=pause.kind, on=pause.on)


# --- the audit -------------------------------------------------------------------------------------


@router.get(
    "/schools/{school_id}/records-audit",
    response=AuditOut,
    summary="Who read and changed learners' records (administrators; a guardian for their child)",
    description=(
        "The school's administrators see every learner's (or one with `learner_id`); a guardian sees their "
        "child's with `learner_id`. The newest first."
    ),
)
def records_audit(
    request: HttpRequest,
    school_id: int,
    learner_id: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**9),
) -> AuditOut:
    user = _user(request)
    school = School.objects.filter(pk=school_id).first()
    learner = User.objects.filter(pk=learner_id).first() if learner_id is not None else None
    rows = (
        selectors.audit_log_for(user, school, learner)
        if school is not None and (learner_id is None or learner is not None)
        else None
    )
    if rows is None:
        raise NotFound(
            _("There is no audit of school %(id)s that you may see.") % {"id": school_id},
            code="individualization.audit_not_found",
        )
    return AuditOut(
        count=rows.count(),
        items=[
            AuditRowOut(
                at=r.at,
                learner_id=r.learner_id,
                actor_id=r.actor_id,
                actor=r.actor.name if r.actor else None,
                action=r.action,
                record=r.record,
                address=r.address,
            )
            for r in rows[offset : offset + limit]
        ],
    )
