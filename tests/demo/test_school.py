"""The demo school that `make run` loads."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tessera.demo.school import DEMO_PASSWORD
from tessera.schools.models import Guardianship, Membership, School, SchoolClass, User


def _counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        SchoolClass.objects.count(),
        Guardianship.objects.count(),
    )


def test_demo_school_has_every_role_and_loading_twice_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_demo_school", "--no-history", stdout=out)
    first = _counts()
    school = School.objects.get(slug="demo")
    roles = set(Membership.objects.filter(school=school).values_list("role", flat=True))
    assert roles == {"administrator", "teacher", "learner", "specialist", "para_professional", "mentor"}
    assert list(SchoolClass.objects.filter(school=school).values_list("grade_level", flat=True)) == [6, 7, 8]
    learners = Membership.objects.filter(school=school, role="learner")
    assert 55 <= learners.count() <= 65
    assert not learners.exclude(user__guardians_links__isnull=False).exists(), "every learner has a guardian"

    again = StringIO()
    call_command("load_demo_school", "--no-history", stdout=again)
    assert _counts() == first
    assert "Already loaded" in again.getvalue()


def test_every_printed_login_signs_in_with_its_role(db) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_demo_school", "--no-history", stdout=out)
    text = out.getvalue()
    assert f"every password is: {DEMO_PASSWORD}" in text
    printed = [line.split()[0] for line in text.splitlines() if line.startswith("  ")]
    assert len(printed) == User.objects.count()
    for username, role in [
        ("admin", "School administrator"),
        ("t.garcia", "Teacher"),
        ("s.byrne", "Specialist"),
    ]:
        assert any(
            line.split()[0] == username and role in line
            for line in text.splitlines()
            if line.startswith("  ")
        )
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


def test_the_demo_school_refuses_to_take_over_an_existing_account(db) -> None:  # type: ignore[no-untyped-def]
    User.objects.create(username="admin", email="real.admin@example.org", date_joined=timezone.now())
    with pytest.raises(CommandError, match="username “admin” is already taken"):
        call_command("load_demo_school")
    assert not School.objects.filter(slug="demo").exists()
    assert User.objects.count() == 1, "the loader rolled back as a whole"
