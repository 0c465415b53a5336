"""Permission cases for frameworks: the API and the staff pages.

Framework reads follow school visibility (members and guardians of school A); the export contains the
answers, so only staff may use it (403 for the learners, guardians and mentor, who may see the
framework); importing is for school A's administrator. The pages are for school A's staff, 404 to
everyone else.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.curriculum.documents import small, small_bytes, small_framework
from tests.permission_matrix.case import EVERYONE_SIGNED_IN, SEES_SCHOOL_A_NOT_ADMIN, Case, roles

ADMIN = roles("admin")
SEES_A = SEES_SCHOOL_A_NOT_ADMIN | ADMIN
STAFF_A = roles(
    "admin",
    "teacher",
    "co_teacher",
    "other_teacher",
    "specialist",
    "para",
    "former_specialist",
    "former_teacher",
)


def framework(w: Any) -> int:
    return small_framework(w.a.school).pk


def pages(w: Any) -> str:
    return f"/school/{w.a.school.pk}/frameworks/"


def upload(w: Any) -> dict[str, Any]:
    data = small_bytes(code="uploaded")
    return {"file": SimpleUploadedFile("framework.json", data, content_type="application/json")}


def page(route: str, url: Any, allowed: frozenset[str], method: str = "GET", payload: Any = None) -> Case:
    ok = 302 if method == "POST" else 200
    return Case(route, method, url, allowed, ok=ok, payload=payload, is_api=False)


CASES = [
    Case("GET /api/frameworks", "GET", lambda w: "/api/frameworks", EVERYONE_SIGNED_IN),
    Case("GET /api/frameworks/{framework_id}", "GET", lambda w: f"/api/frameworks/{framework(w)}", SEES_A),
    Case(
        "GET /api/frameworks/{framework_id}/export",
        "GET",
        lambda w: f"/api/frameworks/{framework(w)}/export",
        STAFF_A,
        forbidden=SEES_A - STAFF_A,
    ),
    Case(
        "POST /api/schools/{school_id}/frameworks/import",
        "POST",
        lambda w: f"/api/schools/{w.a.school.pk}/frameworks/import",
        ADMIN,
        ok=201,
        forbidden=SEES_SCHOOL_A_NOT_ADMIN,
        payload=lambda w: small(code="via-api"),
    ),
    # The matrix sends JSON, not multipart, so the administrator gets past authorization to "attach the
    # competencies file" (400); CSV uploads are tested in tests/curriculum/test_framework_csv.py.
    Case(
        "POST /api/schools/{school_id}/frameworks/import-csv",
        "POST",
        lambda w: f"/api/schools/{w.a.school.pk}/frameworks/import-csv",
        ADMIN,
        ok=400,
        forbidden=SEES_SCHOOL_A_NOT_ADMIN,
    ),
    Case(
        "GET /api/frameworks/{framework_id}/export/{file}",
        "GET",
        lambda w: f"/api/frameworks/{framework(w)}/export/items.csv",
        STAFF_A,
        forbidden=SEES_A - STAFF_A,
    ),
    page("curriculum-frameworks", pages, STAFF_A),
    page("curriculum-framework", lambda w: f"{pages(w)}{framework(w)}/", STAFF_A),
    page("curriculum-import", lambda w: f"{pages(w)}import/", ADMIN),
    page("curriculum-import", lambda w: f"{pages(w)}import/", ADMIN, "POST", upload),
]
