"""The practice API: start, next item, answers (idempotent), and a clear 4xx for every bad input."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from tessera.practice.models import Answer, PracticeSession
from tests.curriculum.documents import small_framework

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def learner(client_for: Any, world: Any) -> Client:
    return client_for(world.a.learner)  # type: ignore[no-any-return]


def answers_url(practice: Any) -> str:
    return f"/api/practice/sessions/{practice.session.pk}/answers"


def test_a_learner_starts_a_session_and_gets_an_item_without_its_answer(
    learner: Client, practice: Any
) -> None:
    started = post(learner, "/api/practice/sessions", {"competency_id": practice.frac.pk, "how": "suggested"})
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["competency_name"] == "Fractions" and body["how"] == "suggested"
    following = learner.get(f"/api/practice/sessions/{body['id']}/next")
    assert following.status_code == 200
    item = following.json()
    assert set(item) == {
        "id",
        "kind",
        "stem",
        "stem_html",
        "stem_speech",
        "choices",
        "choices_html",
        "choices_speech",
        "hints",
        "hints_html",
        "hints_available",
        "predicted_success",
        "competency_id",
        "competency_name",
        "reason",
        "reason_text",
    }
    assert item["kind"] in {"multiple_choice", "short_text"}
    assert item["competency_name"] == "Fractions" and item["reason"] == "practice"
    assert "answer" not in following.content.decode() and "hundred" not in following.content.decode()


def test_an_answer_returns_feedback_and_mastery(learner: Client, practice: Any) -> None:
    response = post(
        learner,
        answers_url(practice),
        {"item_id": practice.add_item.pk, "answer": "5", "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["correct"] is True and body["feedback"] == "2 + 3 = 5." and body["hints_available"] == 1
    assert 0 < body["mastery_before"] < body["mastery_level"] < 1 and body["explanation"]
    assert body["mastered"] is False and body["newly_mastered"] is False


def test_a_retry_gets_the_same_result_and_a_different_payload_a_409(learner: Client, practice: Any) -> None:
    key = str(uuid.uuid4())
    body = {"item_id": practice.add_item.pk, "answer": 5}
    first = post(learner, answers_url(practice), body, **{"Idempotency-Key": key})
    again = post(learner, answers_url(practice), {**body, "client_id": key}, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    conflict = post(learner, answers_url(practice), {**body, "answer": 6}, **{"Idempotency-Key": key})
    assert conflict.status_code == 409 and "different answer" in conflict.json()["detail"]
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "headers", "status", "message"),
    [
        ({"answer": 5}, {}, 400, "Send an id"),
        (
            {"answer": 5, "client_id": str(uuid.uuid4())},
            {"Idempotency-Key": str(uuid.uuid4())},
            400,
            "differ",
        ),
        ({"answer": 5}, {"Idempotency-Key": "not-a-uuid"}, 400, "must be a UUID"),
        ({"answer": 5, "client_id": "nope"}, {}, 422, "client_id"),
        ({"answer": "1" * 201, "client_id": str(uuid.uuid4())}, {}, 422, "answer"),
        ({"answer": True, "client_id": str(uuid.uuid4())}, {}, 422, "answer"),
        ({"answer": "five", "client_id": str(uuid.uuid4())}, {}, 400, "not a number"),
        ({"answer": "   ", "client_id": str(uuid.uuid4())}, {}, 400, "empty"),
        ({"client_id": str(uuid.uuid4())}, {}, 422, "answer"),
        ({"answer": "1\x00", "client_id": str(uuid.uuid4())}, {}, 422, "control characters"),
        ({"answer": "1e-9999999", "client_id": str(uuid.uuid4())}, {}, 400, "not a number"),
        ({"answer": 10**400, "client_id": str(uuid.uuid4())}, {}, 400, "finite"),
    ],
)
def test_bad_answers_get_a_clear_error_and_change_nothing(
    learner: Client, practice: Any, body: dict[str, Any], headers: dict[str, str], status: int, message: str
) -> None:
    response = post(learner, answers_url(practice), {"item_id": practice.add_item.pk, **body}, **headers)
    assert response.status_code == status, response.content
    assert message in response.json()["detail"]
    assert not Answer.objects.exists()


def test_an_item_not_in_the_session_is_a_400(learner: Client, practice: Any) -> None:
    body = {"item_id": practice.frac_item.pk, "answer": 1, "client_id": str(uuid.uuid4())}
    response = post(learner, answers_url(practice), body)
    assert response.status_code == 400 and "not part of this session" in response.json()["detail"]
    assert not Answer.objects.exists()


def test_unknown_items_sessions_and_competencies_are_404(learner: Client, practice: Any) -> None:
    body = {"item_id": 999_999, "answer": 5, "client_id": str(uuid.uuid4())}
    assert post(learner, answers_url(practice), body).status_code == 404
    body["item_id"] = practice.add_item.pk
    assert post(learner, "/api/practice/sessions/999999/answers", body).status_code == 404
    assert learner.get("/api/practice/sessions/999999/next").status_code == 404
    assert post(learner, "/api/practice/sessions", {"competency_id": 999_999}).status_code == 404
    assert not Answer.objects.exists() and PracticeSession.objects.count() == 1


def test_another_learners_session_is_a_404(client_for: Any, world: Any, practice: Any) -> None:
    other = client_for(world.a.other_learner)
    body = {"item_id": practice.add_item.pk, "answer": 5, "client_id": str(uuid.uuid4())}
    response = post(other, answers_url(practice), body)
    assert response.status_code == 404 and response.json()["detail"]
    assert other.get(f"/api/practice/sessions/{practice.session.pk}/next").status_code == 404
    assert not Answer.objects.exists()


def test_an_item_of_another_schools_framework_is_a_404_that_names_nothing(
    learner: Client, practice: Any, world: Any
) -> None:
    foreign = small_framework(world.b.school).items.get(code="add-1")
    body = {"item_id": foreign.pk, "answer": 5, "client_id": str(uuid.uuid4())}
    response = post(learner, answers_url(practice), body)
    assert response.status_code == 404 and "add-1" not in response.json()["detail"]
    assert not Answer.objects.exists()


def test_the_same_id_in_another_session_is_a_409(learner: Client, practice: Any) -> None:
    key = str(uuid.uuid4())
    body = {"item_id": practice.add_item.pk, "answer": 5, "client_id": key}
    assert post(learner, answers_url(practice), body).status_code == 200
    other = post(learner, "/api/practice/sessions", {"competency_id": practice.add.pk}).json()["id"]
    response = post(learner, f"/api/practice/sessions/{other}/answers", body)
    assert response.status_code == 409
    assert Answer.objects.count() == 1


def test_ending_a_session_returns_its_summary_and_the_next_item_is_then_a_409(
    learner: Client, practice: Any
) -> None:
    post(
        learner,
        answers_url(practice),
        {"item_id": practice.add_item.pk, "answer": 5, "client_id": str(uuid.uuid4())},
    )
    end_url = f"/api/practice/sessions/{practice.session.pk}/end"
    ended = post(learner, end_url, {})
    assert ended.status_code == 200, ended.content
    body = ended.json()
    assert (body["answers"], body["correct"], body["mastered"]) == (1, 1, [])
    assert post(learner, end_url, {}).json()["ended_at"] == body["ended_at"]
    following = learner.get(f"/api/practice/sessions/{practice.session.pk}/next")
    assert following.status_code == 409 and "has ended" in following.json()["detail"]


def test_hints_used_is_part_of_the_answer(learner: Client, practice: Any) -> None:
    client_id = str(uuid.uuid4())
    body = {"item_id": practice.add_item.pk, "answer": 5, "client_id": client_id, "hints_used": 1}
    assert post(learner, answers_url(practice), body).status_code == 200
    assert Answer.objects.get().hints_used == 1
    changed = post(learner, answers_url(practice), {**body, "hints_used": 0})
    assert changed.status_code == 409
    too_many = post(learner, answers_url(practice), {**body, "client_id": str(uuid.uuid4()), "hints_used": 3})
    assert too_many.status_code == 400 and "hints_used" in too_many.json()["detail"]
    negative = post(
        learner, answers_url(practice), {**body, "client_id": str(uuid.uuid4()), "hints_used": -1}
    )
    assert negative.status_code == 422
    assert Answer.objects.count() == 1


def test_the_next_item_carries_its_hints_for_the_learner_to_ask_for(learner: Client, practice: Any) -> None:
    item = learner.get(f"/api/practice/sessions/{practice.session.pk}/next").json()
    assert item["hints"] == ["Count on from 2."] and item["hints_available"] == 1
    assert item["reason"] == "practice" and item["competency_name"] == "Addition"


def test_another_schools_competency_and_an_unknown_id_get_the_same_answer(
    learner: Client, practice: Any, world: Any
) -> None:
    theirs = small_framework(world.b.school).competencies.get(code="add")
    other = post(learner, "/api/practice/sessions", {"competency_id": theirs.pk})
    unknown = post(learner, "/api/practice/sessions", {"competency_id": 2**61})
    assert other.status_code == unknown.status_code == 404
    not_found = {"detail": "There is no competency with this id.", "code": "practice.competency_not_found"}
    assert other.json() == unknown.json() == not_found
    assigned = post(learner, "/api/practice/sessions", {"competency_id": practice.add.pk, "how": "assigned"})
    assert assigned.status_code == 422  # a learner cannot label their own session as assigned
    assert PracticeSession.objects.count() == 1  # the fixture's


def test_a_session_is_started_in_the_school_named(learner: Client, practice: Any, world: Any) -> None:
    body = {"competency_id": practice.add.pk, "school_id": world.a.school.pk}
    started = post(learner, "/api/practice/sessions", body)
    assert started.status_code == 201
    assert PracticeSession.objects.get(pk=started.json()["id"]).school == world.a.school
    elsewhere = post(learner, "/api/practice/sessions", {**body, "school_id": world.b.school.pk})
    assert elsewhere.status_code == 404  # school A's framework is not practised in school B
    assert PracticeSession.objects.count() == 2


def test_why_this_question_and_how_the_answer_moved_mastery_are_in_the_learners_language(
    learner: Client, practice: Any
) -> None:
    practice.learner.language = "es"
    practice.learner.save(update_fields=["language"])
    url = f"/api/practice/sessions/{practice.session.pk}"
    item = learner.get(f"{url}/next").json()
    assert item["reason_text"].startswith("Práctica de Addition, elegida a tu alcance"), item["reason_text"]
    body = learner.post(
        f"{url}/answers",
        {"item_id": item["id"], "answer": 5, "client_id": str(uuid.uuid4())},
        content_type="application/json",
    ).json()
    assert re.fullmatch(
        r"Addition: \d+% → \d+%\. Al menos 2 respuestas más antes de que pueda contar como dominada\.",
        body["explanation"],
    ), body["explanation"]
