"""Every write to schools, people and memberships. Keyword-only, transactional, raising domain errors.

Services check permissions with the object checks of :mod:`tessera.schools.permissions`; callers
(API, pages, management commands) only parse input and render results.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tessera.schools import permissions
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tessera.schools.models import (
    AcademicTerm,
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


def _require_admin(actor: User, school: School) -> None:
    if not permissions.can_manage_school(actor, school):
        raise PermissionDenied("Only an administrator of this school can change its roster.")


def _require_member(school: School, user: User, role: str, what: str) -> Membership:
    membership = Membership.objects.filter(school=school, user=user, role=role).first()
    if membership is None:
        raise DomainError(f"{user.name} is not a {what} of {school.name}.")
    return membership


def term_create(
    *, actor: User, school: School, name: str, starts_on: datetime.date, ends_on: datetime.date
) -> AcademicTerm:
    _require_admin(actor, school)
    if ends_on <= starts_on:
        raise DomainError("A term must end after it starts.")
    if AcademicTerm.objects.filter(school=school, name=name).exists():
        raise Conflict(f"There is already a term called “{name}”.")
    return AcademicTerm.objects.create(school=school, name=name, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def class_create(
    *, actor: User | None, school: School, name: str, subject: str, grade_level: int, term: AcademicTerm
) -> SchoolClass:
    if actor is not None:
        _require_admin(actor, school)
    if term.school_id != school.pk:
        raise DomainError("That term belongs to another school.")
    if not 0 <= grade_level <= 13:
        raise DomainError("Grade level must be between 0 (kindergarten) and 13.")
    if SchoolClass.objects.filter(school=school, term=term, name=name).exists():
        raise Conflict(f"There is already a class called “{name}” in {term.name}.")
    return SchoolClass.objects.create(
        school=school, name=name, subject=subject, grade_level=grade_level, term=term
    )


@transaction.atomic
def person_add(
    *,
    actor: User | None,
    school: School,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    email: str = "",
    birth_date: datetime.date | None = None,
    grade_level: int | None = None,
    specialty: str = "",
    sourced_id: str = "",
    password_hash: str | None = None,
    require_same_person: bool = False,
) -> Membership:
    """Give a person a role in the school, creating their account if the username is new.

    ``actor`` is None only for trusted callers (management commands such as the demo loader).
    A new account gets ``password_hash`` (from ``make_password``) or, without it, no usable password
    until the person sets one through a reset or an invitation. With ``require_same_person`` (roster
    pages and imports), an existing username is only reused when :func:`is_same_person` says the
    account belongs to the person described; otherwise it is a :class:`Conflict`.
    """
    if actor is not None:
        _require_admin(actor, school)
    if role not in Role.values:
        raise DomainError(f"Unknown role “{role}”; expected one of {', '.join(Role.values)}.")
    if specialty and role != Role.SPECIALIST:
        raise DomainError("Only specialists have a specialty.")
    user = User.objects.filter(username=username).first()
    if (
        user is not None
        and require_same_person
        and not is_same_person(user, first_name=first_name, last_name=last_name, email=email)
    ):
        raise Conflict(f"The username “{username}” is already taken by a different person.")
    if user is None:
        user = User(
            username=username, first_name=first_name, last_name=last_name, email=email, birth_date=birth_date
        )
        if password_hash:
            user.password = password_hash
        else:
            user.set_unusable_password()
        user.save()
    if Membership.objects.filter(school=school, user=user, role=role).exists():
        raise Conflict(f"{user.name} is already a {Role(role).label.lower()} of {school.name}.")
    return Membership.objects.create(
        school=school,
        user=user,
        role=role,
        grade_level=grade_level if role == Role.LEARNER else None,
        specialty=specialty,
        sourced_id=sourced_id,
        approved_at=timezone.now() if role == Role.MENTOR else None,
    )


def is_same_person(user: User, *, first_name: str, last_name: str, email: str) -> bool:
    """Whether an existing account describes the same person: same given and family name and the same
    e-mail address (compared without case; two empty addresses count as the same)."""
    return (
        user.first_name.casefold() == first_name.casefold()
        and user.last_name.casefold() == last_name.casefold()
        and user.email.casefold() == email.casefold()
    )


def learner_enrol(*, actor: User | None, school_class: SchoolClass, learner: User) -> Enrolment:
    school = school_class.school
    if actor is not None:
        _require_admin(actor, school)
    _require_member(school, learner, Role.LEARNER, "learner")
    try:
        with transaction.atomic():
            return Enrolment.objects.create(school=school, school_class=school_class, learner=learner)
    except IntegrityError:
        raise Conflict(f"{learner.name} is already enrolled in {school_class.name}.") from None


def learner_unenrol(*, actor: User, school_class: SchoolClass, learner: User) -> None:
    _require_admin(actor, school_class.school)
    deleted, _ = Enrolment.objects.filter(school_class=school_class, learner=learner).delete()
    if not deleted:
        raise DomainError(f"{learner.name} is not enrolled in {school_class.name}.")


def teacher_assign(
    *, actor: User | None, school_class: SchoolClass, teacher: User, kind: str = TeachingAssignment.Kind.LEAD
) -> TeachingAssignment:
    school = school_class.school
    if actor is not None:
        _require_admin(actor, school)
    _require_member(school, teacher, Role.TEACHER, "teacher")
    if kind not in TeachingAssignment.Kind.values:
        raise DomainError("Teaching role must be “lead” or “co”.")
    try:
        with transaction.atomic():
            return TeachingAssignment.objects.create(
                school=school, school_class=school_class, teacher=teacher, kind=kind
            )
    except IntegrityError:
        raise Conflict(f"{teacher.name} already teaches {school_class.name}.") from None


def supporter_assign(
    *, actor: User | None, school: School, staff: User, learner: User, role: str
) -> SupportAssignment:
    """Assign a specialist, para-professional or approved mentor to work with one learner."""
    if actor is not None:
        _require_admin(actor, school)
    if role not in SupportAssignment.Role.values:
        raise DomainError("Support role must be specialist, para_professional or mentor.")
    staff_membership = _require_member(school, staff, role, SupportAssignment.Role(role).label.lower())
    if role == Role.MENTOR and staff_membership.approved_at is None:
        raise PermissionDenied(f"{staff.name} is not an approved mentor yet.")
    _require_member(school, learner, Role.LEARNER, "learner")
    try:
        with transaction.atomic():
            return SupportAssignment.objects.create(school=school, staff=staff, learner=learner, role=role)
    except IntegrityError:
        raise Conflict(f"{staff.name} is already assigned to {learner.name}.") from None


def guardian_link(
    *, actor: User | None, school: School, guardian: User, learner: User, relationship: str = "parent"
) -> Guardianship:
    if actor is not None:
        _require_admin(actor, school)
    _require_member(school, learner, Role.LEARNER, "learner")
    if guardian.pk == learner.pk:
        raise DomainError("A learner cannot be their own guardian.")
    if relationship not in Guardianship.Relationship.values:
        raise DomainError(f"Unknown relationship “{relationship}”.")
    try:
        with transaction.atomic():
            return Guardianship.objects.create(
                school=school, guardian=guardian, learner=learner, relationship=relationship
            )
    except IntegrityError:
        raise Conflict(f"{guardian.name} is already a guardian of {learner.name}.") from None


@transaction.atomic
def guardian_create(
    *,
    actor: User | None,
    school: School,
    learner: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    relationship: str = "parent",
) -> Guardianship:
    """Create a guardian's account (no usable password until they reset it) and link it to a learner."""
    if actor is not None:
        _require_admin(actor, school)
    if User.objects.filter(username=username).exists():
        raise Conflict(f"The username “{username}” is already taken; link the existing account instead.")
    guardian = User(username=username, first_name=first_name, last_name=last_name, email=email)
    guardian.set_unusable_password()
    guardian.save()
    return guardian_link(
        actor=None, school=school, guardian=guardian, learner=learner, relationship=relationship
    )


def guardianship_revoke(*, actor: User, guardianship: Guardianship) -> Guardianship:
    _require_admin(actor, guardianship.school)
    if guardianship.revoked_at is None:
        guardianship.revoked_at = timezone.now()
        guardianship.save(update_fields=["revoked_at"])
    return guardianship
