"""Who may see and do what with a class's groups. Each permission is a queryset filter (for selectors)
and an object check (for services) built from the same condition.

Groups live in a class: its teachers in force (lead and co-teachers, term not ended) build and shape
them, give tasks, roles and feedback. A learner enrolled in the class sees their own group, its members'
roles, its tasks and the feedback on their own work; nothing about other groups. Nobody else sees them:
groups describe learners' levels.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.differentiation.models import Group, Grouping, GroupTask
from tessera.schools import permissions as school_permissions
from tessera.schools.models import Enrolment, Membership, SchoolClass, User


def classes_taught_by(user: User | None) -> QuerySet[SchoolClass]:
    """Classes whose groups the user manages: the classes they teach now."""
    if user is None or not school_permissions.signed_in(user):
        return SchoolClass.objects.none()
    taught = school_permissions.teaching_in_force().filter(teacher=user, school_class=OuterRef("pk"))
    return SchoolClass.objects.filter(Exists(taught))


def can_teach_class(user: User | None, school_class: SchoolClass) -> bool:
    return classes_taught_by(user).filter(pk=school_class.pk).exists()


def groupings_managed_by(user: User | None) -> QuerySet[Grouping]:
    return Grouping.objects.filter(school_class__in=classes_taught_by(user))


def groups_managed_by(user: User | None) -> QuerySet[Group]:
    return Group.objects.filter(grouping__in=groupings_managed_by(user))


def tasks_managed_by(user: User | None) -> QuerySet[GroupTask]:
    return GroupTask.objects.filter(group__in=groups_managed_by(user))


def is_class_learner(user: User | None, school_class: SchoolClass) -> bool:
    """Enrolled in the class and still a learner of its school."""
    if user is None or not school_permissions.signed_in(user):
        return False
    return (
        Enrolment.objects.filter(learner=user, school_class=school_class).exists()
        and Membership.objects.filter(
            user=user, school_id=school_class.school_id, role=Membership.Role.LEARNER
        ).exists()
    )


def learner_in_class(school_class: SchoolClass) -> Q:
    """Users (``User`` rows) enrolled in the class."""
    return Q(Exists(Enrolment.objects.filter(learner=OuterRef("pk"), school_class=school_class)))
