"""Permission cases for the question bank: its pages and its API.

School A's staff read its bank (items with answers): administrators, teachers, specialists and
para-professionals (the former specialist and teacher are still staff). Writing is for its teachers,
specialists and administrators: the para-professional may see the bank, so gets 403 on writes. Everyone
else (learners, guardians, the mentor, school B) gets 404.
"""

from __future__ import annotations

from typing import Any

from tessera.curriculum.models import Competency, Item
from tests.curriculum.documents import small_framework
from tests.permission_matrix.case import Case, roles

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
PARA = roles("para")
WRITERS_A = STAFF_A - PARA


def items(w: Any) -> str:
    return f"/school/{w.a.school.pk}/items/"


def api(w: Any) -> str:
    return f"/api/schools/{w.a.school.pk}/items"


def item(w: Any) -> int:
    return Item.objects.get(framework=small_framework(w.a.school), code="frac-1").pk


def spec_body(w: Any) -> dict[str, Any]:
    framework = small_framework(w.a.school)
    frac = Competency.objects.get(framework=framework, code="frac")
    return {
        "kind": "numeric",
        "stem": r"\(\frac{1}{2}\) of 10?",
        "numeric_answer": 5,
        "competencies": [{"id": frac.pk, "primary": True}],
        "framework_id": framework.pk,
    }


def form(w: Any) -> dict[str, Any]:
    framework = small_framework(w.a.school)
    frac = Competency.objects.get(framework=framework, code="frac")
    return {
        "framework": str(framework.pk),
        "kind": "numeric",
        "stem": "Half of 10?",
        "numeric_answer": "5",
        "tolerance": "0",
        "difficulty": "0",
        "language": "en",
        "competencies": [str(frac.pk)],
        "primary": str(frac.pk),
        "action": "save",
    }


def page(
    route: str, url: Any, allowed: frozenset[str], method: str = "GET", payload: Any = None, ok: int = 200
) -> Case:
    return Case(route, method, url, allowed, ok=ok, payload=payload, is_api=False)


def write(route: str, url: Any, ok: int = 302, payload: Any = None) -> Case:
    return Case(route, "POST", url, WRITERS_A, ok=ok, forbidden=PARA, payload=payload, is_api=False)


CASES = [
    page("curriculum-items", items, STAFF_A),
    page("curriculum-item", lambda w: f"{items(w)}{item(w)}/", STAFF_A),
    Case(
        "curriculum-item-create", "GET", lambda w: f"{items(w)}new/", WRITERS_A, forbidden=PARA, is_api=False
    ),
    write("curriculum-item-create", lambda w: f"{items(w)}new/", payload=form),
    Case(
        "curriculum-item-edit",
        "GET",
        lambda w: f"{items(w)}{item(w)}/edit/",
        WRITERS_A,
        forbidden=PARA,
        is_api=False,
    ),
    write("curriculum-item-edit", lambda w: f"{items(w)}{item(w)}/edit/", payload=form),
    write("curriculum-item-retire", lambda w: f"{items(w)}{item(w)}/retire/"),
    write("curriculum-item-restore", lambda w: f"{items(w)}{item(w)}/restore/"),
    write("curriculum-item-duplicate", lambda w: f"{items(w)}{item(w)}/duplicate/"),
    page("curriculum-item-preview", lambda w: f"{items(w)}preview/", STAFF_A, "POST", form),
    Case("GET /api/schools/{school_id}/items", "GET", api, STAFF_A),
    Case("GET /api/schools/{school_id}/items/{item_id}", "GET", lambda w: f"{api(w)}/{item(w)}", STAFF_A),
    Case(
        "POST /api/schools/{school_id}/items",
        "POST",
        api,
        WRITERS_A,
        ok=201,
        forbidden=PARA,
        payload=spec_body,
    ),
    Case(
        "POST /api/schools/{school_id}/items/{item_id}",
        "POST",
        lambda w: f"{api(w)}/{item(w)}",
        WRITERS_A,
        forbidden=PARA,
        payload=spec_body,
    ),
    Case(
        "POST /api/schools/{school_id}/items/{item_id}/duplicate",
        "POST",
        lambda w: f"{api(w)}/{item(w)}/duplicate",
        WRITERS_A,
        ok=201,
        forbidden=PARA,
    ),
    Case(
        "POST /api/schools/{school_id}/items/{item_id}/retire",
        "POST",
        lambda w: f"{api(w)}/{item(w)}/retire",
        WRITERS_A,
        forbidden=PARA,
    ),
    Case(
        "POST /api/schools/{school_id}/items/{item_id}/restore",
        "POST",
        lambda w: f"{api(w)}/{item(w)}/restore",
        WRITERS_A,
        forbidden=PARA,
    ),
    Case(
        "POST /api/schools/{school_id}/items/preview",
        "POST",
        lambda w: f"{api(w)}/preview",
        STAFF_A,
        payload=spec_body,
    ),
]
