"""Who may see and do what, written once per permission as a pair.

Each permission is an object check (``can_view_class(user, school_class)``), used by services before a
write, and a queryset filter (``classes_visible_to(user)``), used by selectors for every read. Both are
built from the same ``Q`` expression so they cannot drift apart. There are no blanket role powers: a
teacher sees the classes they teach and the learners enrolled in them, never the whole school.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.schools.errors import PermissionDenied
from tessera.schools.models import (
    Enrolment,
    Guardianship,
    Membership,
    School,
    SchoolClass,
    SupportAssignment,
    TeachingAssignment,
    User,
)

Role = Membership.Role


def signed_in(user: User | None) -> bool:
    """Whether ``user`` is a signed-in, active account: the first condition of every permission, here and
    in the apps above (an anonymous visitor or a deactivated account sees and does nothing)."""
    return user is not None and user.is_authenticated and user.is_active


def _administered_school_ids(user: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).values("school_id")


# --- access that ends ------------------------------------------------------------------------------
# Who teaches or supports whom *now*. Every permission (here and in the apps above) asks these instead
# of reading the assignment tables, so an ended assignment, a class whose term is over, or a deactivated
# account opens nothing anywhere.


def _today() -> datetime.date:
    return timezone.localdate()


def current_term_q(prefix: str = "") -> Q:
    """Classes (``prefix`` leads from the row to the class) whose term has not ended: the term's last day
    still counts."""
    return Q(**{f"{prefix}term__ends_on__gte": _today()})


def teaching_in_force() -> QuerySet[TeachingAssignment]:
    """Teaching assignments that give access now: not ended, in a class whose term has not ended, held
    by an active account."""
    return TeachingAssignment.objects.filter(
        current_term_q("school_class__"), ended_at__isnull=True, teacher__is_active=True
    )


def support_in_force() -> QuerySet[SupportAssignment]:
    """Support assignments (specialist, para-professional, mentor) that give access now."""
    return SupportAssignment.objects.filter(ended_at__isnull=True, staff__is_active=True)


# --- schools -------------------------------------------------------------------------------------


def schools_visible_to(user: User) -> QuerySet[School]:
    """Schools where the user holds any role or has a child."""
    if not signed_in(user):
        return School.objects.none()
    member = Membership.objects.filter(user=user, school=OuterRef("pk"))
    guardian = Guardianship.objects.filter(guardian=user, school=OuterRef("pk"), revoked_at__isnull=True)
    return School.objects.filter(Exists(member) | Exists(guardian))


def can_view_school(user: User, school: School) -> bool:
    return schools_visible_to(user).filter(pk=school.pk).exists()


def schools_managed_by(user: User) -> QuerySet[School]:
    """Schools the user administers (roster, invitations, imports)."""
    if not signed_in(user):
        return School.objects.none()
    return School.objects.filter(pk__in=_administered_school_ids(user))


def can_manage_school(user: User, school: School) -> bool:
    return schools_managed_by(user).filter(pk=school.pk).exists()


def require_school_admin(user: User, school: School, *, to: str | None = None) -> None:
    """Raise :class:`PermissionDenied` ("Only an administrator of this school can <to>.") unless the user
    administers the school. Services and the API check this before they look up anything a request
    names, so nothing leaks through errors. ``to`` is translated by the caller ("change its roster" when
    omitted)."""
    if not can_manage_school(user, school):
        to = to or _("change its roster")
        raise PermissionDenied(
            _("Only an administrator of this school can %(to)s.") % {"to": to},
            code="schools.not_school_admin",
        )


# --- classes -------------------------------------------------------------------------------------


def _class_visibility(user: User) -> Q:
    """Administrators see every class of their school, past terms too (to extend a term, or read an
    old roster); teachers, learners and guardians only the classes of terms that have not ended."""
    teaches = teaching_in_force().filter(school_class=OuterRef("pk"), teacher=user)
    enrolled = Enrolment.objects.filter(school_class=OuterRef("pk"), learner=user)
    # A guardianship is a link in one school: it opens the child's classes of that school only.
    guardian_here = Guardianship.objects.filter(
        guardian=user, revoked_at__isnull=True, learner=OuterRef("learner_id"), school=OuterRef("school_id")
    )
    child_enrolled = Enrolment.objects.filter(school_class=OuterRef("pk")).filter(Exists(guardian_here))
    return Q(school_id__in=_administered_school_ids(user)) | (
        current_term_q() & (Q(Exists(teaches)) | Q(Exists(enrolled)) | Q(Exists(child_enrolled)))
    )


def classes_visible_to(user: User) -> QuerySet[SchoolClass]:
    """Classes the user administers, teaches, is enrolled in, or has a child enrolled in."""
    if not signed_in(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(_class_visibility(user))


def can_view_class(user: User, school_class: SchoolClass) -> bool:
    return classes_visible_to(user).filter(pk=school_class.pk).exists()


def _roster_visibility(user: User) -> Q:
    teaches = teaching_in_force().filter(school_class=OuterRef("pk"), teacher=user)
    return Q(school_id__in=_administered_school_ids(user)) | Q(Exists(teaches))


def class_rosters_visible_to(user: User) -> QuerySet[SchoolClass]:
    """Classes whose list of learners the user may see: their administrators and teachers only."""
    if not signed_in(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(_roster_visibility(user))


def can_view_class_roster(user: User, school_class: SchoolClass) -> bool:
    return class_rosters_visible_to(user).filter(pk=school_class.pk).exists()


# --- learners ------------------------------------------------------------------------------------


def _in_class_taught_by(user: User) -> QuerySet[Enrolment]:
    """Enrolments (of the learner membership ``OuterRef``) in a class the user teaches now."""
    taught_class_ids = teaching_in_force().filter(teacher=user).values("school_class_id")
    return Enrolment.objects.filter(
        learner=OuterRef("user_id"), school=OuterRef("school_id"), school_class_id__in=taught_class_ids
    )


def _learner_visibility(user: User) -> Q:
    """Visibility of a learner membership (the learner as a member of one school)."""
    in_taught_class = _in_class_taught_by(user)
    guardian_of = Guardianship.objects.filter(
        guardian=user, learner=OuterRef("user_id"), school=OuterRef("school_id"), revoked_at__isnull=True
    )
    supports = support_in_force().filter(
        staff=user, learner=OuterRef("user_id"), school=OuterRef("school_id")
    )
    return (
        Q(user=user)
        | Q(school_id__in=_administered_school_ids(user))
        | Q(Exists(in_taught_class))
        | Q(Exists(guardian_of))
        | Q(Exists(supports))
    )


def learners_visible_to(user: User) -> QuerySet[Membership]:
    """Learner memberships the user may see: themself, their school's learners (administrators),
    learners in classes they teach, their children, and learners they are assigned to support."""
    if not signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(Q(role=Role.LEARNER) & _learner_visibility(user))


def can_view_learner(user: User, learner: Membership) -> bool:
    return learners_visible_to(user).filter(pk=learner.pk).exists()


# --- a learner's sign-in (password, sign-in cards) -------------------------------------------------


def _sign_in_management(user: User) -> Q:
    return Q(school_id__in=_administered_school_ids(user)) | Q(Exists(_in_class_taught_by(user)))


def learner_sign_ins_managed_by(user: User) -> QuerySet[Membership]:
    """Learner memberships whose password the user may set and whose sign-in cards they may print: the
    learners of their school (administrators) and of the classes they teach now. Not supporters, not
    guardians, not the learner."""
    if not signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(Q(role=Role.LEARNER) & _sign_in_management(user))


def can_manage_learner_sign_in(user: User, learner: Membership) -> bool:
    return learner_sign_ins_managed_by(user).filter(pk=learner.pk).exists()


# --- accounts a school may touch -----------------------------------------------------------------


def accounts_known_to(school: School) -> QuerySet[User]:
    """Accounts the school already knows: its members and the guardians linked to its learners.

    A school may give these people new roles or links. Any other account (another school's teacher, a
    child at another school) stays invisible to it: such a person joins through an invitation they
    accept themselves, so an administrator can neither read nor take over an account of another school.
    """
    member = Membership.objects.filter(school=school, user=OuterRef("pk"))
    guardian = Guardianship.objects.filter(school=school, guardian=OuterRef("pk"))
    return User.objects.filter(Exists(member) | Exists(guardian))


# --- e-mail self-service ------------------------------------------------------------------------


def self_service_allowed(user: User, *, today: datetime.date | None = None) -> bool:
    """Whether the person may use e-mail self-service (password reset by e-mail, invitation linking).

    Nobody younger than ``settings.SELF_SERVICE_MIN_AGE`` may. A learner whose birth date the school has
    not recorded is treated as too young, since the school has not said otherwise.
    """
    age = user.age_on(today or timezone.localdate())
    if age is not None:
        return age >= settings.SELF_SERVICE_MIN_AGE
    return not Membership.objects.filter(user=user, role=Role.LEARNER).exists()
