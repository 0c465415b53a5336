"""Permission cases for item statistics (issue 26, part 6): the staff page and the API endpoint.

An item's statistics are for the staff of a school who may see the item's answers (administrators,
teachers, specialists, para-professionals: ``curriculum.permissions.frameworks_with_answers_for``); everyone
else gets 404 (learners, guardians and the mentor included: the page names nothing). A shared framework's
item is read at a school by that school's staff only (school B's staff at school B's address).
"""

from __future__ import annotations

from typing import Any

from tessera.curriculum.models import Item
from tests.curriculum.documents import small_framework
from tests.permission_matrix.case import Case, roles
from tests.permission_matrix.cases_curriculum import STAFF_A

STAFF_B = roles("b_admin", "b_teacher")


def item(w: Any) -> Item:
    return small_framework(w.a.school).items.get(code="add-1")


def shared_item(w: Any) -> Item:
    return small_framework(None).items.get(code="add-1")


CASES = [
    Case(
        "item-statistics",
        "GET",
        lambda w: f"/school/{w.a.school.pk}/items/{item(w).pk}/statistics/",
        STAFF_A,
        is_api=False,
    ),
    # A shared framework's item at school B's address: school B's staff; school A's staff are not B's.
    Case(
        "item-statistics",
        "GET",
        lambda w: f"/school/{w.b.school.pk}/items/{shared_item(w).pk}/statistics/",
        STAFF_B,
        is_api=False,
    ),
    Case(
        "GET /api/items/{item_id}/statistics",
        "GET",
        lambda w: f"/api/items/{item(w).pk}/statistics",
        STAFF_A,
    ),
    # Naming a school one is not staff of: 404 (school A's staff asking for school B's answers).
    Case(
        "GET /api/items/{item_id}/statistics",
        "GET",
        lambda w: f"/api/items/{shared_item(w).pk}/statistics?school_id={w.b.school.pk}",
        STAFF_B,
    ),
]
