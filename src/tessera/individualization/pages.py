"""Reads the individualization pages need beside the selectors: what changed between plan versions, the
minutes of support delivered this week against the plan's, who may be put on a plan's team, and the audit
rows of the administrator's review. None of them hands out a sensitive record by itself: the pages call
them after :func:`tessera.individualization.selectors.records_for` (which audits the read) or for a reader
the selectors already accepted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from tessera.individualization import permissions as perms
from tessera.individualization.models import Accommodation, PlanMember, PlanObjective, SupportLog, SupportPlan
from tessera.schools import permissions as school_permissions
from tessera.schools.models import Guardianship, Membership, School, SupportAssignment, User

STAFF_ROLES = (
    Membership.Role.ADMINISTRATOR,
    Membership.Role.TEACHER,
    Membership.Role.SPECIALIST,
    Membership.Role.PARA_PROFESSIONAL,
    Membership.Role.MENTOR,
)
MEMBER_ROLE: dict[str, str] = {
    Membership.Role.ADMINISTRATOR: PlanMember.Role.ADMINISTRATOR,
    Membership.Role.TEACHER: PlanMember.Role.TEACHER,
    Membership.Role.SPECIALIST: PlanMember.Role.SPECIALIST,
    Membership.Role.PARA_PROFESSIONAL: PlanMember.Role.PARA_PROFESSIONAL,
}


def learner_of(school: School, learner_id: int) -> User | None:
    """The learner ``learner_id`` (a user id) if they are a learner of ``school``."""
    membership = (
        Membership.objects.filter(school=school, user_id=learner_id, role=Membership.Role.LEARNER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def is_staff(user: User, school: School) -> bool:
    """A member of the school's staff: they know the school's learners, so a refusal may say why (403)."""
    return Membership.objects.filter(school=school, user=user, role__in=STAFF_ROLES).exists()


def is_assigned_support(user: User, school: School, learner: User) -> bool:
    """A para-professional or specialist assigned to the learner now: they log sessions against the plan's
    objectives."""
    roles = (SupportAssignment.Role.PARA_PROFESSIONAL, SupportAssignment.Role.SPECIALIST)
    return (
        school_permissions.support_in_force()
        .filter(school=school, staff=user, learner=learner, role__in=roles)
        .exists()
    )


def loggable_objectives(user: User, school: School, plan: SupportPlan | None) -> QuerySet[PlanObjective]:
    """The objectives a session may address: those of the plan in force, offered to the plan's readers and
    the staff assigned to the learner (a teacher outside the team logs a session without objective)."""
    if plan is None:
        return PlanObjective.objects.none()
    learner = plan.learner
    if perms.can_read_records(user, school, learner) or is_assigned_support(user, school, learner):
        return PlanObjective.objects.filter(plan=plan)
    return PlanObjective.objects.none()


@dataclass(frozen=True)
class Changes:
    """What a version changed in the one it amends."""

    amends_version: int
    accommodations_added: list[str]
    accommodations_removed: list[str]
    objectives_added: list[str]
    objectives_removed: list[str]


def _accommodation_words(accommodation: Accommodation) -> str:
    label = str(accommodation.get_kind_display())
    if accommodation.factor:
        return f"{label} \u00d7 {accommodation.factor.normalize()}"
    if accommodation.options:
        return f"{label} ({accommodation.options})"
    if accommodation.mode:
        return f"{label} ({accommodation.mode})"
    return label


def changes_of(versions: list[SupportPlan]) -> dict[int, Changes]:
    """For each amendment among ``versions`` (prefetched), what it added and removed."""
    by_pk = {v.pk: v for v in versions}
    found: dict[int, Changes] = {}
    for version in versions:
        before = by_pk.get(version.amends_id) if version.amends_id else None
        if before is None:
            continue
        old_acc = {_accommodation_words(a) for a in before.accommodations.all()}
        new_acc = {_accommodation_words(a) for a in version.accommodations.all()}
        old_obj = {o.description for o in before.objectives.all()}
        new_obj = {o.description for o in version.objectives.all()}
        found[version.pk] = Changes(
            before.version,
            sorted(new_acc - old_acc),
            sorted(old_acc - new_acc),
            sorted(new_obj - old_obj),
            sorted(old_obj - new_obj),
        )
    return found


@dataclass(frozen=True)
class WeekMinutes:
    week_start: datetime.date
    delivered: int
    planned: int

    @property
    def short(self) -> int:
        return max(0, self.planned - self.delivered)


def minutes_this_week(
    school: School, learner: User, plan: SupportPlan | None, today: datetime.date
) -> WeekMinutes:
    """Minutes of support logged this week (Monday to today) against the plan's minutes per week."""
    monday = today - datetime.timedelta(days=today.weekday())
    delivered = SupportLog.objects.filter(
        school=school, learner=learner, held_on__gte=monday, held_on__lte=today
    ).aggregate(total=Sum("minutes"))["total"]
    planned = sum(s.minutes_per_week for s in plan.services.all()) if plan is not None else 0
    return WeekMinutes(monday, delivered or 0, planned)


def team_candidates(school: School, learner: User) -> list[tuple[User, str]]:
    """Who may be put on the learner's plan team: the school's staff (in their role) and the learner's
    guardians."""
    people: dict[int, tuple[User, str]] = {}
    for membership in (
        Membership.objects.filter(school=school, role__in=tuple(MEMBER_ROLE))
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        people.setdefault(membership.user.pk, (membership.user, MEMBER_ROLE[membership.role]))
    for link in Guardianship.objects.filter(
        school=school, learner=learner, revoked_at__isnull=True
    ).select_related("guardian"):
        people[link.guardian.pk] = (link.guardian, PlanMember.Role.GUARDIAN)
    return list(people.values())


def school_staff(school: School) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__school=school, memberships__role__in=tuple(MEMBER_ROLE))
        .distinct()
        .order_by("last_name", "first_name")
    )


def school_learners(school: School) -> QuerySet[User]:
    """The learners of the school, to filter the audit by."""
    return (
        User.objects.filter(memberships__school=school, memberships__role=Membership.Role.LEARNER)
        .distinct()
        .order_by("last_name", "first_name")
    )


def has_plan(school_id: int, learner_id: int) -> bool:
    """Whether the learner has a plan (any version) in the school: the family page links to it."""
    return SupportPlan.objects.filter(school_id=school_id, learner_id=learner_id).exists()
