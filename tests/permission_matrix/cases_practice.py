"""Permission cases for practice: learners of school A start sessions on its competencies (staff and
guardians, who see the framework, get 403); a session is its learner's alone (everyone else: 404).

The learner's pages (today, my mastery, history) are for learners of any school: everyone else signed in
gets a 403 page saying so. The practice page of a session, like the API, is 404 for all but its learner."""

from __future__ import annotations

from typing import Any

from tessera.curriculum.models import Competency
from tessera.practice import services
from tessera.practice.models import PracticeSession
from tests.curriculum.documents import small_framework
from tests.permission_matrix.case import EVERYONE_SIGNED_IN, SEES_SCHOOL_A_NOT_ADMIN, Case, roles

LEARNERS_A = roles("learner", "other_learner")
LEARNERS = roles("learner", "other_learner", "b_learner")
NOT_LEARNERS = EVERYONE_SIGNED_IN - LEARNERS
CLIENT_ID = "6f1d2c3b-4a59-4e8f-9a7b-0c1d2e3f4a5b"


def competency(w: Any) -> Competency:
    return small_framework(w.a.school).competencies.get(code="add")


def session(w: Any) -> PracticeSession:
    existing = PracticeSession.objects.filter(learner=w.a.learner).first()
    return existing or services.session_start(learner=w.a.learner, competency=competency(w))


def answer(w: Any) -> dict[str, Any]:
    item = small_framework(w.a.school).items.get(code="add-1")
    return {"item_id": item.pk, "answer": 5, "client_id": CLIENT_ID}


CASES = [
    Case(
        "POST /api/practice/sessions",
        "POST",
        lambda w: "/api/practice/sessions",
        LEARNERS_A,
        ok=201,
        forbidden=(SEES_SCHOOL_A_NOT_ADMIN | roles("admin")) - LEARNERS_A,
        payload=lambda w: {"competency_id": competency(w).pk},
    ),
    Case(
        "GET /api/practice/sessions/{session_id}/next",
        "GET",
        lambda w: f"/api/practice/sessions/{session(w).pk}/next",
        roles("learner"),
    ),
    Case(
        "POST /api/practice/sessions/{session_id}/answers",
        "POST",
        lambda w: f"/api/practice/sessions/{session(w).pk}/answers",
        roles("learner"),
        payload=answer,
    ),
    # Every learner may send a batch (200); each answer naming another learner's session gets its own 404
    # inside it (tests/practice/test_one_round_trip.py). Everyone else: 403.
    Case(
        "POST /api/practice/answers/batch",
        "POST",
        lambda w: "/api/practice/answers/batch",
        LEARNERS,
        forbidden=NOT_LEARNERS,
        payload=lambda w: {"answers": [{**answer(w), "session_id": session(w).pk}]},
    ),
    Case(
        "POST /api/practice/sessions/{session_id}/end",
        "POST",
        lambda w: f"/api/practice/sessions/{session(w).pk}/end",
        roles("learner"),
        payload=lambda w: {},
    ),
    *[
        Case(name, "GET", lambda w, path=path: path, LEARNERS, forbidden=NOT_LEARNERS, is_api=False)
        for name, path in (
            ("learn-today", "/learn/"),
            ("learn-mastery", "/learn/mastery/"),
            ("learn-history", "/learn/history/"),
        )
    ],
    # School B's learner cannot see school A's competency (404); people who are not learners: 403.
    Case(
        "learn-start",
        "POST",
        lambda w: "/learn/start/",
        LEARNERS_A,
        ok=302,
        forbidden=NOT_LEARNERS,
        payload=lambda w: {"competency": competency(w).pk, "how": "chosen"},
        is_api=False,
    ),
    Case(
        "learn-practice",
        "GET",
        lambda w: f"/learn/practice/{session(w).pk}/",
        roles("learner"),
        is_api=False,
    ),
]
