"""Permission cases for a learner's sign-in (passwords, sign-in cards) and for ending and restoring access.

A class's sign-in pages belong to its current teachers (lead and co-teacher) and the school's
administrators; a teacher of another class, supporters, guardians, the learner and other schools get 404.
Deactivating and reactivating accounts, ending teaching and support assignments and moving a term's end
are roster pages: school A's administrator only, 404 for everyone else.
"""

from __future__ import annotations

from typing import Any

from tessera.schools.models import SupportAssignment, TeachingAssignment
from tests.permission_matrix.case import Case, roles

CLASS_STAFF = roles("admin", "teacher", "co_teacher")
ADMIN = roles("admin")


def sign_in(w: Any) -> str:
    return f"/classes/{w.a.klass.pk}/sign-in/"


def password(w: Any) -> str:
    return f"{sign_in(w)}{w.a.learner.pk}/password/"


def school(w: Any) -> str:
    return f"/school/{w.a.school.pk}"


def teaching(w: Any) -> str:
    assignment = TeachingAssignment.objects.get(teacher=w.a.co_teacher, school_class=w.a.klass)
    return f"{school(w)}/teaching/{assignment.pk}/end/"


def support(w: Any) -> str:
    assignment = SupportAssignment.objects.get(staff=w.a.para, learner=w.a.learner, ended_at__isnull=True)
    return f"{school(w)}/support/{assignment.pk}/end/"


def page(
    route: str, url: Any, allowed: frozenset[str], method: str = "GET", payload: Any = None, ok: int = 0
) -> Case:
    return Case(
        route,
        method,
        url,
        allowed,
        ok=ok or (302 if method == "POST" else 200),
        payload=payload,
        is_api=False,
    )


NEW_PASSWORD = {"password1": "purple kite 2031", "password2": "purple kite 2031"}

CASES = [
    page("class-sign-in", sign_in, CLASS_STAFF),
    page("class-sign-in", sign_in, CLASS_STAFF, "POST", lambda w: {}, ok=200),  # the printable cards
    page("learner-password", password, CLASS_STAFF),
    page("learner-password", password, CLASS_STAFF, "POST", lambda w: NEW_PASSWORD),
    page("roster-person-deactivate", lambda w: f"{school(w)}/people/{w.a.para.pk}/deactivate/", ADMIN),
    page(
        "roster-person-deactivate", lambda w: f"{school(w)}/people/{w.a.para.pk}/deactivate/", ADMIN, "POST"
    ),
    page("roster-person-reactivate", lambda w: f"{school(w)}/people/{w.a.para.pk}/reactivate/", ADMIN),
    page(
        "roster-person-reactivate", lambda w: f"{school(w)}/people/{w.a.para.pk}/reactivate/", ADMIN, "POST"
    ),
    page("roster-teaching-end", teaching, ADMIN),
    page("roster-teaching-end", teaching, ADMIN, "POST"),
    page("roster-support-end", support, ADMIN),
    page("roster-support-end", support, ADMIN, "POST"),
    page("roster-term", lambda w: f"{school(w)}/terms/{w.a.term.pk}/", ADMIN),
    page(
        "roster-term",
        lambda w: f"{school(w)}/terms/{w.a.term.pk}/",
        ADMIN,
        "POST",
        lambda w: {"ends_on": "2027-08-01"},
    ),
]
