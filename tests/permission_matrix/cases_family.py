"""Permission cases for the family feed: a child's feed and page are for their current guardians in that
school only (everyone else: 404, also the child's guardian in another school and a former guardian); the
family home page is for anyone with a current guardianship (others signed in: a 403 page).

The stream is a server-sent event response: the matrix checks its status and headers and never reads its
endless body (``Case.streaming``)."""

from __future__ import annotations

from tests.permission_matrix.case import EVERYONE_SIGNED_IN, Case, roles

GUARDIANS = roles("guardian", "b_guardian")

CASES = [
    Case(
        "family-home",
        "GET",
        lambda w: "/family/",
        GUARDIANS,
        forbidden=EVERYONE_SIGNED_IN - GUARDIANS,
        is_api=False,
    ),
    Case(
        "family-child",
        "GET",
        lambda w: f"/family/{w.a.school.pk}/{w.a.learner.pk}/",
        roles("guardian"),
        is_api=False,
    ),
    Case(
        "family-child-progress",
        "GET",
        lambda w: f"/family/{w.a.school.pk}/{w.a.learner.pk}/progress/",
        roles("guardian"),
        is_api=False,
    ),
    Case(
        "family-feed-stream",
        "GET",
        lambda w: f"/family/feed/{w.a.school.pk}/{w.a.learner.pk}/stream",
        roles("guardian"),
        is_api=False,
        streaming=True,
    ),
]
