"""The services and selectors the roster pages and the import add or extend."""

from __future__ import annotations

import pytest

from tessera.schools import selectors, services
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
from tessera.schools.models import Guardianship, Membership, User


def test_same_person_compares_names_and_email_without_case(world) -> None:  # type: ignore[no-untyped-def]
    teacher = world.a.teacher
    assert services.is_same_person(
        teacher, first_name="teacher", last_name="a", email="TEACHER@a.example.org"
    )
    assert not services.is_same_person(teacher, first_name="Teacher", last_name="A", email="")
    assert not services.is_same_person(teacher, first_name="Other", last_name="A", email=teacher.email)


def test_person_add_can_refuse_a_username_of_a_different_person(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict, match="already belongs to someone else in School A"):
        services.person_add(
            actor=world.a.admin,
            school=world.a.school,
            username=world.a.teacher.username,
            first_name="Someone",
            last_name="Else",
            role="mentor",
            require_same_person=True,
        )
    assert not Membership.objects.filter(user=world.a.teacher, role="mentor").exists()


def test_person_add_reuses_only_accounts_the_school_knows(world) -> None:  # type: ignore[no-untyped-def]
    """School B cannot take over school A's teacher by naming their username, and learns nothing
    about that account from the error."""
    with pytest.raises(Conflict) as refused:
        services.person_add(
            actor=world.b.admin,
            school=world.b.school,
            username=world.a.teacher.username,
            first_name="Teacher",
            last_name="A",
            role="administrator",
        )
    assert (
        refused.value.message
        == f"The username “{world.a.teacher.username}” is already taken; choose another."
    )
    assert not Membership.objects.filter(user=world.a.teacher, school=world.b.school).exists()
    same_school = services.person_add(
        actor=None,
        school=world.a.school,
        username=world.a.teacher.username,
        first_name="",
        last_name="",
        role="mentor",
    )
    assert same_school.user == world.a.teacher


def test_guardian_create_makes_an_account_without_password_and_links_it(world) -> None:  # type: ignore[no-untyped-def]
    link = services.guardian_create(
        actor=world.a.admin,
        school=world.a.school,
        learner=world.a.other_learner,
        username="new.guardian",
        first_name="New",
        last_name="Guardian",
        email="new@example.org",
        relationship="guardian",
    )
    assert link.guardian.username == "new.guardian"
    assert not link.guardian.has_usable_password()
    assert (link.learner, link.relationship, link.school) == (
        world.a.other_learner,
        "guardian",
        world.a.school,
    )


@pytest.mark.parametrize(
    ("actor", "learner", "username", "error"),
    [
        ("b_admin", "learner", "fresh", PermissionDenied),
        ("teacher", "learner", "fresh", PermissionDenied),
        ("admin", "learner", "a.guardian", Conflict),
        ("admin", "teacher", "fresh", DomainError),
    ],
)
def test_guardian_create_refuses_and_changes_nothing(world, actor, learner, username, error) -> None:  # type: ignore[no-untyped-def]
    before = (User.objects.count(), Guardianship.objects.count())
    with pytest.raises(error):
        services.guardian_create(
            actor=world.person(actor),
            school=world.a.school,
            learner=world.person(learner),
            username=username,
            first_name="F",
            last_name="L",
        )
    assert (User.objects.count(), Guardianship.objects.count()) == before


def test_school_people_stays_inside_the_school(world) -> None:  # type: ignore[no-untyped-def]
    people = set(selectors.school_people(world.a.school))
    assert world.a.guardian in people
    assert world.a.learner in people
    assert world.b.learner not in people
    assert world.outsider not in people
    assert list(selectors.school_people(world.a.school, role="specialist")) == [world.a.specialist]
    assert list(selectors.school_people(world.a.school, search="other lear")) == [world.a.other_learner]
    assert selectors.school_person(world.a.school, world.b.admin.pk) is None


def test_a_revoked_guardian_is_no_longer_a_person_of_the_school(world) -> None:  # type: ignore[no-untyped-def]
    link = Guardianship.objects.get(school=world.a.school, guardian=world.a.guardian)
    services.guardianship_revoke(actor=world.a.admin, guardianship=link)
    assert selectors.school_person(world.a.school, world.a.guardian.pk) is None


def test_person_roster_gathers_what_the_person_page_shows(world) -> None:  # type: ignore[no-untyped-def]
    roster = selectors.person_roster(world.a.school, world.a.learner)
    assert roster.learner is not None
    assert [c.name for c in roster.classes] == ["Maths 7"]
    assert {s.role for s in roster.supporters} == {"specialist", "para_professional", "mentor"}
    assert [g.guardian for g in roster.guardians] == [world.a.guardian]
    assert selectors.person_roster(world.a.school, world.a.guardian).children[0].learner == world.a.learner
