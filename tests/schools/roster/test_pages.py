"""Roster pages as an administrator uses them: forms succeed with a message, fail with a reason."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tessera.schools import services
from tessera.schools.models import (
    AcademicTerm,
    Enrolment,
    Guardianship,
    Membership,
    SchoolClass,
    SupportAssignment,
    TeachingAssignment,
    User,
)


@pytest.fixture
def admin(world, client_for) -> Client:  # type: ignore[no-untyped-def]
    return client_for(world.a.admin)  # type: ignore[no-any-return]


def base(world) -> str:  # type: ignore[no-untyped-def]
    return f"/school/{world.a.school.pk}"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()  # type: ignore[no-any-return]


def test_overview_links_to_every_roster_page(world, admin) -> None:  # type: ignore[no-untyped-def]
    page = text(admin.get(f"{base(world)}/"))
    for part in ("classes/", "terms/", "people/", "people/new/", "import/"):
        assert f'href="{base(world)}/{part}"' in page


def test_pages_have_no_inline_scripts_or_styles(world, admin) -> None:  # type: ignore[no-untyped-def]
    for url in (
        "/",
        "/classes/",
        f"/classes/{world.a.klass.pk}/",
        "/people/",
        f"/people/{world.a.learner.pk}/",
    ):
        page = text(admin.get(base(world) + url))
        assert "<script" not in page
        assert "style=" not in page


def test_create_a_term_and_a_class(world, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post(
        f"{base(world)}/terms/",
        {"name": "2027-2028", "starts_on": "2027-09-01", "ends_on": "2028-07-01"},
        follow=True,
    )
    assert "Term “2027-2028” created." in text(response)
    term = AcademicTerm.objects.get(school=world.a.school, name="2027-2028")
    response = admin.post(
        f"{base(world)}/classes/",
        {"name": "Algebra 8", "subject": "Mathematics", "grade_level": "8", "term": term.pk},
        follow=True,
    )
    assert "Class “Algebra 8” created." in text(response)
    assert SchoolClass.objects.get(school=world.a.school, name="Algebra 8").grade_level == 8


def test_bad_term_dates_and_a_repeated_class_are_form_errors(world, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post(
        f"{base(world)}/terms/", {"name": "Backwards", "starts_on": "2027-09-01", "ends_on": "2027-01-01"}
    )
    assert response.status_code == 400
    assert "A term must end after it starts." in text(response)
    payload = {"name": "Maths 7", "subject": "Mathematics", "grade_level": "7", "term": world.a.term.pk}
    before = SchoolClass.objects.count()
    response = admin.post(f"{base(world)}/classes/", payload)
    assert response.status_code == 400
    assert re.search(r'role="alert".*already a class called “Maths 7”', text(response), re.S)
    assert SchoolClass.objects.count() == before


def test_a_term_of_another_school_cannot_be_chosen(world, admin) -> None:  # type: ignore[no-untyped-def]
    payload = {"name": "Sneaky", "subject": "Mathematics", "grade_level": "7", "term": world.b.term.pk}
    response = admin.post(f"{base(world)}/classes/", payload)
    assert response.status_code == 400
    assert not SchoolClass.objects.filter(name="Sneaky").exists()


def test_enrol_twice_then_unenrol_with_confirmation(world, admin) -> None:  # type: ignore[no-untyped-def]
    url = f"{base(world)}/classes/{world.a.klass.pk}/"
    payload = {"enrol-learner": world.a.membership(world.a.other_learner).pk}
    response = admin.post(url + "enrol/", payload, follow=True)
    assert "Other Learner A enrolled in Maths 7." in text(response)
    again = admin.post(url + "enrol/", payload)
    assert again.status_code == 400
    assert "already enrolled in Maths 7" in text(again)
    assert Enrolment.objects.filter(school_class=world.a.klass, learner=world.a.other_learner).count() == 1

    unenrol = f"{url}learners/{world.a.other_learner.pk}/unenrol/"
    confirm = admin.get(unenrol)
    assert "Remove Other Learner A from Maths 7?" in text(confirm)
    assert Enrolment.objects.filter(school_class=world.a.klass, learner=world.a.other_learner).exists()
    response = admin.post(unenrol, follow=True)
    assert "Other Learner A removed from Maths 7." in text(response)
    assert not Enrolment.objects.filter(school_class=world.a.klass, learner=world.a.other_learner).exists()
    repeated = admin.post(unenrol, follow=True)
    assert "Other Learner A is not enrolled in Maths 7." in text(repeated)
    assert "Other Learner A is not enrolled in Maths 7." in text(admin.get(unenrol, follow=True))


def test_a_learner_of_another_school_cannot_be_enrolled(world, admin) -> None:  # type: ignore[no-untyped-def]
    url = f"{base(world)}/classes/{world.a.klass.pk}/enrol/"
    response = admin.post(url, {"enrol-learner": world.b.membership(world.b.learner).pk})
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert not Enrolment.objects.filter(school_class=world.a.klass, learner=world.b.learner).exists()


def test_assign_a_co_teacher(world, admin) -> None:  # type: ignore[no-untyped-def]
    url = f"{base(world)}/classes/{world.a.klass.pk}/teachers/"
    payload = {
        "teacher-teacher": world.a.membership(world.a.other_teacher, "teacher").pk,
        "teacher-kind": "co",
    }
    response = admin.post(url, payload, follow=True)
    assert "Other Teacher A now teaches Maths 7." in text(response)
    assert (
        TeachingAssignment.objects.get(school_class=world.a.klass, teacher=world.a.other_teacher).kind == "co"
    )
    again = admin.post(url, payload)
    assert again.status_code == 400
    assert "already teaches Maths 7" in text(again)


def test_objects_of_another_school_are_not_found_under_this_school(world, admin) -> None:  # type: ignore[no-untyped-def]
    assert admin.get(f"{base(world)}/classes/{world.b.klass.pk}/").status_code == 404
    assert admin.get(f"{base(world)}/people/{world.b.learner.pk}/").status_code == 404
    link = Guardianship.objects.get(school=world.b.school, learner=world.b.learner)
    assert admin.post(f"{base(world)}/guardianships/{link.pk}/revoke/").status_code == 404
    assert Guardianship.objects.get(pk=link.pk).revoked_at is None


def test_people_list_pages_searches_and_filters_by_role(world, admin) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        services.person_add(
            actor=None,
            school=world.a.school,
            username=f"pupil{n:02d}",
            first_name="Pupil",
            last_name=f"Zed{n:02d}",
            role="learner",
            grade_level=6,
        )
    url = f"{base(world)}/people/"
    first = text(admin.get(url, {"role": "learner"}))
    assert "32 people found" in first
    assert "Page 1 of 2" in first
    assert "?role=learner&amp;page=2" in first
    second = text(admin.get(url, {"role": "learner", "page": 2}))
    assert second.count('class="card"') == 7
    found = text(admin.get(url, {"q": "zed07"}))
    assert "1 person found" in found
    assert "Pupil Zed07" in found
    guardians = text(admin.get(url, {"role": "guardian"}))
    assert "1 person found" in guardians
    assert "Guardian" in guardians
    everyone = text(admin.get(url))
    assert "40 people found" in everyone  # 9 members, 1 guardian and 30 pupils
    assert "Teacher B" not in everyone


def test_add_a_person(world, admin) -> None:  # type: ignore[no-untyped-def]
    url = f"{base(world)}/people/new/"
    payload = {
        "first_name": "Rosa",
        "last_name": "Park",
        "username": "rosa.park",
        "email": "rosa@example.org",
        "role": "learner",
        "grade_level": "6",
        "birth_date": "2015-05-05",
    }
    response = admin.post(url, payload, follow=True)
    assert "Rosa Park added as learner." in text(response)
    membership = Membership.objects.get(school=world.a.school, user__username="rosa.park")
    assert (membership.role, membership.grade_level) == ("learner", 6)
    assert not membership.user.has_usable_password()

    again = admin.post(url, payload)
    assert again.status_code == 400
    assert "Rosa Park is already a learner" in text(again)


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"grade_level": ""}, "A learner needs a grade level."),
        ({"role": "teacher"}, "Only learners have a grade level."),
        ({"specialty": "therapist"}, "Only specialists have a specialty."),
        ({"email": "not-mail"}, "Enter a valid email address."),
        ({"username": "has space"}, "Enter a valid username."),
        ({"birth_date": "2999-01-01"}, "A birth date cannot be in the future."),
        ({"username": "a.teacher"}, "already belongs to someone else in School A"),
        ({"username": "b.teacher"}, "The username “b.teacher” is already taken; choose another."),
    ],
)
def test_bad_person_input_is_a_form_error(world, admin, change: dict[str, str], field_error: str) -> None:  # type: ignore[no-untyped-def]
    payload = {"first_name": "X", "last_name": "Y", "username": "x.y", "role": "learner", "grade_level": "6"}
    before = User.objects.count()
    response = admin.post(f"{base(world)}/people/new/", {**payload, **change})
    assert response.status_code == 400
    assert field_error in text(response)
    assert User.objects.count() == before


def test_the_same_person_gets_a_second_role(world, admin) -> None:  # type: ignore[no-untyped-def]
    payload = {
        "first_name": "Teacher",
        "last_name": "A",
        "username": "a.teacher",
        "email": "teacher@a.example.org",
        "role": "mentor",
    }
    response = admin.post(f"{base(world)}/people/new/", payload, follow=True)
    assert "Teacher A added as mentor." in text(response)
    assert set(world.a.teacher.memberships.values_list("role", flat=True)) == {"teacher", "mentor"}


def test_assign_a_supporter_and_manage_guardians(world, admin) -> None:  # type: ignore[no-untyped-def]
    person = f"{base(world)}/people/{world.a.other_learner.pk}/"
    response = admin.post(
        person + "support/",
        {"support-staff": world.a.membership(world.a.specialist, "specialist").pk},
        follow=True,
    )
    assert "Specialist A now works with Other Learner A." in text(response)
    assert SupportAssignment.objects.filter(staff=world.a.specialist, learner=world.a.other_learner).exists()

    response = admin.post(
        person + "guardians/link/",
        {"link-username": world.a.guardian.username, "link-relationship": "relative"},
        follow=True,
    )
    assert "Guardian is relative of Other Learner A." in text(response)
    missing = admin.post(
        person + "guardians/link/", {"link-username": "nobody", "link-relationship": "parent"}
    )
    assert missing.status_code == 400
    assert "No one with that username is known to this school." in text(missing)
    elsewhere = admin.post(
        person + "guardians/link/", {"link-username": world.b.learner.username, "link-relationship": "parent"}
    )
    assert "No one with that username is known to this school." in text(elsewhere), (
        "same answer as no account"
    )

    create = {
        "guardian-first_name": "Olu",
        "guardian-last_name": "Ade",
        "guardian-username": "olu.ade",
        "guardian-email": "olu@example.org",
        "guardian-relationship": "parent",
    }
    response = admin.post(person + "guardians/new/", create, follow=True)
    assert "Account created: Olu Ade is parent of Other Learner A." in text(response)
    taken = admin.post(person + "guardians/new/", create)
    assert taken.status_code == 400
    assert "already taken; choose another" in text(taken)

    link = Guardianship.objects.get(guardian__username="olu.ade")
    revoke = f"{base(world)}/guardianships/{link.pk}/revoke/"
    assert "Unlink Olu Ade from Other Learner A?" in text(admin.get(revoke))
    response = admin.post(revoke, follow=True)
    assert "Olu Ade is no longer linked to Other Learner A." in text(response)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "Olu Ade is no longer linked" in text(admin.post(revoke, follow=True))
    assert admin.get(revoke).status_code == 302


def test_a_person_page_shows_roles_classes_supporters_and_guardians(world, admin) -> None:  # type: ignore[no-untyped-def]
    page = text(admin.get(f"{base(world)}/people/{world.a.learner.pk}/"))
    for expected in ("Learner", "Maths 7", "Specialist A", "Para A", "Mentor A", "Guardian"):
        assert expected in page
    invite = f"/accounts/invitations/new/{world.a.membership(world.a.learner).pk}/"
    assert f'href="{invite}"' in admin.get(f"{base(world)}/people/{world.a.learner.pk}/").content.decode()
    guardian_page = text(admin.get(f"{base(world)}/people/{world.a.guardian.pk}/"))
    assert "Children in this school" in guardian_page
    assert "Learner A" in guardian_page


def test_learner_forms_do_not_accept_a_person_who_is_not_a_learner(world, admin) -> None:  # type: ignore[no-untyped-def]
    teacher = f"{base(world)}/people/{world.a.teacher.pk}/"
    assert admin.get(teacher).status_code == 200
    response = admin.post(
        teacher + "guardians/link/", {"link-username": "a.guardian", "link-relationship": "parent"}
    )
    assert response.status_code == 404
    assert not Guardianship.objects.filter(learner=world.a.teacher).exists()
