"""Permission cases for changing frameworks (tessera.curriculum.frameworks): pages and API.

School A's teachers, specialists and administrators write its frameworks (the former teacher and the
former specialist are still the school's teacher and specialist). The para-professional is staff: they
see the pages and the framework, and are refused (403); learners, guardians and the mentor see school A's
framework through the API and are refused there (403), while the staff pages are 404 to them. A shared
framework is read-only to everyone (403 with the hint to copy it); school A's writers copy it to school A.
"""

from __future__ import annotations

from typing import Any

from tests.curriculum.documents import small_framework
from tests.permission_matrix.case import SEES_SCHOOL_A_NOT_ADMIN, Case, roles

WRITERS_A = roles(
    "admin", "teacher", "co_teacher", "other_teacher", "specialist", "former_specialist", "former_teacher"
)
PARA = roles("para")
SEES_A = SEES_SCHOOL_A_NOT_ADMIN | roles("admin")
STAFF_A = WRITERS_A | PARA
# Everyone who sees a shared framework: members of a school (the guardians too), not the outsider or
# the former guardian, whose only link has ended.
SEES_SHARED = SEES_A | roles("b_admin", "b_teacher", "b_learner", "b_guardian")


def framework(w: Any) -> int:
    return small_framework(w.a.school).pk


def shared(w: Any) -> int:
    return small_framework(None, code="shared-maths").pk


def competency(w: Any, code: str) -> int:
    return small_framework(w.a.school).competencies.get(code=code).pk


def base(w: Any) -> str:
    return f"/school/{w.a.school.pk}/frameworks/{framework(w)}/"


def page(route: str, url: Any, method: str = "GET", payload: Any = None) -> Case:
    ok = 302 if method == "POST" else 200
    return Case(route, method, url, WRITERS_A, ok=ok, forbidden=PARA, payload=payload, is_api=False)


def api(route: str, method: str, url: Any, ok: int, payload: Any = None) -> Case:
    return Case(route, method, url, WRITERS_A, ok=ok, forbidden=SEES_A - WRITERS_A, payload=payload)


CASES = [
    page("curriculum-domain-add", lambda w: f"{base(w)}domains/new/"),
    page(
        "curriculum-domain-add",
        lambda w: f"{base(w)}domains/new/",
        "POST",
        lambda w: {"domain-name": "Shape"},
    ),
    page("curriculum-competency-add", lambda w: f"{base(w)}competencies/new/"),
    page(
        "curriculum-competency-add",
        lambda w: f"{base(w)}competencies/new/",
        "POST",
        lambda w: {
            "competency-domain": small_framework(w.a.school).domains.get(code="number").pk,
            "competency-name": "Subtraction",
        },
    ),
    page("curriculum-competency-edit", lambda w: f"{base(w)}competencies/{competency(w, 'add')}/edit/"),
    page(
        "curriculum-competency-edit",
        lambda w: f"{base(w)}competencies/{competency(w, 'add')}/edit/",
        "POST",
        lambda w: {"name": "Adding up", "description": ""},
    ),
    page(
        "curriculum-prerequisite-add",
        lambda w: f"{base(w)}competencies/{competency(w, 'pct')}/prerequisites/new/",
    ),
    page(
        "curriculum-prerequisite-add",
        lambda w: f"{base(w)}competencies/{competency(w, 'pct')}/prerequisites/new/",
        "POST",
        lambda w: {"prerequisite": competency(w, "add")},
    ),
    page(
        "curriculum-prerequisite-remove",
        lambda w: (
            f"{base(w)}competencies/{competency(w, 'pct')}/prerequisites/{competency(w, 'frac')}/remove/"
        ),
    ),
    page(
        "curriculum-prerequisite-remove",
        lambda w: (
            f"{base(w)}competencies/{competency(w, 'pct')}/prerequisites/{competency(w, 'frac')}/remove/"
        ),
        "POST",
    ),
    page("curriculum-framework-copy", lambda w: f"/school/{w.a.school.pk}/frameworks/{shared(w)}/copy/"),
    page(
        "curriculum-framework-copy", lambda w: f"/school/{w.a.school.pk}/frameworks/{shared(w)}/copy/", "POST"
    ),
    # A shared framework is read-only: every member of school A's staff is refused, with the hint to copy.
    Case(
        "curriculum-domain-add",
        "POST",
        lambda w: f"/school/{w.a.school.pk}/frameworks/{shared(w)}/domains/new/",
        frozenset(),
        forbidden=STAFF_A,
        payload=lambda w: {"domain-name": "Shape"},
        is_api=False,
    ),
    api(
        "POST /api/frameworks/{framework_id}/domains",
        "POST",
        lambda w: f"/api/frameworks/{framework(w)}/domains",
        201,
        lambda w: {"name": "Shape"},
    ),
    api(
        "POST /api/frameworks/{framework_id}/competencies",
        "POST",
        lambda w: f"/api/frameworks/{framework(w)}/competencies",
        201,
        lambda w: {"domain": "number", "name": "Subtraction"},
    ),
    api(
        "PATCH /api/frameworks/{framework_id}/competencies/{code}",
        "PATCH",
        lambda w: f"/api/frameworks/{framework(w)}/competencies/add",
        200,
        lambda w: {"name": "Adding up"},
    ),
    api(
        "POST /api/frameworks/{framework_id}/prerequisites",
        "POST",
        lambda w: f"/api/frameworks/{framework(w)}/prerequisites",
        201,
        lambda w: {"competency": "pct", "prerequisite": "add"},
    ),
    api(
        "DELETE /api/frameworks/{framework_id}/prerequisites/{competency}/{prerequisite}",
        "DELETE",
        lambda w: f"/api/frameworks/{framework(w)}/prerequisites/pct/frac",
        204,
    ),
    Case(
        "POST /api/frameworks/{framework_id}/domains",
        "POST",
        lambda w: f"/api/frameworks/{shared(w)}/domains",
        frozenset(),
        forbidden=SEES_SHARED,
        payload=lambda w: {"name": "Shape"},
    ),
    Case(
        "POST /api/frameworks/{framework_id}/copy",
        "POST",
        lambda w: f"/api/frameworks/{shared(w)}/copy",
        WRITERS_A,
        ok=201,
        forbidden=PARA,
        payload=lambda w: {"school_id": w.a.school.pk},
    ),
]
