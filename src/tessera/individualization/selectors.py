"""Reads for individualization. Every read of a sensitive record by a person is audited here; the
accommodations in force are read by the practice engine (through :mod:`tessera.practice.accommodations`)
without an audit row, since they are applied, not shown to a reader."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.individualization import permissions as perms
from tessera.individualization.audit import Action, record_access
from tessera.individualization.models import (
    Accommodation,
    AccommodationPause,
    Evaluation,
    ObjectiveDataPoint,
    PlanMember,
    PlanObjective,
    RecordRead,
    SupportLog,
    SupportPlan,
    TeamAlert,
    TeamMeeting,
)
from tessera.schools import permissions as school_permissions
from tessera.schools.models import School, SupportAssignment, User

Status = SupportPlan.Status


def plan_in_force(school: School | int, learner: User | int, on: datetime.date) -> SupportPlan | None:
    """The version of the learner's plan that applies on ``on``: signed, in its period, from its own date,
    until an amendment took over."""
    return (
        SupportPlan.objects.filter(
            school=school,
            learner=learner,
            status__in=(Status.ACTIVE, Status.SUPERSEDED),
            starts_on__lte=on,
            ends_on__gte=on,
            effective_from__lte=on,
        )
        .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class Support:
    """One accommodation as it applies: its kind, its value in words the engine reads, whether the learner
    may pause it and whether they paused it today."""

    kind: str
    value: str
    label: str
    learner_may_pause: bool
    paused: bool


def _value(accommodation: Accommodation) -> str:
    if accommodation.kind == Accommodation.Kind.EXTENDED_TIME:
        return str(accommodation.factor.normalize()) if accommodation.factor else ""
    if accommodation.kind == Accommodation.Kind.FEWER_OPTIONS:
        return str(accommodation.options or "")
    return accommodation.mode


def accommodations_in_force(
    school: School | int, learner: User | int, on: datetime.date, *, with_paused: bool = False
) -> list[Support]:
    """The supports of the plan in force on ``on``, without those the learner paused that day (unless
    ``with_paused``)."""
    plan = plan_in_force(school, learner, on)
    if plan is None:
        return []
    paused = set(
        AccommodationPause.objects.filter(school=school, learner=learner, on=on).values_list(
            "kind", flat=True
        )
    )
    supports = [
        Support(
            a.kind,
            _value(a),
            str(a.get_kind_display()),
            a.learner_may_pause,
            a.learner_may_pause and a.kind in paused,
        )
        for a in plan.accommodations.order_by("kind")
    ]
    return supports if with_paused else [s for s in supports if not s.paused]


# --- what people read (audited) --------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerRecords:
    plan: SupportPlan | None
    versions: list[SupportPlan]
    evaluations: list[Evaluation]
    meetings: list[TeamMeeting]
    logs: list[SupportLog]
    alerts: list[TeamAlert]


def records_for(
    user: User, school: School, learner: User, *, address: str | None = None
) -> LearnerRecords | None:
    """The learner's plan (in force today, and every version), evaluations, meetings and logs, for someone
    who may read them (else None: 404); the read is audited."""
    if not perms.can_read_records(user, school, learner):
        return None
    today = datetime.date.today()
    versions = list(
        SupportPlan.objects.filter(school=school, learner=learner)
        .prefetch_related(
            "members__user", "objectives", "accommodations", "services__provider", "modifications"
        )
        .order_by("-version")
    )
    plan = plan_in_force(school, learner, today)
    record_access(
        school=school,
        learner=learner,
        actor=user,
        action=Action.READ,
        record=f"plan {plan.pk} (version {plan.version})" if plan else "records (no plan in effect)",
        address=address,
    )
    return LearnerRecords(
        plan=plan,
        versions=versions,
        evaluations=list(
            Evaluation.objects.filter(school=school, learner=learner).prefetch_related("attachments")
        ),
        meetings=list(TeamMeeting.objects.filter(school=school, learner=learner)),
        logs=list(
            SupportLog.objects.filter(school=school, learner=learner).select_related(
                "logged_by", "objective"
            )[:50]
        ),
        alerts=list(
            TeamAlert.objects.filter(school=school, learner=learner, closed_at__isnull=True).select_related(
                "objective"
            )
        ),
    )


def alerts_for_team_member(user: User) -> list[TeamAlert]:
    """The open alerts on the plans whose team ``user`` is on (a member of a version, not as a guardian, or
    a specialist assigned to the learner now), for their home page: the learner's name and a link, the
    objective itself being read, audited, on the plan page."""
    members = PlanMember.objects.filter(
        user=user, plan__learner=OuterRef("learner"), school=OuterRef("school")
    )
    specialist = school_permissions.support_in_force().filter(
        staff=user,
        learner=OuterRef("learner"),
        school=OuterRef("school"),
        role=SupportAssignment.Role.SPECIALIST,
    )
    return list(
        TeamAlert.objects.filter(closed_at__isnull=True)
        .filter(Exists(members.exclude(role=PlanMember.Role.GUARDIAN)) | Exists(specialist))
        .select_related("learner", "school")
        .order_by("-raised_at", "-pk")[:20]
    )


def accommodations_to_apply(
    user: User, school: School, learner: User, *, address: str | None = None
) -> list[Support] | None:
    """The supports to apply today (not those the learner paused), and nothing else of the plan, for the
    learner's teachers and those who read the records; None for anyone else (404). The read is audited as
    "accommodations to apply", whoever makes it."""
    if not perms.can_see_accommodations(user, school, learner):
        return None
    record_access(
        school=school,
        learner=learner,
        actor=user,
        action=Action.READ,
        record="accommodations to apply",
        address=address,
    )
    return accommodations_in_force(school, learner, datetime.date.today())


def audit_log_for(user: User, school: School, learner: User | None = None) -> QuerySet[RecordRead] | None:
    """The record accesses an administrator reviews (the school's, or one learner's), or those of a child a
    guardian asks about (who read my child's records); None for anyone else."""
    rows = RecordRead.objects.filter(school=school).select_related("actor", "learner")
    if perms.is_admin(user, school):
        return rows.filter(learner=learner) if learner is not None else rows
    if learner is not None and perms.is_guardian(user, school, learner):
        return rows.filter(learner=learner)
    return None


@dataclass(frozen=True)
class ProgressPoint:
    measured_on: datetime.date
    value: float
    aim: float
    source: str


def objective_progress(objective: PlanObjective) -> list[ProgressPoint]:
    """The objective's data points against the aim line, oldest first."""
    return [
        ProgressPoint(
            p.measured_on, p.value, round(objective.aim_on(p.measured_on), 2), p.get_source_display()
        )
        for p in ObjectiveDataPoint.objects.filter(objective=objective).order_by("measured_on", "pk")
    ]
