"""The framework API: reads hide answers, export is for staff, import is all or nothing."""

from __future__ import annotations

import json

from tessera.curriculum.models import Framework, Item
from tests.curriculum.documents import small, small_framework


def _post(client, url: str, body: object):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


def test_framework_detail_shows_the_tree_without_any_answer(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    response = client_for(world.a.learner).get(f"/api/frameworks/{framework.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["shared"] is False and body["school_id"] == world.a.school.pk
    assert [d["code"] for d in body["domains"]] == ["number", "fractions"]
    pct = body["domains"][1]["competencies"][1]
    assert pct["prerequisites"] == ["frac", "mul"] and pct["item_count"] == 1
    (resource,) = body["resources"]
    assert resource["title"] == "What is a fraction?" and resource["competencies"] == ["frac"]
    assert resource["reading_level"] == 5 and resource["interest_topics"] == ["cooking"]
    text = response.content.decode()
    for secret in ("hundred", "answer", "accepted", "1/2"):
        assert secret not in text


def test_shared_frameworks_are_listed_for_members_of_any_school(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared", name="Shared maths")
    small_framework(world.a.school)
    listed = client_for(world.b.learner).get("/api/frameworks").json()["items"]
    assert [f["name"] for f in listed] == ["Shared maths"]
    assert listed[0]["shared"] is True
    assert client_for(world.outsider).get(f"/api/frameworks/{shared.pk}").status_code == 404


def test_export_is_the_framework_file_for_staff_only(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    assert client_for(world.a.teacher).get(f"/api/frameworks/{framework.pk}/export").json() == small()
    refused = client_for(world.a.learner).get(f"/api/frameworks/{framework.pk}/export")
    assert refused.status_code == 403
    assert "answers" in refused.json()["detail"]


def test_shared_framework_export_is_for_staff_of_any_school(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared")
    assert client_for(world.b.teacher).get(f"/api/frameworks/{shared.pk}/export").status_code == 200


def test_import_creates_a_framework_and_export_returns_it(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    response = _post(client, f"/api/schools/{world.a.school.pk}/frameworks/import", small())
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["code"] == "small-maths" and created["school_id"] == world.a.school.pk
    assert client.get(f"/api/frameworks/{created['id']}/export").json() == small()


def test_a_bad_import_is_a_400_listing_every_error_and_saves_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    document = small()
    document["domains"][0]["competencies"][0]["prerequisites"] = ["pct"]
    document["items"][0]["competencies"] = ["ghost"]
    client = client_for(world.a.admin)
    url = f"/api/schools/{world.a.school.pk}/frameworks/import"
    response = _post(client, url, document)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("1 error(s); nothing was imported. First: $.items[0].competencies")
    for bad in (
        b"{oops",
        b"[]",
        json.dumps({**small(), "framework": {"code": "x", "name": "y" * 500}}).encode(),
    ):
        response = _post(client, url, bad)
        assert response.status_code == 400 and response.json()["errors"], bad[:30]
    assert Framework.objects.count() == 0 and Item.objects.count() == 0


def test_a_cycle_alone_is_reported_once_the_references_are_right(world, client_for) -> None:  # type: ignore[no-untyped-def]
    document = small()
    document["domains"][0]["competencies"][0]["prerequisites"] = ["pct"]
    response = _post(
        client_for(world.a.admin), f"/api/schools/{world.a.school.pk}/frameworks/import", document
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["location"] == "$.domains" and "cycle" in error["message"]
    assert Framework.objects.count() == 0


def test_a_file_too_large_for_the_request_is_a_400_saying_so(world, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/schools/{world.a.school.pk}/frameworks/import"
    response = _post(client_for(world.a.admin), url, b" " * (3 * 1024 * 1024))
    assert response.status_code == 400
    assert response.json()["errors"] == [{"location": "$", "message": "the file is larger than 2 MB"}]


def test_reading_a_framework_takes_the_same_queries_however_big_it_is(
    world, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    with django_assert_max_num_queries(10):  # session, user, permissions, the tree, the resources
        assert client.get(f"/api/frameworks/{framework.pk}").status_code == 200
    with django_assert_max_num_queries(13):  # and, for a writer: may they write, the domains of the form
        assert client.get(f"/school/{world.a.school.pk}/frameworks/{framework.pk}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"/api/frameworks/{framework.pk}/export").status_code == 200


def test_adding_a_prerequisite_through_the_api_refuses_a_cycle_naming_it(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.admin)
    url = f"/api/frameworks/{framework.pk}/prerequisites"
    response = _post(client, url, {"competency": "add", "prerequisite": "pct"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "This prerequisite would create a cycle: Percents → Addition → Multiplication → Fractions → Percents."
    )
    assert _post(client, url, {"competency": "pct", "prerequisite": "add"}).status_code == 201
    assert _post(client, url, {"competency": "pct", "prerequisite": "add"}).status_code == 409
    missing = _post(client, url, {"competency": "pct", "prerequisite": "ghost"})
    assert missing.status_code == 404 and "ghost" in missing.json()["detail"]
    assert _post(client, url, {"competency": "pct", "prerequisite": "x" * 129}).status_code == 422
    shared = small_framework(None, code="shared")
    refused = _post(
        client, f"/api/frameworks/{shared.pk}/prerequisites", {"competency": "pct", "prerequisite": "add"}
    )
    assert refused.status_code == 403 and "Copy it to your school" in refused.json()["detail"]
    assert framework.prerequisites.count() == 5
