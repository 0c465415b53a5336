"""The question bank's JSON API: search, detail with versions, create, edit, duplicate, retire, restore,
preview; errors with their codes; in the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tessera.curriculum.items import services
from tessera.curriculum.models import Item
from tests.curriculum.documents import small_framework
from tests.curriculum.items.helpers import answer, competency, spec


def _body(framework: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "framework_id": framework.pk,
        "kind": "numeric",
        "stem": r"What is \(\frac{3}{4}\) of 8?",
        "numeric_answer": 6,
        "tolerance": 0,
        "hints": ["A quarter of 8 is 2."],
        "tags": ["fractions"],
        "competencies": [{"id": competency(framework).pk, "primary": True}],
    }
    body.update(changes)
    return body


def _post(client: Client, url: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_create_read_edit_and_version_through_the_api(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    base = f"/api/schools/{world.a.school.pk}/items"
    created = _post(client, base, _body(framework, client_id="one"))
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["version"] == 1 and item["numeric_answer"] == 6 and item["competencies"][0]["primary"]
    assert _post(client, base, _body(framework, client_id="one")).json()["id"] == item["id"]
    answer(Item.objects.get(pk=item["id"]), world.a.learner)
    edited = _post(
        client, f"{base}/{item['id']}", _body(framework, stem="What is 3/4 of 12?", numeric_answer=9)
    )
    assert edited.status_code == 200, edited.content
    new = edited.json()
    assert new["id"] != item["id"] and new["version"] == 2 and new["first_version_id"] == item["id"]
    assert [v["version"] for v in new["versions"]] == [1, 2]
    listing = client.get(base, {"q": "12"}).json()
    assert [row["id"] for row in listing["items"]] == [new["id"]] and listing["count"] == 1
    detail = client.get(f"{base}/{item['id']}").json()
    assert detail["current"] is False and detail["stem"].endswith("of 8?")


def test_retire_restore_duplicate_through_the_api(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(
        actor=world.a.teacher, framework=framework, spec=spec(framework, code="halving")
    )
    client = client_for(world.a.teacher)
    base = f"/api/schools/{world.a.school.pk}/items/{item.pk}"
    assert client.post(f"{base}/retire").json()["retired"] is True
    assert client.get(f"/api/schools/{world.a.school.pk}/items", {"q": "halving"}).json()["count"] == 0
    found = client.get(
        f"/api/schools/{world.a.school.pk}/items", {"q": "halving", "include_retired": True}
    ).json()
    assert found["count"] == 1
    assert client.post(f"{base}/restore").json()["retired"] is False
    copy = client.post(f"{base}/duplicate")
    assert copy.status_code == 201 and copy.json()["code"] == "halving-copy"


def test_bad_input_is_400_with_its_code_and_changes_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    base = f"/api/schools/{world.a.school.pk}/items"
    before = Item.objects.count()
    for changes, code in [
        ({"tolerance": -1}, "curriculum.item_tolerance_negative"),
        ({"numeric_answer": None}, "curriculum.item_no_correct_answer"),
        ({"stem": r"\(\frac{1}{2\)"}, "curriculum.latex_invalid"),
        ({"competencies": []}, "curriculum.item_competency_missing"),
        (
            {"kind": "multiple_choice", "choices": ["a", "A "], "correct_choice": 0},
            "curriculum.item_duplicate_choices",
        ),
    ]:
        response = _post(client, base, _body(framework, **changes))
        assert response.status_code == 400, (changes, response.content)
        assert response.json()["code"] == code
    assert Item.objects.count() == before


def test_shared_and_other_schools_items_cannot_be_written(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared")
    theirs = small_framework(world.b.school)
    client = client_for(world.a.teacher)
    base = f"/api/schools/{world.a.school.pk}/items"
    refused = _post(client, base, _body(shared))
    assert refused.status_code == 403 and refused.json()["code"] == "curriculum.shared_framework_read_only"
    assert _post(client, base, _body(theirs)).status_code == 404
    their_item = Item.objects.filter(framework=theirs).first()
    assert client.post(f"{base}/{their_item.pk}/retire").status_code == 404
    shared_item = Item.objects.filter(framework=shared).first()
    assert client.get(f"{base}/{shared_item.pk}").json()["read_only"] is True
    assert client.post(f"{base}/{shared_item.pk}/retire").status_code == 403


def test_preview_renders_maths_and_speech_without_saving(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    url = f"/api/schools/{world.a.school.pk}/items/preview"
    before = Item.objects.count()
    response = _post(client, url, _body(framework))
    assert response.status_code == 200, response.content
    preview = response.json()
    assert "<mfrac>" in preview["stem_html"] and "3 over 4" in preview["speech"]
    bad = _post(client, url, _body(framework, stem="![](file:1)"))
    assert bad.status_code == 400 and bad.json()["code"] == "curriculum.image_without_alt"
    assert Item.objects.count() == before


def test_the_bank_endpoints_are_in_the_openapi_document(db) -> None:  # type: ignore[no-untyped-def]
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/schools/{school_id}/items"])
    assert {"get", "post"} <= set(paths["/api/schools/{school_id}/items/{item_id}"])
    for action in ("duplicate", "retire", "restore"):
        assert "post" in paths[f"/api/schools/{{school_id}}/items/{{item_id}}/{action}"]
    assert "post" in paths["/api/schools/{school_id}/items/preview"]
