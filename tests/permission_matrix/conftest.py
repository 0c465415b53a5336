"""The matrix's world: the shared two-school world plus the people whose access has ended or lies in
another school, who must see nothing of school A."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tessera.schools import services
from tessera.schools.models import Guardianship, Membership, SupportAssignment, User


@pytest.fixture
def world(world):  # type: ignore[no-untyped-def]
    a, b = world.a, world.b
    ended = timezone.now()
    a.former_guardian = User.objects.create(username="a.former_guardian", password=a.guardian.password)
    services.guardian_link(actor=None, school=a.school, guardian=a.former_guardian, learner=a.learner)
    Guardianship.objects.filter(guardian=a.former_guardian).update(revoked_at=ended)
    a.former_specialist = services.person_add(
        actor=None,
        school=a.school,
        username="a.former_specialist",
        first_name="Former",
        last_name="Specialist",
        role="specialist",
        specialty="therapist",
    ).user
    services.supporter_assign(
        actor=None, school=a.school, staff=a.former_specialist, learner=a.learner, role="specialist"
    )
    SupportAssignment.objects.filter(staff=a.former_specialist).update(ended_at=ended)
    a.former_teacher = services.person_add(
        actor=None,
        school=a.school,
        username="a.former_teacher",
        first_name="Former",
        last_name="Teacher",
        role="teacher",
    ).user
    services.teacher_assign(actor=None, school_class=a.klass, teacher=a.former_teacher)
    services.teaching_end(actor=a.admin, assignment=a.former_teacher.teaching.get())
    # School A's learner also attends school B, where b.guardian is their guardian: a guardianship is a
    # link in one school, so it must open nothing of school A.
    Membership.objects.create(school=b.school, user=a.learner, role=Membership.Role.LEARNER, grade_level=7)
    services.learner_enrol(actor=None, school_class=b.klass, learner=a.learner)
    services.guardian_link(actor=None, school=b.school, guardian=b.guardian, learner=a.learner)
    return world


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Files the cases store (evaluations' attachments) go to a folder of the test's own."""
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.PRIVATE_FILES_DIR
