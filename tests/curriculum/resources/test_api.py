"""Resource API: list, detail with body_html, create, edit, delete."""

from __future__ import annotations

import json

from tessera.curriculum.models import Resource
from tests.curriculum.documents import small_framework
from tests.curriculum.files.uploads import uploaded


def _payload(**changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "title": "Quarters",
        "kind": "reading",
        "form": "page",
        "body": "A quarter is \\(\\frac{1}{4}\\).",
        "competencies": ["frac"],
        "reading_level": 3,
    }
    payload.update(changes)
    return payload


def _post(client, url: str, payload: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def _edit(client, resource_id: int, payload: dict[str, object]):  # type: ignore[no-untyped-def]
    return _post(client, f"/api/resources/{resource_id}/edit", payload)


def test_create_read_edit_and_delete(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    created = _post(client, f"/api/frameworks/{framework.pk}/resources", _payload())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"] == "quarters" and body["competencies"] == ["frac"] and "<mfrac>" in body["body_html"]
    learner = client_for(world.a.learner)
    listed = learner.get(f"/api/frameworks/{framework.pk}/resources").json()
    assert {row["title"] for row in listed["items"]} == {"Quarters", "What is a fraction?"}
    detail = learner.get(f"/api/resources/{body['id']}").json()
    assert detail["body_html"] == body["body_html"]
    client = client_for(world.a.teacher)
    sheet = uploaded(world.a.school, world.a.teacher, document=True)
    edited = _edit(client, body["id"], _payload(form="file", file_id=sheet.pk))
    assert edited.status_code == 200, edited.content
    assert edited.json()["file_url"] == f"/school/files/{sheet.pk}/" and edited.json()["body"] == ""
    assert client.post(f"/api/resources/{body['id']}/delete").status_code == 204
    assert not Resource.objects.filter(pk=body["id"]).exists()


def test_bad_input_is_a_clear_400_and_changes_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    theirs = uploaded(world.b.school, world.b.teacher)
    client = client_for(world.a.teacher)
    url = f"/api/frameworks/{framework.pk}/resources"
    for changes, code in (
        ({"competencies": ["nope"]}, "curriculum.competency_not_found"),
        ({"form": "link", "url": "javascript:alert(1)"}, "curriculum.resource_url_invalid"),
        ({"form": "file", "file_id": theirs.pk}, "curriculum.file_of_other_school"),
        ({"body": f"![A circle](file:{theirs.pk})"}, "curriculum.file_of_other_school"),
        ({"body": "\\(\\sqrt{2\\)"}, "curriculum.latex_invalid"),
        ({"reading_level": 20}, "curriculum.reading_level_invalid"),
    ):
        response = _post(client, url, _payload(**changes))
        assert response.status_code == 400, (changes, response.content)
        assert response.json()["code"] == code
    assert _post(client, url, _payload(kind="podcast")).status_code == 422
    assert Resource.objects.filter(framework=framework).count() == 1


def test_shared_frameworks_are_read_only_and_others_are_refused(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared", name="Shared")
    response = _post(client_for(world.a.admin), f"/api/frameworks/{shared.pk}/resources", _payload())
    assert response.status_code == 403 and response.json()["code"] == "curriculum.shared_framework_read_only"
    framework = small_framework(world.a.school)
    resource = Resource.objects.get(framework=framework)
    learner = client_for(world.a.learner)
    assert _edit(learner, resource.pk, _payload()).status_code == 403
    stranger = client_for(world.b.teacher)
    assert stranger.get(f"/api/resources/{resource.pk}").status_code == 404
    assert stranger.post(f"/api/resources/{resource.pk}/delete").status_code == 404
    assert Resource.objects.filter(pk=resource.pk, title="What is a fraction?").exists()
