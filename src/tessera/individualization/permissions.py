"""Who may see and do what with a learner's evaluations, plans, logs and progress: the most sensitive
records Tessera keeps. Each permission is an object check built from one condition; reads and writes are
audited by the selectors and services (:mod:`tessera.individualization.audit`).

- **The plan team** of a learner: the people on any version of their plan (not the guardians, who have
  their own row below) and the specialists assigned to the learner now. They read everything and write
  evaluations, meetings and plans.
- **Guardians** of the learner (guardianship in force) read the plan and the evaluations, sign (consent),
  and see who read them.
- **School administrators** of the learner's school read everything (the duty of overseeing plans) and
  review the audit log.
- **The learner** reads their own plan from ``PLAN_VISIBLE_TO_LEARNER_FROM_AGE`` (default 14).
- **Teachers of the learner** who are not on the team, and the para-professionals assigned to them, see
  only the accommodations they must apply (a page of their own); the plan is 404 to them as to anyone else.
- **Support logs** are written by the para-professionals and specialists assigned to the learner and by
  their teachers; never by anyone else.
Nobody else learns that a plan exists (404).
"""

from __future__ import annotations

import datetime

from django.conf import settings

from tessera.individualization.models import PlanMember
from tessera.schools import permissions as school_permissions
from tessera.schools.models import Guardianship, Membership, School, SupportAssignment, User


def _supports(user: User, school: School, learner: User, roles: tuple[str, ...]) -> bool:
    return (
        school_permissions.support_in_force()
        .filter(school=school, staff=user, learner=learner, role__in=roles)
        .exists()
    )


def is_admin(user: User, school: School) -> bool:
    return Membership.objects.filter(user=user, school=school, role=Membership.Role.ADMINISTRATOR).exists()


def on_team(user: User | None, school: School, learner: User) -> bool:
    """On a version of the learner's plan (not as a guardian), or a specialist assigned to them now."""
    if user is None or not school_permissions.signed_in(user):
        return False
    member = PlanMember.objects.filter(
        school=school, plan__learner=learner, user=user, user__is_active=True
    ).exclude(role=PlanMember.Role.GUARDIAN)
    return member.exists() or _supports(user, school, learner, (SupportAssignment.Role.SPECIALIST,))


def is_guardian(user: User | None, school: School, learner: User) -> bool:
    if user is None or not school_permissions.signed_in(user):
        return False
    return Guardianship.objects.filter(
        school=school, guardian=user, learner=learner, revoked_at__isnull=True
    ).exists()


def is_learner_old_enough(user: User | None, learner: User, today: datetime.date | None = None) -> bool:
    if user is None or user.pk != learner.pk:
        return False
    age = learner.age_on(today or datetime.date.today())
    return age is not None and age >= settings.PLAN_VISIBLE_TO_LEARNER_FROM_AGE


def can_read_records(user: User | None, school: School, learner: User) -> bool:
    """Evaluations, meetings, plans, logs and progress of ``learner`` in ``school``."""
    if user is None or not school_permissions.signed_in(user):
        return False
    return (
        on_team(user, school, learner)
        or is_guardian(user, school, learner)
        or is_admin(user, school)
        or is_learner_old_enough(user, learner)
    )


def can_write_records(user: User | None, school: School, learner: User) -> bool:
    """Evaluations, meetings and plans: the team and the school's administrators."""
    return user is not None and (on_team(user, school, learner) or is_admin(user, school))


def can_enter_evaluation(user: User | None, school: School, learner: User) -> bool:
    """Evaluations are entered by specialists assigned to the learner (and administrators)."""
    if user is None or not school_permissions.signed_in(user):
        return False
    return _supports(user, school, learner, (SupportAssignment.Role.SPECIALIST,)) or is_admin(user, school)


def teaches(user: User | None, school: School, learner: User) -> bool:
    if user is None or not school_permissions.signed_in(user):
        return False
    return (
        school_permissions.teaching_in_force()
        .filter(school=school, teacher=user, school_class__enrolments__learner=learner)
        .exists()
    )


def can_see_accommodations(user: User | None, school: School, learner: User) -> bool:
    """The accommodations to apply: everyone who reads the records, the learner's teachers, and the
    para-professionals assigned to them (who apply them in one-on-one sessions)."""
    if can_read_records(user, school, learner) or teaches(user, school, learner):
        return True
    if user is None or not school_permissions.signed_in(user):
        return False
    return _supports(user, school, learner, (SupportAssignment.Role.PARA_PROFESSIONAL,))


def can_log_support(user: User | None, school: School, learner: User) -> bool:
    if user is None or not school_permissions.signed_in(user):
        return False
    assigned = (SupportAssignment.Role.PARA_PROFESSIONAL, SupportAssignment.Role.SPECIALIST)
    return _supports(user, school, learner, assigned) or teaches(user, school, learner)
