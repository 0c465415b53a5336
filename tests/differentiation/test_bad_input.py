"""Bad input to groups: a clear error that says what is wrong (a 4xx with a code through the API, a form
error on the page) and nothing changed, one test each."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tessera.differentiation import services
from tessera.differentiation.models import Grouping, GroupRole, GroupTask, KeepApart, Placement
from tessera.schools import services as school_services
from tests.differentiation import world as dw

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _placements(grouping: Grouping) -> set[tuple[int, int, str]]:
    return set(
        Placement.objects.filter(grouping=grouping, ended_at__isnull=True).values_list(
            "learner_id", "group_id", "source"
        )
    )


def test_more_groups_than_learners(world: Any, client_for: Any) -> None:
    dw.populated(world)  # nine learners with enough evidence
    client = client_for(world.a.teacher)
    reply = _post(
        client,
        f"/api/classes/{world.a.klass.pk}/groupings",
        {"objective": "Fractions", "competency_ids": [dw.fractions(world).pk], "group_count": 10},
    )
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "differentiation.more_groups_than_learners"
    assert "3 answers on the objective each" in reply.json()["detail"]
    page = client.post(
        f"/classes/{world.a.klass.pk}/groups/",
        {
            "action": "create",
            "objective": "Fractions",
            "competencies": [dw.fractions(world).pk],
            "group_count": 10,
        },
    )
    assert page.status_code == 400
    assert "more groups than learners" in page.content.decode()
    assert not Grouping.objects.exists()


def test_a_pin_that_contradicts_a_keep_apart(world: Any, client_for: Any) -> None:
    grouping = dw.grouping(world)
    low = grouping.groups.get(position=0)
    ana, gus = dw.class_learner(world, "ana"), dw.class_learner(world, "gus")
    services.keep_apart_add(actor=world.a.teacher, school_class=world.a.klass, learner=ana, other=gus)
    services.placement_set(actor=world.a.teacher, grouping=grouping, learner=ana, group=low, pin=True)
    before = _placements(grouping)
    reply = _post(
        client_for(world.a.teacher),
        f"/api/groupings/{grouping.pk}/placements",
        {"learner_id": gus.pk, "group_id": low.pk, "pin": True},
    )
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "differentiation.pin_contradicts_apart"
    assert _placements(grouping) == before
    # And the other way round: two learners pinned together cannot then be kept apart.
    ben = dw.class_learner(world, "ben")
    services.placement_set(actor=world.a.teacher, grouping=grouping, learner=ben, group=low, pin=True)
    reply = _post(
        client_for(world.a.teacher),
        f"/api/classes/{world.a.klass.pk}/keep-apart",
        {"learner_id": ana.pk, "other_id": ben.pk},
    )
    assert reply.status_code == 400
    assert reply.json()["code"] == "differentiation.pin_contradicts_apart"
    assert KeepApart.objects.count() == 1


def test_a_task_due_before_it_starts(world: Any, client_for: Any) -> None:
    group = dw.grouping(world).groups.first()
    assert group is not None
    reply = _post(
        client_for(world.a.teacher),
        f"/api/groups/{group.pk}/tasks",
        {
            "title": "Fraction wall",
            "instructions": "Build it.",
            "competency_id": dw.fractions(world).pk,
            "starts_on": "2026-12-10",
            "due_on": "2026-12-08",
        },
    )
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "differentiation.due_before_start"
    assert "before it starts" in reply.json()["detail"]
    assert not GroupTask.objects.exists()


def test_a_role_for_a_learner_not_in_the_group(world: Any, client_for: Any) -> None:
    grouping = dw.grouping(world)
    low = grouping.groups.get(position=0)
    ivo = dw.class_learner(world, "ivo")  # in the highest group
    reply = _post(
        client_for(world.a.teacher), f"/api/groups/{low.pk}/roles", {"learner_id": ivo.pk, "role": "checker"}
    )
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "differentiation.role_learner_not_in_group"
    assert not GroupRole.objects.exists()


def test_a_learner_moved_into_a_group_of_another_class(world: Any, client_for: Any) -> None:
    grouping = dw.grouping(world)
    # Another class the same teacher teaches, with its own grouping.
    school_services.teacher_assign(actor=None, school_class=world.a.other_class, teacher=world.a.teacher)
    school_services.learner_enrol(
        actor=None, school_class=world.a.other_class, learner=dw.class_learner(world, "ana")
    )
    other = services.grouping_create(
        actor=world.a.teacher,
        school_class=world.a.other_class,
        objective="Elsewhere",
        competencies=[dw.fractions(world)],
        group_count=1,
    )
    foreign_group = other.groups.get()
    before = _placements(grouping)
    dev = dw.class_learner(world, "dev")
    reply = _post(
        client_for(world.a.teacher),
        f"/api/groupings/{grouping.pk}/placements",
        {"learner_id": dev.pk, "group_id": foreign_group.pk},
    )
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "differentiation.group_not_in_grouping"
    assert _placements(grouping) == before
    # A group of a class the teacher does not teach is not even found.
    school_services.teaching_end(
        actor=world.a.admin, assignment=world.a.teacher.teaching.get(school_class=world.a.other_class)
    )
    reply = _post(
        client_for(world.a.teacher),
        f"/api/groupings/{grouping.pk}/placements",
        {"learner_id": dev.pk, "group_id": foreign_group.pk},
    )
    assert reply.status_code == 404
    assert _placements(grouping) == before


def test_accepting_a_move_that_is_no_longer_proposed(world: Any, client_for: Any) -> None:
    grouping = dw.grouping(world)
    ana = dw.class_learner(world, "ana")
    dw.set_level(world, ana, 0.95, 14)
    ben = dw.class_learner(world, "ben")
    before = _placements(grouping)
    reply = _post(
        client_for(world.a.teacher),
        f"/api/groupings/{grouping.pk}/regrouping",
        {"accept_learner_ids": [ben.pk]},
    )
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "differentiation.move_not_proposed"
    assert _placements(grouping) == before and not grouping.regroupings.exists()


def test_text_that_is_not_plain_text_is_refused_not_stored(world: Any, client_for: Any) -> None:
    """PostgreSQL refuses a NUL character: a clear 400, never a 500, and nothing stored."""
    group = dw.grouping(world).groups.first()
    assert group is not None
    reply = _post(
        client_for(world.a.teacher),
        f"/api/groups/{group.pk}/tasks",
        {
            "title": "Fraction\x00wall",
            "instructions": "Build it.",
            "competency_id": dw.fractions(world).pk,
            "starts_on": "2026-12-07",
            "due_on": "2026-12-08",
        },
    )
    assert reply.status_code == 400, reply.content
    assert reply.json()["code"] == "schools.text_not_plain"
    assert not GroupTask.objects.exists()
