"""CSV roster import: the whole file is validated first; a bad row means nothing is imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.schools.errors import PermissionDenied
from tessera.schools.models import (
    Enrolment,
    Guardianship,
    Membership,
    TeachingAssignment,
    User,
)
from tessera.schools.roster import imports as roster_import
from tessera.schools.roster.imports import ImportRejected

HEADER = "sourcedId,username,givenName,familyName,email,role,grades,birthDate,agentSourcedIds\n"


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "teaching": TeachingAssignment.objects.count(),
        "guardianships": Guardianship.objects.count(),
    }


def hundred_learners(bad_line: int | None = None) -> bytes:
    """A users file with 100 learners; the row on ``bad_line`` (line 1 is the header) has a bad date."""
    rows = [HEADER]
    for n in range(2, 102):
        birth = "2014-02-30" if n == bad_line else "2014-02-03"
        rows.append(f"s-{n},learner{n},Learner,Number{n},learner{n}@example.org,student,07,{birth},\n")
    return "".join(rows).encode()


def uploads(users: bytes, enrollments: bytes) -> dict[str, SimpleUploadedFile]:
    return {
        "users": SimpleUploadedFile("users.csv", users),
        "enrollments": SimpleUploadedFile("enrollments.csv", enrollments),
    }


def good_files(world) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    users = (
        HEADER + "t-1,new.teacher,Nina,Teach,nina@example.org,teacher,,,\n"
        "s-1,new.learner,Leo,Learn,,student,KG,2020-01-05,\n"
        "s-2,new.learner2,Lia,Learn,,student,01,2019-03-05,\n"
        'p-1,new.parent,Pat,Learn,pat@example.org,parent,,,"s-1,s-2"\n'
        "a-1,new.aide,Ada,Aide,,aide,,,\n"
    ).encode()
    enrollments = (
        b"classSourcedId,userSourcedId,role,primary\n"
        b"Maths 7,t-1,teacher,false\n"
        b"Maths 7,s-1,student,\n"
        b"maths 7b,s-2,student,\n"
    )
    return users, enrollments


def run(world, users: bytes, enrollments: bytes | None = None):  # type: ignore[no-untyped-def]
    return roster_import.roster_import(
        actor=world.a.admin, school=world.a.school, users=users, enrollments=enrollments
    )


def test_one_bad_row_among_100_imports_nothing_and_names_its_line(world) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    result = run(world, hundred_learners(bad_line=57))
    assert not result.ok
    assert [(e.file, e.line) for e in result.errors] == [("users.csv", 57)]
    assert "birthDate “2014-02-30” is not a date" in result.errors[0].message
    assert counts() == before


def test_a_good_100_row_file_imports_every_learner(world) -> None:  # type: ignore[no-untyped-def]
    result = run(world, hundred_learners())
    assert result.ok
    assert result.created["people"] == 100
    assert Membership.objects.filter(school=world.a.school, role="learner", grade_level=7).count() == 102


def test_good_files_import_people_roles_enrolments_and_guardian_links(world) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    result = run(world, *good_files(world))
    assert result.ok, result.errors
    assert result.created == {
        "people": 5,
        "roles": 4,
        "guardian links": 2,
        "enrolments": 2,
        "teaching assignments": 1,
    }
    after = counts()
    assert after["users"] == before["users"] + 5
    assert after["memberships"] == before["memberships"] + 4
    learner = Membership.objects.get(school=world.a.school, user__username="new.learner")
    assert learner.grade_level == 0
    assert learner.sourced_id == "s-1"
    assert Membership.objects.get(user__username="new.aide").role == "para_professional"
    parent = User.objects.get(username="new.parent")
    assert not parent.has_usable_password()
    assert set(
        Guardianship.objects.filter(guardian=parent).values_list("learner__username", "relationship")
    ) == {("new.learner", "parent"), ("new.learner2", "parent")}
    assert Enrolment.objects.filter(school_class=world.a.klass, learner__username="new.learner").exists()
    assert Enrolment.objects.filter(
        school_class=world.a.other_class, learner__username="new.learner2"
    ).exists()
    assert TeachingAssignment.objects.get(teacher__username="new.teacher").kind == "co"


def test_importing_the_same_files_again_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    run(world, *good_files(world))
    before = counts()
    again = run(world, *good_files(world))
    assert again.ok, again.errors
    assert sum(again.created.values()) == 0
    assert again.unchanged == 5 + 2 + 3
    assert counts() == before


def test_every_bad_row_is_reported_with_its_reason(world) -> None:  # type: ignore[no-untyped-def]
    users = (
        HEADER + "x-1,ok.one,Ok,One,,student,07,,\n"
        "x-2,bad.role,Bad,Role,,janitor,,,\n"
        "x-3,bad.grade,Bad,Grade,,student,PK,,\n"
        "x-1,dup.id,Dup,Id,,student,07,,\n"
        "x-5,ok.one,Dup,Name,,student,07,,\n"
        "x-6,a.teacher,Someone,Else,,teacher,,,\n"
        "x-7,bad.mail,Bad,Mail,not-an-email,teacher,,,\n"
        "x-8,,No,Username,,teacher,,,\n"
        "x-9,parent9,Par,Ent,,parent,,,nobody\n"
    ).encode()
    enrollments = (
        b"classSourcedId,userSourcedId,role,primary\n"
        b"No Such Class,x-1,student,\n"
        b"Maths 7,ghost,student,\n"
        b"Maths 7,x-1,teacher,\n"
        b"Maths 7,x-1,student,maybe\n"
    )
    before = counts()
    result = run(world, users, enrollments)
    reasons = {(e.file, e.line): e.message for e in result.errors}
    assert counts() == before
    assert "unknown role “janitor”" in reasons[("users.csv", 3)]
    assert "unknown grade “PK”" in reasons[("users.csv", 4)]
    assert "sourcedId “x-1” is also on line 2" in reasons[("users.csv", 5)]
    assert "username “ok.one” is also on line 2" in reasons[("users.csv", 6)]
    assert "already belongs to someone else in this school" in reasons[("users.csv", 7)]
    assert "is not an e-mail address" in reasons[("users.csv", 8)]
    assert "username is empty" in reasons[("users.csv", 9)]
    assert "unknown user “nobody”" in reasons[("users.csv", 10)]
    assert "unknown class “No Such Class”" in reasons[("enrollments.csv", 2)]
    assert "unknown user “ghost”" in reasons[("enrollments.csv", 3)]
    assert "is not a teacher" in reasons[("enrollments.csv", 4)]
    assert "primary “maybe” is not true or false" in reasons[("enrollments.csv", 5)]
    assert len(result.errors) == 12


def test_a_bad_row_is_reported_once_not_again_where_it_is_referred_to(world) -> None:  # type: ignore[no-untyped-def]
    users = HEADER + "s-1,kid,Kid,One,,student,99,,\np-1,mum,Mum,One,,parent,,,s-1\n"
    result = run(world, users.encode(), b"classSourcedId,userSourcedId,role\nMaths 7,s-1,student\n")
    assert [(e.file, e.line) for e in result.errors] == [("users.csv", 2)]
    assert "unknown grade “99”" in result.errors[0].message


def test_enrolments_may_refer_to_people_already_in_the_school(world) -> None:  # type: ignore[no-untyped-def]
    run(world, *good_files(world))
    result = run(world, HEADER.encode(), b"classSourcedId,userSourcedId,role\nMaths 7B,s-1,student\n")
    assert result.ok, result.errors
    assert result.created["enrolments"] == 1


def test_a_quoted_value_over_two_lines_keeps_line_numbers_right(world) -> None:  # type: ignore[no-untyped-def]
    users = HEADER + 'q-1,quoted,"Two\nLines",X,,student,07,,\nq-2,later,Bad,Date,,student,07,tomorrow,\n'
    result = run(world, users.encode())
    assert [e.line for e in result.errors] == [4]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"sourcedId,username\nx,y\n", "missing required column givenName, familyName, role"),
        ("sourcedId,username,givenName,familyName,role\n".encode("utf-16"), "is not UTF-8"),
        (b"", "is empty"),
        (b"x" * (roster_import.MAX_FILE_BYTES + 1), "larger than 2 MB"),
        (
            HEADER.encode() + b"a,b,c,d,,student,07,,\n" * (roster_import.MAX_ROWS + 1),
            "more than 20,000 rows",
        ),
    ],
    ids=["missing-columns", "utf-16", "empty", "too-large", "too-many-rows"],
)
def test_unreadable_uploads_are_rejected_whole(world, data: bytes, reason: str) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(ImportRejected, match=reason):
        run(world, data)
    assert counts() == before


def test_only_an_administrator_of_the_school_may_import(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        roster_import.roster_import(actor=world.b.admin, school=world.a.school, users=hundred_learners())
    with pytest.raises(PermissionDenied):
        roster_import.roster_import(actor=world.a.teacher, school=world.a.school, users=hundred_learners())


def test_import_page_reports_counts_and_errors(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    url = f"/school/{world.a.school.pk}/import/"
    response = client.post(url, {"users": SimpleUploadedFile("u.csv", hundred_learners(bad_line=9))})
    assert response.status_code == 400
    assert "users.csv line 9" in response.content.decode()
    assert "Nothing was imported" in response.content.decode()
    users, enrollments = good_files(world)
    response = client.post(url, uploads(users, enrollments), follow=True)
    assert response.status_code == 200
    assert "Imported 5 people" in response.content.decode()


def test_import_page_rejects_non_utf8_with_a_form_error(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    response = client.post(
        f"/school/{world.a.school.pk}/import/",
        {"users": SimpleUploadedFile("u.csv", "é".encode("latin-1") + HEADER.encode())},
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def test_example_files_import_cleanly(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    users = client.get(f"/school/{world.a.school.pk}/import/example/users.csv")
    enrollments = client.get(f"/school/{world.a.school.pk}/import/example/enrollments.csv")
    assert users["Content-Type"].startswith("text/csv")
    assert "attachment" in users["Content-Disposition"]
    result = run(world, users.content, enrollments.content)
    assert result.ok, result.errors


def test_api_imports_a_multipart_upload(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    url = f"/api/schools/{world.a.school.pk}/roster-import"
    before = counts()
    bad = client.post(url, {"users": SimpleUploadedFile("u.csv", hundred_learners(bad_line=30))})
    assert bad.status_code == 400
    body = bad.json()
    assert "nothing was imported" in body["detail"]
    assert [(e["file"], e["line"]) for e in body["errors"]] == [("users.csv", 30)]
    assert counts() == before
    users, enrollments = good_files(world)
    response = client.post(url, uploads(users, enrollments))
    assert response.status_code == 200, response.content
    assert response.json()["created"]["people"] == 5


def test_api_rejects_unreadable_or_missing_files_with_a_detail(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    url = f"/api/schools/{world.a.school.pk}/roster-import"
    rejected = client.post(url, {"users": SimpleUploadedFile("u.csv", b"\xff\xfe\x00")})
    assert rejected.status_code == 400
    assert "not UTF-8" in rejected.json()["detail"]
    missing = client.post(url, {})
    assert missing.status_code == 400
    assert "users" in missing.json()["detail"]


def test_a_sourced_id_of_another_person_in_the_school_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    run(world, *good_files(world))
    result = run(world, (HEADER + "s-1,someone.new,Some,One,,student,07,,\n").encode())
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "sourcedId “s-1” already belongs to new.learner here")
    ]


def test_import_cannot_take_over_an_account_of_another_school(world) -> None:  # type: ignore[no-untyped-def]
    """A row naming school B's teacher (with the right name and e-mail) is refused without describing
    the account, and school B's teacher gains no role in school A."""
    users = (
        b"sourcedId,username,givenName,familyName,email,role,grades,birthDate,agentSourcedIds\n"
        b"t-1,b.teacher,Teacher,B,teacher@b.example.org,administrator,,,\n"
    )
    result = run(world, users, None)
    assert [(e.line, e.message) for e in result.errors] == [(2, "username “b.teacher” is already taken")]
    assert not Membership.objects.filter(school=world.a.school, user=world.b.teacher).exists()
