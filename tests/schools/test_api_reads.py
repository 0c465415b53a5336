"""Reads through the API: paginated, scoped, and with a query count that does not grow with the data."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.schools import services


def _add_classes(world, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        klass = services.class_create(
            actor=None,
            school=world.a.school,
            name=f"Extra {n}",
            subject="M",
            grade_level=7,
            term=world.a.term,
        )
        services.teacher_assign(actor=None, school_class=klass, teacher=world.a.teacher)


def test_class_list_is_paginated_and_scoped(world, client_for) -> None:  # type: ignore[no-untyped-def]
    _add_classes(world, 3)
    body = client_for(world.a.teacher).get("/api/classes").json()
    assert body["count"] == 4
    assert {c["name"] for c in body["items"]} == {"Maths 7", "Extra 0", "Extra 1", "Extra 2"}
    assert body["items"][0]["teachers"][0]["name"]


def test_class_list_page_beyond_the_end_is_empty_not_an_error(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.teacher)
    assert client.get("/api/classes?page=5").json() == {"items": [], "count": 1}
    bad_page = client.get("/api/classes?page=0")
    assert bad_page.status_code == 422
    assert "page: Input should be greater than or equal to 1" in bad_page.json()["detail"]


def test_class_list_and_home_query_counts_do_not_grow_with_classes(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.teacher)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = (count("/api/classes"), count("/"))
    _add_classes(world, 6)
    many = (count("/api/classes"), count("/"))
    assert many == few


def test_roster_lists_only_the_class_learners(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for(world.a.teacher).get(f"/api/classes/{world.a.klass.pk}/learners").json()
    assert [item["name"] for item in body["items"]] == ["Learner A"]
