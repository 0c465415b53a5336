"""Writes for individualization: evaluations and their files, team meetings, support plans (drafted,
signed, activated, amended), the learner's day off from a support, one-on-one support logs and the data
points of individual objectives. Every write is audited (:mod:`tessera.individualization.audit`).

Keyword-only and transactional; a domain error says what is wrong and nothing is changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum.models import Competency
from tessera.events.log import event_record
from tessera.individualization import permissions as perms
from tessera.individualization.audit import Action, record_access
from tessera.individualization.events import ObjectiveOffTrack, PlanInEffect
from tessera.individualization.models import (
    LONG_TEXT,
    SHORT_TEXT,
    Accommodation,
    AccommodationPause,
    Area,
    Evaluation,
    EvaluationAttachment,
    Modification,
    ObjectiveDataPoint,
    PlanMember,
    PlanObjective,
    PlanService,
    SupportLog,
    SupportPlan,
    TeamAlert,
    TeamMeeting,
)
from tessera.individualization.selectors import accommodations_in_force
from tessera.schools.errors import DomainError, NotFound, PermissionDenied
from tessera.schools.models import Membership, School, User
from tessera.schools.text import text_checked
from tessera.schools.uploads import upload_keep, upload_too_large, upload_type

OFF_TRACK_POINTS = 3  # data points in a row below the aim line before the team is alerted
ATTACHMENT_TYPES = ("application/pdf", "image/png", "image/jpeg")
Status = SupportPlan.Status


def _require_learner(school: School, learner: User) -> None:
    if not Membership.objects.filter(school=school, user=learner, role=Membership.Role.LEARNER).exists():
        raise NotFound(
            _("There is no such learner in this school."), code="individualization.learner_not_found"
        )


def _require_writer(actor: User, school: School, learner: User) -> None:
    if not perms.can_write_records(actor, school, learner):
        raise PermissionDenied(
            _("Only the learner's plan team can change their plan and records."),
            code="individualization.not_on_team",
        )


# --- evaluations -----------------------------------------------------------------------------------


@transaction.atomic
def evaluation_record(
    *,
    actor: User,
    school: School,
    learner: User,
    kind: str,
    evaluated_on: datetime.date,
    areas: Sequence[str],
    findings: str,
    recommendations: str = "",
    address: str | None = None,
) -> Evaluation:
    """A specialist assigned to the learner records an evaluation."""
    _require_learner(school, learner)
    if not perms.can_enter_evaluation(actor, school, learner):
        raise PermissionDenied(
            _("Evaluations are entered by a specialist assigned to the learner."),
            code="individualization.not_an_evaluator",
        )
    if kind not in Evaluation.Kind.values:
        raise DomainError(
            _("The kind of evaluation is one of: %(kinds)s.") % {"kinds": ", ".join(Evaluation.Kind.values)},
            code="individualization.unknown_evaluation_kind",
        )
    unknown = sorted(set(areas) - set(Area.values))
    if not areas or unknown:
        raise DomainError(
            _("Name at least one area evaluated, among: %(areas)s.") % {"areas": ", ".join(Area.values)},
            code="individualization.unknown_area",
        )
    if evaluated_on > timezone.localdate():
        raise DomainError(
            _("An evaluation cannot be dated in the future."), code="individualization.evaluation_in_future"
        )
    evaluation = Evaluation.objects.create(
        school=school,
        learner=learner,
        kind=kind,
        evaluated_on=evaluated_on,
        evaluator=actor,
        areas=sorted(set(areas)),
        findings=text_checked(findings, what=_("findings"), limit=LONG_TEXT),
        recommendations=text_checked(
            recommendations, what=_("recommendations"), limit=LONG_TEXT, required=False
        ),
    )
    record_access(
        school=school,
        learner=learner,
        actor=actor,
        action=Action.WROTE,
        record=f"evaluation {evaluation.pk}",
        address=address,
    )
    return evaluation


def attachments_folder() -> Path:
    """The evaluations' files, inside ``PRIVATE_FILES_DIR`` (made 0700 by the settings)."""
    folder = Path(settings.PRIVATE_FILES_DIR) / "evaluations"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@transaction.atomic
def attachment_add(
    *, actor: User, evaluation: Evaluation, upload: UploadedFile, address: str | None = None
) -> EvaluationAttachment:
    """A PDF, PNG or JPEG of the evaluation, checked by its first bytes (not by its name) and its size, kept
    in the private folder under a random name."""
    school, learner = evaluation.school, evaluation.learner
    _require_writer(actor, school, learner)
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload_too_large(upload, limit):
        raise DomainError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            code="individualization.attachment_too_large",
        )
    found = upload_type(upload, ATTACHMENT_TYPES)
    if found is None:
        raise DomainError(
            _("Attach a PDF, PNG or JPEG file; this one is none of them."),
            code="individualization.attachment_wrong_type",
        )
    attachment = upload_keep(
        attachments_folder(),
        upload,
        found,
        lambda stored_name: EvaluationAttachment.objects.create(
            school=school,
            evaluation=evaluation,
            stored_name=stored_name,
            original_name=(upload.name or "evaluation")[:SHORT_TEXT],
            content_type=found,
            size=upload.size or 0,  # checked above: never None here
            uploaded_by=actor,
        ),
    )
    record_access(
        school=school,
        learner=learner,
        actor=actor,
        action=Action.WROTE,
        record=f"attachment {attachment.pk} of evaluation {evaluation.pk}",
        address=address,
    )
    return attachment


def orphaned_attachments_remove(*, now: datetime.datetime | None = None) -> int:
    """Remove the stored files no attachment row names, written between a day and ``ORPHAN_FILE_MINUTES``
    ago: their upload's transaction rolled back after the file was written (the row went, the file stayed).
    The age keeps it clear of uploads still in their transaction; the day bounds the work of a check. The
    number removed. Run by the background worker at every check."""
    now = now or timezone.now()
    newest = now.timestamp() - settings.ORPHAN_FILE_MINUTES * 60
    oldest = newest - 24 * 3600
    candidates = {
        path.name: path
        for path in attachments_folder().iterdir()
        if path.is_file() and oldest <= path.stat().st_mtime < newest
    }
    kept = set(
        EvaluationAttachment.objects.filter(stored_name__in=list(candidates)).values_list(
            "stored_name", flat=True
        )
    )
    orphans = candidates.keys() - kept
    for name in orphans:
        candidates[name].unlink(missing_ok=True)
    return len(orphans)


# --- team meetings ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    school: School,
    learner: User,
    held_on: datetime.date,
    participants: str,
    decisions: str,
    address: str | None = None,
) -> TeamMeeting:
    _require_learner(school, learner)
    _require_writer(actor, school, learner)
    meeting = TeamMeeting.objects.create(
        school=school,
        learner=learner,
        held_on=held_on,
        participants=text_checked(participants, what=_("participants"), limit=LONG_TEXT),
        decisions=text_checked(decisions, what=_("decisions"), limit=LONG_TEXT),
        recorded_by=actor,
    )
    record_access(
        school=school,
        learner=learner,
        actor=actor,
        action=Action.WROTE,
        record=f"team meeting {meeting.pk}",
        address=address,
    )
    return meeting


# --- plans -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveSpec:
    area: str
    description: str
    baseline: float | None
    target: float | None
    target_date: datetime.date | None
    measured_how: str
    unit: str = "%"
    frequency: str = PlanObjective.Frequency.WEEKLY
    competency: Competency | None = None


@dataclass(frozen=True)
class AccommodationSpec:
    kind: str
    factor: Decimal | None = None
    options: int | None = None
    mode: str = ""
    learner_may_pause: bool = False


@dataclass(frozen=True)
class ServiceSpec:
    minutes_per_week: int
    provider: User | None = None
    kind: str = PlanService.Kind.ONE_ON_ONE


@dataclass(frozen=True)
class MemberSpec:
    user: User
    role: str
    required: bool = True


@dataclass(frozen=True)
class PlanContent:
    present_levels: str
    members: Sequence[MemberSpec]
    objectives: Sequence[ObjectiveSpec] = ()
    accommodations: Sequence[AccommodationSpec] = ()
    services: Sequence[ServiceSpec] = ()
    modifications: Sequence[str] = field(default_factory=tuple)


def _check_objective(spec: ObjectiveSpec, starts_on: datetime.date, ends_on: datetime.date) -> None:
    if spec.baseline is None or spec.target is None or spec.target_date is None:
        raise DomainError(
            _("Objective “%(objective)s” needs a baseline, a measurable target and a date to reach it by.")
            % {"objective": spec.description},
            code="individualization.objective_not_measurable",
        )
    if not starts_on <= spec.target_date <= ends_on:
        raise DomainError(
            _("Objective “%(objective)s” is due on %(date)s, outside the plan's period.")
            % {"objective": spec.description, "date": spec.target_date},
            code="individualization.objective_outside_plan",
        )
    if spec.area not in Area.values or spec.frequency not in PlanObjective.Frequency.values:
        raise DomainError(
            _("Objective “%(objective)s” has an unknown area or frequency.")
            % {"objective": spec.description},
            code="individualization.objective_unknown_area",
        )
    if spec.competency is not None and spec.unit != "%":
        raise DomainError(
            _("Objective “%(objective)s” follows practice on a competency, so it is measured in %% mastery.")
            % {"objective": spec.description},
            code="individualization.objective_unit_not_percent",
        )
    text_checked(spec.description, what=_("objective"), limit=SHORT_TEXT)
    text_checked(spec.measured_how, what=_("how it is measured"), limit=SHORT_TEXT)


def _check_accommodation(spec: AccommodationSpec) -> None:
    kinds = Accommodation.Kind
    if spec.kind not in kinds.values:
        raise DomainError(
            _("The accommodation is one of: %(kinds)s.") % {"kinds": ", ".join(kinds.values)},
            code="individualization.unknown_accommodation",
        )
    if spec.kind == kinds.EXTENDED_TIME and spec.factor not in Accommodation.EXTENDED_TIME_FACTORS:
        raise DomainError(
            _("Extended time is 1.25, 1.5 or 2 times the usual time, not %(factor)s.")
            % {"factor": spec.factor},
            code="individualization.accommodation_out_of_range",
        )
    if spec.kind == kinds.FEWER_OPTIONS and spec.options not in (2, 3):
        raise DomainError(
            _("Fewer answer options means 2 or 3 options, not %(options)s.") % {"options": spec.options},
            code="individualization.accommodation_out_of_range",
        )


def _overlapping(
    learner: User,
    school: School,
    starts_on: datetime.date,
    ends_on: datetime.date,
    amends: SupportPlan | None,
) -> bool:
    """Another plan of the learner in effect for part of the period (an amendment shares its plan's)."""
    others = SupportPlan.objects.filter(
        school=school, learner=learner, status=Status.ACTIVE, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if amends is not None:
        others = others.exclude(pk=amends.pk)
    return others.exists()


@transaction.atomic
def plan_draft(
    *,
    actor: User,
    school: School,
    learner: User,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    content: PlanContent,
    amends: SupportPlan | None = None,
    effective_from: datetime.date | None = None,
    change_summary: str = "",
    address: str | None = None,
) -> SupportPlan:
    """A plan (or an amendment of ``amends``) waiting for its team's signatures. It changes nothing until
    every required member has signed (:func:`plan_sign`)."""
    _require_learner(school, learner)
    _require_writer(actor, school, learner)
    if kind not in SupportPlan.Kind.values:
        raise DomainError(
            _("The kind of plan is one of: %(kinds)s.") % {"kinds": ", ".join(SupportPlan.Kind.values)},
            code="individualization.unknown_plan_kind",
        )
    if ends_on < starts_on:
        raise DomainError(
            _("The plan ends before it starts."), code="individualization.plan_ends_before_start"
        )
    today = timezone.localdate()
    effective_from = effective_from or starts_on
    if amends is not None and effective_from < max(today, amends.effective_from):
        raise DomainError(
            _("An amendment takes effect from its own date, today or later, never before."),
            code="individualization.amendment_retroactive",
        )
    if _overlapping(learner, school, starts_on, ends_on, amends):
        raise DomainError(
            _("The learner already has a plan for part of this period: amend that plan instead."),
            code="individualization.plans_overlap",
        )
    for objective in content.objectives:
        _check_objective(objective, starts_on, ends_on)
    for accommodation in content.accommodations:
        _check_accommodation(accommodation)
    if len({a.kind for a in content.accommodations}) != len(content.accommodations):
        raise DomainError(
            _("Each accommodation appears once in a plan."), code="individualization.accommodation_twice"
        )
    if not any(m.required for m in content.members):
        raise DomainError(
            _("A plan needs the team members who must sign it."), code="individualization.plan_without_team"
        )
    plan = SupportPlan.objects.create(
        school=school,
        learner=learner,
        kind=kind,
        version=(amends.version + 1) if amends is not None else 1,
        amends=amends,
        starts_on=starts_on,
        ends_on=ends_on,
        effective_from=effective_from,
        present_levels=text_checked(content.present_levels, what=_("present levels"), limit=LONG_TEXT),
        change_summary=text_checked(
            change_summary, what=_("summary of the changes"), limit=LONG_TEXT, required=bool(amends)
        ),
        created_by=actor,
    )
    for member in content.members:
        PlanMember.objects.create(
            school=school, plan=plan, user=member.user, role=member.role, required=member.required
        )
    for position, o in enumerate(content.objectives):
        assert o.baseline is not None and o.target is not None and o.target_date is not None  # checked above
        PlanObjective.objects.create(
            school=school,
            plan=plan,
            area=o.area,
            description=o.description.strip(),
            baseline=o.baseline,
            target=o.target,
            unit=o.unit,
            target_date=o.target_date,
            measured_how=o.measured_how.strip(),
            frequency=o.frequency,
            competency=o.competency,
            position=position,
        )
    for a in content.accommodations:
        Accommodation.objects.create(
            school=school,
            plan=plan,
            kind=a.kind,
            factor=a.factor,
            options=a.options,
            mode=a.mode,
            learner_may_pause=a.learner_may_pause,
        )
    for s in content.services:
        PlanService.objects.create(
            school=school, plan=plan, kind=s.kind, minutes_per_week=s.minutes_per_week, provider=s.provider
        )
    for description in content.modifications:
        Modification.objects.create(
            school=school,
            plan=plan,
            description=text_checked(description, what=_("modification"), limit=SHORT_TEXT),
        )
    record_access(
        school=school,
        learner=learner,
        actor=actor,
        action=Action.WROTE,
        record=f"plan {plan.pk} (version {plan.version}) drafted",
        address=address,
    )
    return plan


@transaction.atomic
def plan_sign(*, actor: User, plan: SupportPlan, address: str | None = None) -> SupportPlan:
    """``actor`` signs the plan (a guardian's signature is their consent); the last required signature puts
    it in effect (an amendment from its own date, the version it amends ending the day before)."""
    member = PlanMember.objects.select_for_update().filter(plan=plan, user=actor).first()
    if member is None:
        raise PermissionDenied(
            _("Only the members of this plan's team sign it."), code="individualization.not_a_signatory"
        )
    if plan.status != Status.DRAFT:
        raise DomainError(_("This version is already in effect."), code="individualization.plan_not_draft")
    if member.signed_at is None:
        member.signed_at = timezone.now()
        member.save(update_fields=["signed_at"])
        record_access(
            school=plan.school,
            learner=plan.learner,
            actor=actor,
            action=Action.WROTE,
            record=f"plan {plan.pk} (version {plan.version}) signed",
            address=address,
        )
    if not plan.members.filter(required=True, signed_at__isnull=True).exists():
        _activate(plan, actor)
    return plan


def _activate(plan: SupportPlan, actor: User) -> None:
    plan.status, plan.activated_at = Status.ACTIVE, timezone.now()
    plan.save(update_fields=["status", "activated_at"])
    if plan.amends is not None:
        SupportPlan.objects.filter(pk=plan.amends.pk).update(
            status=Status.SUPERSEDED, superseded_on=plan.effective_from
        )
    event_record(
        school=plan.school,
        learner=plan.learner,
        actor=actor,
        fact=PlanInEffect(plan.pk, plan.version, plan.effective_from.isoformat()),
    )


@transaction.atomic
def plan_activate(*, actor: User, plan: SupportPlan) -> SupportPlan:
    """Put a plan in effect: refused while a required member has not signed (the plan says who)."""
    _require_writer(actor, plan.school, plan.learner)
    missing = [
        m.user.name for m in plan.members.filter(required=True, signed_at__isnull=True).select_related("user")
    ]
    if missing:
        raise DomainError(
            _(
                "The plan cannot take effect before every required member has signed; still to sign: "
                "%(names)s."
            )
            % {"names": ", ".join(missing)},
            code="individualization.signatures_missing",
        )
    if plan.status == Status.DRAFT:
        _activate(plan, actor)
    return plan


# --- the learner's day ----------------------------------------------------------------------------


@transaction.atomic
def accommodation_pause(
    *, learner: User, school: School, kind: str, on: datetime.date | None = None
) -> AccommodationPause:
    """The learner turns a support off for today, where their plan allows it."""
    on = on or timezone.localdate()
    found = next(
        (a for a in accommodations_in_force(school, learner, on, with_paused=True) if a.kind == kind), None
    )
    if found is None or not found.learner_may_pause:
        raise PermissionDenied(
            _("This support stays on: your plan does not let you turn it off."),
            code="individualization.pause_not_allowed",
        )
    pause, _created = AccommodationPause.objects.get_or_create(
        school=school, learner=learner, kind=kind, on=on
    )
    return pause


# --- support logs and progress --------------------------------------------------------------------


@transaction.atomic
def support_log_add(
    *,
    actor: User,
    school: School,
    learner: User,
    held_on: datetime.date,
    minutes: int,
    what_was_done: str,
    objective: PlanObjective | None = None,
    measured: float | None = None,
    notes: str = "",
    address: str | None = None,
) -> SupportLog:
    """A one-on-one session given to the learner, by a para-professional or specialist assigned to them or
    one of their teachers; ``measured`` adds a data point to ``objective``."""
    if not perms.can_log_support(actor, school, learner):
        raise PermissionDenied(
            _("Only the staff assigned to this learner, and their teachers, log support sessions for them."),
            code="individualization.not_assigned",
        )
    if not 1 <= minutes <= 600:
        raise DomainError(_("A session lasts 1 to 600 minutes."), code="individualization.bad_minutes")
    if held_on > timezone.localdate():
        raise DomainError(
            _("A session cannot be logged in the future."), code="individualization.log_in_future"
        )
    if objective is not None and (
        objective.plan.learner_id != learner.pk or objective.school_id != school.pk
    ):
        raise DomainError(
            _("That objective belongs to another learner's plan."),
            code="individualization.objective_of_other",
        )
    if measured is not None and objective is None:
        raise DomainError(
            _("A measure belongs to an objective: choose one."),
            code="individualization.measure_without_objective",
        )
    log = SupportLog.objects.create(
        school=school,
        learner=learner,
        logged_by=actor,
        objective=objective,
        held_on=held_on,
        minutes=minutes,
        what_was_done=text_checked(what_was_done, what=_("what was done"), limit=LONG_TEXT),
        notes=text_checked(notes, what=_("notes"), limit=LONG_TEXT, required=False),
    )
    if objective is not None and measured is not None:
        data_point_add(objective=objective, measured_on=held_on, value=measured, log=log, actor=actor)
    record_access(
        school=school,
        learner=learner,
        actor=actor,
        action=Action.WROTE,
        record=f"support log {log.pk}",
        address=address,
    )
    return log


def data_point_add(
    *,
    objective: PlanObjective,
    measured_on: datetime.date,
    value: float,
    actor: User | None = None,
    log: SupportLog | None = None,
    source: str = ObjectiveDataPoint.Source.LOG,
) -> ObjectiveDataPoint:
    """A measure of the objective, then its track checked (:func:`_track_check`)."""
    point = ObjectiveDataPoint.objects.create(
        school=objective.school,
        objective=objective,
        measured_on=measured_on,
        value=value,
        log=log,
        source=source,
    )
    _track_check(objective, point, actor)
    return point


def practice_point_record(*, objective: PlanObjective, measured_on: datetime.date, value: float) -> None:
    """The day's measure from practice (the learner's mastery of the objective's competency, in percent):
    one point per day, the day's last session's figure replacing an earlier one."""
    point = objective.data_points.filter(
        measured_on=measured_on, source=ObjectiveDataPoint.Source.PRACTICE
    ).first()
    if point is None:
        data_point_add(
            objective=objective,
            measured_on=measured_on,
            value=value,
            source=ObjectiveDataPoint.Source.PRACTICE,
        )
        return
    point.value = value
    point.save(update_fields=["value"])
    _track_check(objective, point, None)


def _track_check(objective: PlanObjective, point: ObjectiveDataPoint, actor: User | None) -> None:
    """A measure on or above the aim line closes the objective's open alert; the ``OFF_TRACK_POINTS``-th
    measure in a row below it tells the team (an :class:`ObjectiveOffTrack` event, once per run of low
    measures)."""
    if point.value >= objective.aim_on(point.measured_on):
        TeamAlert.objects.filter(objective=objective, closed_at__isnull=True).update(closed_at=timezone.now())
        return
    latest = list(objective.data_points.order_by("-measured_on", "-pk")[: OFF_TRACK_POINTS + 1])
    below = 0
    for earlier in latest:
        if earlier.value >= objective.aim_on(earlier.measured_on):
            break
        below += 1
    if below == OFF_TRACK_POINTS:
        event_record(
            school=objective.school,
            learner=objective.plan.learner,
            actor=actor,
            fact=ObjectiveOffTrack(objective.pk, objective.description, OFF_TRACK_POINTS),
        )


@transaction.atomic
def alert_review(*, actor: User, alert: TeamAlert, address: str | None = None) -> TeamAlert:
    """A team member looked at the off-track objective: the alert closes (the next run of low measures
    raises a new one)."""
    school, learner = alert.school, alert.learner
    if not perms.on_team(actor, school, learner) and not perms.is_admin(actor, school):
        raise PermissionDenied(
            _("Only the learner's plan team reviews its alerts."), code="individualization.not_on_team"
        )
    if alert.closed_at is None:
        alert.closed_at = timezone.now()
        alert.closed_by = actor
        alert.save(update_fields=["closed_at", "closed_by"])
        record_access(
            school=school,
            learner=learner,
            actor=actor,
            action=Action.WROTE,
            record=f"alert {alert.pk} on objective {alert.objective_id}",
            address=address,
        )
    return alert
