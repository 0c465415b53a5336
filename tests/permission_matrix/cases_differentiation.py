"""Permission cases for differentiation: a class's groups are its teachers' (lead and co-teacher; a
learner of the class may not act on them: 403 for the page's writes, 404 to read; everyone else 404); the
learner's own groups page and API answer every signed-in person about themselves only."""

from __future__ import annotations

from typing import Any

from tests.differentiation import world as dw
from tests.permission_matrix.case import EVERYONE_SIGNED_IN, Case, roles

TEACHERS = roles("teacher", "co_teacher")
LEARNER = roles("learner")


def klass(w: Any) -> str:
    return f"/classes/{w.a.klass.pk}/groups/"


def grouping_url(w: Any) -> str:
    return f"{klass(w)}{dw.grouping(w).pk}/"


def task_url(w: Any) -> str:
    task = dw.learners_group_task(w)
    return f"{grouping_url(w)}tasks/{task.pk}/"


def first_group(w: Any) -> Any:
    return dw.grouping(w).groups.order_by("position").first()


def page(route: str, url: Any, allowed: frozenset[str], **kw: Any) -> Case:
    return Case(route, "GET", url, allowed, is_api=False, **kw)


def post(route: str, url: Any, allowed: frozenset[str], payload: Any, **kw: Any) -> Case:
    kw.setdefault("ok", 302)
    return Case(route, "POST", url, allowed, payload=payload, is_api=False, **kw)


def api(method: str, path: str, url: Any, allowed: frozenset[str], payload: Any = None, **kw: Any) -> Case:
    return Case(f"{method} /api{path}", method, url, allowed, payload=payload, **kw)


CASES = [
    page("class-groupings", klass, TEACHERS),
    post(
        "class-groupings",
        klass,
        TEACHERS,
        lambda w: {"action": "apart", "learner": w.a.learner.pk, "other": dw.class_learner(w, "ana").pk},
    ),
    page("class-grouping", grouping_url, TEACHERS),
    post(
        "class-grouping",
        grouping_url,
        TEACHERS,
        lambda w: {
            "action": "place",
            "learner": w.a.learner.pk,
            "group": first_group(w).pk,
            "pin": "on",
        },
    ),
    page("group-task", task_url, TEACHERS),
    post(
        "group-task",
        task_url,
        TEACHERS,
        lambda w: {"learner": w.a.learner.pk, "text": "Good use of the strips."},
    ),
    page("my-groups", lambda w: "/me/groups/", EVERYONE_SIGNED_IN),
    post(
        "my-groups",
        lambda w: "/me/groups/",
        LEARNER,
        lambda w: {"task": dw.learners_group_task(w).pk, "text": "Two quarters make a half."},
    ),
    # the API
    api("GET", "/classes/{class_id}/groupings", lambda w: f"/api/classes/{w.a.klass.pk}/groupings", TEACHERS),
    api(
        "POST",
        "/classes/{class_id}/groupings",
        lambda w: f"/api/classes/{w.a.klass.pk}/groupings",
        TEACHERS,
        lambda w: (
            dw.populated(w),
            {"objective": "Fractions", "competency_ids": [dw.fractions(w).pk], "group_count": 2},
        )[1],
        ok=201,
    ),
    api("GET", "/groupings/{grouping_id}", lambda w: f"/api/groupings/{dw.grouping(w).pk}", TEACHERS),
    api(
        "POST",
        "/groupings/{grouping_id}/placements",
        lambda w: f"/api/groupings/{dw.grouping(w).pk}/placements",
        TEACHERS,
        lambda w: {"learner_id": w.a.learner.pk, "group_id": first_group(w).pk, "pin": True},
    ),
    api(
        "POST",
        "/groupings/{grouping_id}/placements/release",
        lambda w: f"/api/groupings/{dw.grouping(w).pk}/placements/release",
        TEACHERS,
        lambda w: {"learner_id": dw.class_learner(w, "ana").pk},
    ),
    api(
        "POST",
        "/keep-apart/{pair_id}/remove",
        lambda w: f"/api/keep-apart/{dw.kept_apart(w).pk}/remove",
        TEACHERS,
        ok=204,
    ),
    api(
        "POST",
        "/groups/{group_id}/plan",
        lambda w: f"/api/groups/{first_group(w).pk}/plan",
        TEACHERS,
        lambda w: {"objective": "Add fractions with like denominators", "resource_ids": []},
    ),
    api(
        "POST",
        "/groupings/{grouping_id}/regrouping",
        lambda w: f"/api/groupings/{dw.grouping(w).pk}/regrouping",
        TEACHERS,
        lambda w: {"accept_learner_ids": []},
        ok=400,  # nothing is proposed in this world: a clear error for the teachers, 404 for the rest
    ),
    api(
        "POST",
        "/groupings/{grouping_id}/checks",
        lambda w: f"/api/groupings/{dw.grouping(w).pk}/checks",
        TEACHERS,
        lambda w: {"learner_ids": [w.a.learner.pk]},
    ),
    api(
        "POST",
        "/classes/{class_id}/keep-apart",
        lambda w: f"/api/classes/{w.a.klass.pk}/keep-apart",
        TEACHERS,
        lambda w: {"learner_id": w.a.learner.pk, "other_id": dw.class_learner(w, "ana").pk},
        ok=201,
    ),
    api(
        "POST",
        "/groups/{group_id}/tasks",
        lambda w: f"/api/groups/{first_group(w).pk}/tasks",
        TEACHERS,
        lambda w: {
            "title": "Fraction wall",
            "instructions": "Build a wall of halves, thirds and quarters.",
            "tier": "core",
            "competency_id": dw.fractions(w).pk,
            "starts_on": "2026-12-07",
            "due_on": "2026-12-11",
        },
        ok=201,
    ),
    api(
        "POST",
        "/groups/{group_id}/roles",
        lambda w: f"/api/groups/{first_group(w).pk}/roles",
        TEACHERS,
        lambda w: {"learner_id": dw.class_learner(w, "ana").pk, "role": "recorder"},
    ),
    api(
        "POST",
        "/group-tasks/{task_id}/feedback",
        lambda w: f"/api/group-tasks/{dw.learners_group_task(w).pk}/feedback",
        TEACHERS,
        lambda w: {"learner_id": w.a.learner.pk, "text": "Well explained."},
        ok=201,
    ),
    api(
        "POST",
        "/me/group-tasks/{task_id}/work",
        lambda w: f"/api/me/group-tasks/{dw.learners_group_task(w).pk}/work",
        LEARNER,
        lambda w: {"text": "Two quarters make a half."},
    ),
    api("GET", "/me/groups", lambda w: "/api/me/groups", EVERYONE_SIGNED_IN),
]
