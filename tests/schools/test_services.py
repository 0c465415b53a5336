"""Roster services: the rules they enforce and the clear errors they raise, changing nothing."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from tessera.schools import services
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tessera.schools.models import Enrolment, Guardianship, Membership, SchoolClass, User


def test_admin_creates_a_class_and_duplicate_names_conflict(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    created = services.class_create(
        actor=a.admin, school=a.school, name="Maths 7C", subject="Mathematics", grade_level=7, term=a.term
    )
    assert created.school == a.school
    with pytest.raises(Conflict, match="already a class called “Maths 7C”"):
        services.class_create(
            actor=a.admin, school=a.school, name="Maths 7C", subject="Mathematics", grade_level=7, term=a.term
        )
    assert SchoolClass.objects.filter(school=a.school, name="Maths 7C").count() == 1


def test_teacher_cannot_create_a_class(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        services.class_create(
            actor=a.teacher, school=a.school, name="Mine", subject="Mathematics", grade_level=7, term=a.term
        )
    assert not SchoolClass.objects.filter(name="Mine").exists()


def test_admin_of_another_school_cannot_use_its_terms(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="another school"):
        services.class_create(
            actor=world.a.admin,
            school=world.a.school,
            name="X",
            subject="M",
            grade_level=7,
            term=world.b.term,
        )


@pytest.mark.parametrize("grade", [-1, 14])
def test_grade_level_out_of_range_is_rejected(world, grade: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="between 0"):
        services.class_create(
            actor=world.a.admin,
            school=world.a.school,
            name="X",
            subject="M",
            grade_level=grade,
            term=world.a.term,
        )


def test_enrolling_twice_conflicts_and_keeps_one_enrolment(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    with pytest.raises(Conflict, match="already enrolled"):
        services.learner_enrol(actor=a.admin, school_class=a.klass, learner=a.learner)
    assert Enrolment.objects.filter(school_class=a.klass, learner=a.learner).count() == 1


def test_only_learners_of_the_school_can_be_enrolled(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="is not a learner of School A"):
        services.learner_enrol(actor=world.a.admin, school_class=world.a.klass, learner=world.b.learner)
    with pytest.raises(DomainError, match="is not a learner"):
        services.learner_enrol(actor=world.a.admin, school_class=world.a.klass, learner=world.a.teacher)


def test_teacher_assignment_requires_a_teacher_of_the_school(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="is not a teacher of School A"):
        services.teacher_assign(actor=world.a.admin, school_class=world.a.klass, teacher=world.b.teacher)


def test_one_person_can_hold_several_roles(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    services.person_add(
        actor=a.admin,
        school=a.school,
        username=a.teacher.username,
        first_name="",
        last_name="",
        role="mentor",
    )
    roles = set(Membership.objects.filter(user=a.teacher, school=a.school).values_list("role", flat=True))
    assert roles == {"teacher", "mentor"}
    with pytest.raises(Conflict, match="already a teacher"):
        services.person_add(
            actor=a.admin,
            school=a.school,
            username=a.teacher.username,
            first_name="",
            last_name="",
            role="teacher",
        )


def test_unknown_role_and_misplaced_specialty_are_rejected(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    with pytest.raises(DomainError, match="Unknown role “wizard”"):
        services.person_add(
            actor=a.admin, school=a.school, username="x", first_name="", last_name="", role="wizard"
        )
    with pytest.raises(DomainError, match="Only specialists"):
        services.person_add(
            actor=a.admin,
            school=a.school,
            username="x",
            first_name="",
            last_name="",
            role="teacher",
            specialty="therapist",
        )
    assert not User.objects.filter(username="x").exists()


def test_a_guardian_can_have_children_in_two_schools(world) -> None:  # type: ignore[no-untyped-def]
    """Through an invitation the guardian accepts (no acting administrator), not by an admin's say-so."""
    services.guardian_link(
        actor=None, school=world.b.school, guardian=world.a.guardian, learner=world.b.learner
    )
    schools = set(
        Guardianship.objects.filter(guardian=world.a.guardian).values_list("school__slug", flat=True)
    )
    assert schools == {"school-a", "school-b"}


def test_an_admin_cannot_link_an_account_of_another_school(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="not known to this school"):
        services.guardian_link(
            actor=world.b.admin, school=world.b.school, guardian=world.a.guardian, learner=world.b.learner
        )
    assert not Guardianship.objects.filter(school=world.b.school, guardian=world.a.guardian).exists()


def test_an_admin_cannot_link_a_guardian_to_another_schools_learner(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.guardian_link(
            actor=world.a.admin, school=world.b.school, guardian=world.a.guardian, learner=world.b.learner
        )


def test_revoked_guardianship_can_be_linked_again(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    link = Guardianship.objects.get(guardian=a.guardian, learner=a.learner)
    services.guardianship_revoke(actor=a.admin, guardianship=link)
    services.guardian_link(actor=a.admin, school=a.school, guardian=a.guardian, learner=a.learner)
    assert (
        Guardianship.objects.filter(guardian=a.guardian, learner=a.learner, revoked_at__isnull=True).count()
        == 1
    )


def test_unapproved_mentor_cannot_be_assigned(world) -> None:  # type: ignore[no-untyped-def]
    a = world.a
    Membership.objects.filter(user=a.mentor, role="mentor").update(approved_at=None)
    with pytest.raises(PermissionDenied, match="not an approved mentor"):
        services.supporter_assign(
            actor=a.admin, school=a.school, staff=a.mentor, learner=a.other_learner, role="mentor"
        )


def test_database_refuses_a_term_that_ends_before_it_starts(world) -> None:  # type: ignore[no-untyped-def]
    """The invariant lives in the database too, not only in the service."""
    with pytest.raises(DomainError, match="end after"):
        services.term_create(
            actor=world.a.admin,
            school=world.a.school,
            name="Bad",
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2026, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        world.a.school.academicterm_set.create(
            name="Bad", starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2026, 1, 1)
        )
