"""Permission cases for "Sharing with families", a school administrator's page among the roster pages:
only school A's administrator (everyone else: 404, like the other roster pages)."""

from __future__ import annotations

from typing import Any

from tests.permission_matrix.case import Case, roles

ADMIN = roles("admin")


def url(w: Any) -> str:
    return f"/school/{w.a.school.pk}/sharing/"


CASES = [
    Case("roster-sharing-policy", "GET", url, ADMIN, is_api=False),
    Case(
        "roster-sharing-policy",
        "POST",
        url,
        ADMIN,
        ok=302,
        is_api=False,
        payload=lambda w: {"learner_chooses_sharing_from_age": "14", "always_share_practice": "on"},
    ),
]
