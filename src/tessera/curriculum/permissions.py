"""Who may see and change frameworks, written once per permission as an object check and a filter.

- See a framework (its tree, prerequisites and item stems): every member of its school and the
  guardians of its learners; a shared framework (``school`` NULL): everyone who belongs to any school.
- See items with their answers, and export: the school's staff (administrators, teachers, specialists,
  para-professionals); for a shared framework, staff of any school. Learners never get answers from a
  read endpoint: they get items one at a time through practice sessions.
- Write the school's curriculum (items, resources, competencies, prerequisites, files) in the browser: its
  teachers, specialists and administrators; shared frameworks are read-only (copied to a school first).
- Import (create) a framework: the school's administrators. Shared frameworks: only the platform,
  with ``manage.py import_framework --shared``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tessera.curriculum.models import Framework
from tessera.schools import permissions as school_permissions
from tessera.schools.models import Membership, School, User

STAFF_ROLES = (
    Membership.Role.ADMINISTRATOR,
    Membership.Role.TEACHER,
    Membership.Role.SPECIALIST,
    Membership.Role.PARA_PROFESSIONAL,
)


def _staff_school_ids(user: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES).values("school_id")


def frameworks_visible_to(user: User) -> QuerySet[Framework]:
    if not school_permissions.signed_in(user):
        return Framework.objects.none()
    schools = school_permissions.schools_visible_to(user).values("pk")
    shared = Q(school__isnull=True) if schools.exists() else Q(pk__in=[])
    return Framework.objects.filter(shared | Q(school_id__in=schools))


def can_view_framework(user: User, framework: Framework) -> bool:
    return frameworks_visible_to(user).filter(pk=framework.pk).exists()


def frameworks_with_answers_for(user: User) -> QuerySet[Framework]:
    """Frameworks whose items, with their correct answers, the user may read (and export)."""
    if not school_permissions.signed_in(user):
        return Framework.objects.none()
    staff_schools = _staff_school_ids(user)
    shared = Q(school__isnull=True) if staff_schools.exists() else Q(pk__in=[])
    return Framework.objects.filter(shared | Q(school_id__in=staff_schools))


def can_view_answers(user: User, framework: Framework) -> bool:
    return frameworks_with_answers_for(user).filter(pk=framework.pk).exists()


def schools_staffed_by(user: User) -> QuerySet[School]:
    """Schools where the user is staff: their curriculum pages are open to them."""
    if not school_permissions.signed_in(user):
        return School.objects.none()
    return School.objects.filter(pk__in=_staff_school_ids(user))


WRITER_ROLES = (Membership.Role.ADMINISTRATOR, Membership.Role.TEACHER, Membership.Role.SPECIALIST)


def schools_written_by(user: User) -> QuerySet[School]:
    """Schools whose curriculum the user writes."""
    if not school_permissions.signed_in(user):
        return School.objects.none()
    return School.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=WRITER_ROLES).values("school_id")
    )


def can_write_curriculum(user: User | None, school: School | None) -> bool:
    """Whether ``user`` writes ``school``'s curriculum (never a shared framework's: ``school`` None)."""
    if user is None or school is None:
        return False
    return schools_written_by(user).filter(pk=school.pk).exists()
