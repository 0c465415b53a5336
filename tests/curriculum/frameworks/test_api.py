"""The API's framework edits: status codes, bodies with a code, nothing changed on an error."""

from __future__ import annotations

import json

from tessera.api import api
from tessera.curriculum import selectors
from tessera.curriculum.models import Framework
from tests.curriculum.documents import small_framework


def _send(client, method: str, url: str, body: object = None):  # type: ignore[no-untyped-def]
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_a_teacher_edits_a_framework_through_the_api(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    base = f"/api/frameworks/{framework.pk}"
    domain = _send(client, "POST", f"{base}/domains", {"name": "Shape"})
    assert domain.status_code == 201 and domain.json() | {"id": 0} == {
        "id": 0,
        "code": "shape",
        "name": "Shape",
        "position": 2,
    }
    competency = _send(client, "POST", f"{base}/competencies", {"domain": "shape", "name": "Area"})
    assert competency.status_code == 201 and competency.json()["code"] == "area"
    assert competency.json()["domain"] == "shape"
    edited = _send(client, "PATCH", f"{base}/competencies/area", {"description": "Count squares."})
    assert edited.status_code == 200 and edited.json()["description"] == "Count squares."
    assert edited.json()["name"] == "Area"
    assert (
        _send(
            client, "POST", f"{base}/prerequisites", {"competency": "area", "prerequisite": "mul"}
        ).status_code
        == 201
    )
    removed = _send(client, "DELETE", f"{base}/prerequisites/area/mul")
    assert removed.status_code == 204
    assert selectors.prerequisite_map(framework)["area"] == []


def test_api_errors_say_what_is_wrong_with_a_code(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    base = f"/api/frameworks/{framework.pk}"
    blank = _send(client, "POST", f"{base}/domains", {"name": " "})
    assert blank.status_code == 400 and blank.json()["code"] == "schools.text_required"
    taken = _send(client, "POST", f"{base}/competencies", {"domain": "number", "name": "X", "code": "add"})
    assert taken.status_code == 409 and taken.json()["code"] == "curriculum.code_taken"
    ghost = _send(client, "POST", f"{base}/competencies", {"domain": "ghost", "name": "X"})
    assert ghost.status_code == 404 and ghost.json()["code"] == "curriculum.domain_not_found"
    cycle = _send(client, "POST", f"{base}/prerequisites", {"competency": "add", "prerequisite": "pct"})
    assert cycle.status_code == 400 and "Percents → Addition" in cycle.json()["detail"]
    missing = _send(client, "DELETE", f"{base}/prerequisites/add/pct")
    assert missing.status_code == 404 and missing.json()["code"] == "curriculum.prerequisite_not_found"
    theirs = small_framework(world.b.school)
    other = _send(client, "POST", f"/api/frameworks/{theirs.pk}/domains", {"name": "Shape"})
    assert other.status_code == 404
    assert framework.domains.count() == 2 and theirs.domains.count() == 2


def test_copy_through_the_api(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared-maths")
    client = client_for(world.a.specialist)
    response = _send(client, "POST", f"/api/frameworks/{shared.pk}/copy", {"school_id": world.a.school.pk})
    assert response.status_code == 201 and response.json()["school_id"] == world.a.school.pk
    copy = Framework.objects.get(pk=response.json()["id"])
    assert copy.code == "shared-maths" and copy.competencies.count() == 4
    other = _send(client, "POST", f"/api/frameworks/{shared.pk}/copy", {"school_id": world.b.school.pk})
    assert other.status_code == 404


def test_the_new_endpoints_are_in_the_openapi() -> None:
    paths = api.get_openapi_schema()["paths"]
    assert {"post"} <= set(paths["/api/frameworks/{framework_id}/domains"])
    assert {"post"} <= set(paths["/api/frameworks/{framework_id}/competencies"])
    assert {"patch"} <= set(paths["/api/frameworks/{framework_id}/competencies/{code}"])
    assert {"post"} <= set(paths["/api/frameworks/{framework_id}/prerequisites"])
    assert {"delete"} <= set(
        paths["/api/frameworks/{framework_id}/prerequisites/{competency}/{prerequisite}"]
    )
    assert {"post"} <= set(paths["/api/frameworks/{framework_id}/copy"])
