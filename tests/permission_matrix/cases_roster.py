"""Permission cases for the roster management pages and the roster import API.

Only school A's administrator may use them. The pages answer 404 to everyone else (including school B's
administrator), so nobody learns that the admin pages of a school exist. The import API follows the other
school endpoints: 404 for people who cannot see the school, 403 for its members who do not administer it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.schools.models import Guardianship
from tests.permission_matrix.case import SEES_SCHOOL_A_NOT_ADMIN, Case, roles

ADMIN = roles("admin")
# Everyone who may see school A but not manage it.
A_MEMBERS = SEES_SCHOOL_A_NOT_ADMIN


def school(w: Any) -> str:
    return f"/school/{w.a.school.pk}"


def klass(w: Any) -> str:
    return f"{school(w)}/classes/{w.a.klass.pk}"


def other_learner(w: Any) -> str:
    return f"{school(w)}/people/{w.a.other_learner.pk}"


def guardianship(w: Any) -> str:
    link = Guardianship.objects.get(school=w.a.school, learner=w.a.learner, revoked_at__isnull=True)
    return f"{school(w)}/guardianships/{link.pk}/revoke/"


def users_csv(w: Any) -> dict[str, Any]:
    data = b"sourcedId,username,givenName,familyName,role,grades\nm-1,matrix.learner,Mat,Rix,student,07\n"
    return {"users": SimpleUploadedFile("users.csv", data, content_type="text/csv")}


def page(route: str, url: Any, method: str = "GET", payload: Any = None) -> Case:
    ok = 302 if method == "POST" else 200
    return Case(route, method, url, ADMIN, ok=ok, payload=payload, is_api=False)


CASES = [
    page("roster-terms", lambda w: f"{school(w)}/terms/"),
    page(
        "roster-terms",
        lambda w: f"{school(w)}/terms/",
        "POST",
        lambda w: {"name": "2027-2028", "starts_on": "2027-09-01", "ends_on": "2028-07-01"},
    ),
    page("roster-classes", lambda w: f"{school(w)}/classes/"),
    page(
        "roster-classes",
        lambda w: f"{school(w)}/classes/",
        "POST",
        lambda w: {"name": "Maths 7C", "subject": "Mathematics", "grade_level": "7", "term": w.a.term.pk},
    ),
    page("roster-class", lambda w: f"{klass(w)}/"),
    page(
        "roster-class-enrol",
        lambda w: f"{klass(w)}/enrol/",
        "POST",
        lambda w: {"enrol-learner": w.a.membership(w.a.other_learner).pk},
    ),
    page(
        "roster-class-teacher",
        lambda w: f"{klass(w)}/teachers/",
        "POST",
        lambda w: {"teacher-teacher": w.a.membership(w.a.other_teacher, "teacher").pk, "teacher-kind": "co"},
    ),
    page("roster-class-unenrol", lambda w: f"{klass(w)}/learners/{w.a.learner.pk}/unenrol/"),
    page("roster-class-unenrol", lambda w: f"{klass(w)}/learners/{w.a.learner.pk}/unenrol/", "POST"),
    page("roster-people", lambda w: f"{school(w)}/people/"),
    page("roster-person-add", lambda w: f"{school(w)}/people/new/"),
    page(
        "roster-person-add",
        lambda w: f"{school(w)}/people/new/",
        "POST",
        lambda w: {
            "first_name": "New",
            "last_name": "Teacher",
            "username": "matrix.teacher",
            "email": "",
            "role": "teacher",
        },
    ),
    page("roster-person", lambda w: f"{school(w)}/people/{w.a.learner.pk}/"),
    page(
        "roster-person-support",
        lambda w: f"{other_learner(w)}/support/",
        "POST",
        lambda w: {"support-staff": w.a.membership(w.a.para, "para_professional").pk},
    ),
    page(
        "roster-guardian-link",
        lambda w: f"{other_learner(w)}/guardians/link/",
        "POST",
        lambda w: {"link-username": w.a.guardian.username, "link-relationship": "relative"},
    ),
    page(
        "roster-guardian-create",
        lambda w: f"{other_learner(w)}/guardians/new/",
        "POST",
        lambda w: {
            "guardian-first_name": "Gia",
            "guardian-last_name": "Matrix",
            "guardian-username": "matrix.guardian",
            "guardian-relationship": "parent",
        },
    ),
    page("roster-guardianship-revoke", guardianship),
    page("roster-guardianship-revoke", guardianship, "POST"),
    page("roster-import", lambda w: f"{school(w)}/import/"),
    page("roster-import", lambda w: f"{school(w)}/import/", "POST", users_csv),
    page("roster-import-example", lambda w: f"{school(w)}/import/example/users.csv"),
    # The matrix sends JSON, not a multipart upload, so the administrator gets past authorization to
    # "attach the users file" (400); successful uploads are tested in tests/schools/roster/test_imports.py.
    Case(
        "POST /api/schools/{school_id}/roster-import",
        "POST",
        lambda w: f"/api/schools/{w.a.school.pk}/roster-import",
        ADMIN,
        ok=400,
        forbidden=A_MEMBERS,
    ),
]
