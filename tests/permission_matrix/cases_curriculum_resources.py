"""Permission cases for curriculum files and resources.

A file (``curriculum-file``) and a framework's resources (pages and API reads) are for everyone who may see
school A: its members and its learners' guardians. Uploading and writing resources is for school A's
curriculum writers (administrator, teachers, specialists: a former teacher or specialist is still one,
since their membership stays); the others who may see school A get 403 from the resource forms and the API,
404 from the upload page (which shows the school's uploads). Everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from tessera.curriculum.models import CurriculumFile, Resource
from tests.curriculum.documents import small_framework
from tests.curriculum.files.uploads import png, uploaded
from tests.permission_matrix.case import SEES_SCHOOL_A_NOT_ADMIN, Case, roles

SEES_A = SEES_SCHOOL_A_NOT_ADMIN | roles("admin")
WRITERS_A = roles(
    "admin", "teacher", "co_teacher", "other_teacher", "specialist", "former_specialist", "former_teacher"
)
SEES_NOT_WRITES = SEES_A - WRITERS_A


def file_id(w: Any) -> int:
    stored = CurriculumFile.objects.filter(school=w.a.school).first()
    return (stored or uploaded(w.a.school, w.a.teacher)).pk


def framework(w: Any) -> int:
    return small_framework(w.a.school).pk


def resource(w: Any) -> int:
    return Resource.objects.get(framework_id=framework(w), code="video-1").pk


def resources(w: Any) -> str:
    return f"/school/{w.a.school.pk}/frameworks/{framework(w)}/resources/"


def form_payload(w: Any) -> dict[str, Any]:
    frac = small_framework(w.a.school).competencies.get(code="frac")
    return {
        "title": "Halves",
        "kind": "reading",
        "form": "link",
        "url": "https://example.org/h",
        "competencies": [frac.pk],
    }


def api_payload(w: Any) -> dict[str, Any]:
    return {
        "title": "Halves",
        "kind": "reading",
        "form": "page",
        "body": "\\(\\frac{1}{2}\\)",
        "competencies": ["frac"],
    }


def page(route: str, url: Any, allowed: frozenset[str], method: str = "GET", **extra: Any) -> Case:
    extra.setdefault("ok", 302 if method == "POST" else 200)
    return Case(route, method, url, allowed, is_api=False, **extra)


CASES = [
    page("curriculum-file", lambda w: f"/school/files/{file_id(w)}/", SEES_A),
    page("curriculum-files", lambda w: f"/school/{w.a.school.pk}/files/", WRITERS_A),
    page(
        "curriculum-files",
        lambda w: f"/school/{w.a.school.pk}/files/",
        WRITERS_A,
        "POST",
        ok=200,
        payload=lambda w: {"file": png(), "alt": "A circle cut in halves"},
    ),
    Case(
        "GET /api/schools/{school_id}/curriculum-files",
        "GET",
        lambda w: f"/api/schools/{w.a.school.pk}/curriculum-files",
        WRITERS_A,
        forbidden=SEES_NOT_WRITES,
    ),
    # The matrix sends JSON, not multipart, so a writer gets past authorization to "attach the file" (400);
    # uploads themselves are tested in tests/curriculum/files/.
    Case(
        "POST /api/schools/{school_id}/curriculum-files",
        "POST",
        lambda w: f"/api/schools/{w.a.school.pk}/curriculum-files",
        WRITERS_A,
        ok=400,
        forbidden=SEES_NOT_WRITES,
    ),
    page("curriculum-resources", resources, SEES_A),
    page("curriculum-resource", lambda w: f"{resources(w)}{resource(w)}/", SEES_A),
    page("curriculum-resource-create", lambda w: f"{resources(w)}new/", WRITERS_A, forbidden=SEES_NOT_WRITES),
    page(
        "curriculum-resource-create",
        lambda w: f"{resources(w)}new/",
        WRITERS_A,
        "POST",
        forbidden=SEES_NOT_WRITES,
        payload=form_payload,
    ),
    page(
        "curriculum-resource-edit",
        lambda w: f"{resources(w)}{resource(w)}/edit/",
        WRITERS_A,
        forbidden=SEES_NOT_WRITES,
    ),
    page(
        "curriculum-resource-edit",
        lambda w: f"{resources(w)}{resource(w)}/edit/",
        WRITERS_A,
        "POST",
        forbidden=SEES_NOT_WRITES,
        payload=form_payload,
    ),
    page(
        "curriculum-resource-delete",
        lambda w: f"{resources(w)}{resource(w)}/delete/",
        WRITERS_A,
        forbidden=SEES_NOT_WRITES,
    ),
    page(
        "curriculum-resource-delete",
        lambda w: f"{resources(w)}{resource(w)}/delete/",
        WRITERS_A,
        "POST",
        forbidden=SEES_NOT_WRITES,
    ),
    Case(
        "GET /api/frameworks/{framework_id}/resources",
        "GET",
        lambda w: f"/api/frameworks/{framework(w)}/resources",
        SEES_A,
    ),
    Case("GET /api/resources/{resource_id}", "GET", lambda w: f"/api/resources/{resource(w)}", SEES_A),
    Case(
        "POST /api/frameworks/{framework_id}/resources",
        "POST",
        lambda w: f"/api/frameworks/{framework(w)}/resources",
        WRITERS_A,
        ok=201,
        forbidden=SEES_NOT_WRITES,
        payload=api_payload,
    ),
    Case(
        "POST /api/resources/{resource_id}/edit",
        "POST",
        lambda w: f"/api/resources/{resource(w)}/edit",
        WRITERS_A,
        forbidden=SEES_NOT_WRITES,
        payload=api_payload,
    ),
    Case(
        "POST /api/resources/{resource_id}/delete",
        "POST",
        lambda w: f"/api/resources/{resource(w)}/delete",
        WRITERS_A,
        ok=204,
        forbidden=SEES_NOT_WRITES,
    ),
]
