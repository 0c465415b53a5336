"""One request per question: the answer's reply carries the next item and the session's tally; and answers
saved offline go as a batch, each applied once, in order, with its own result or its own error."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from tessera.practice.api import BATCH_LIMIT
from tessera.practice.models import Answer, LearnerCompetencyState

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def learner(client_for: Any, world: Any) -> Client:
    return client_for(world.a.learner)  # type: ignore[no-any-return]


def session_path(practice: Any) -> str:
    return f"/api/practice/sessions/{practice.session.pk}"


def entry(practice: Any, answer: object = 5, **changes: Any) -> dict[str, Any]:
    return {
        "session_id": practice.session.pk,
        "item_id": practice.add_item.pk,
        "answer": answer,
        "client_id": str(uuid.uuid4()),
        **changes,
    }


def test_the_answer_reply_is_the_next_page_a_get_would_give(learner: Client, practice: Any) -> None:
    path = session_path(practice)
    first = learner.get(f"{path}/next").json()
    reply = post(
        learner, f"{path}/answers", {"item_id": first["id"], "answer": 5, "client_id": str(uuid.uuid4())}
    )
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert body["session"] == {"answers": 1, "correct": int(body["correct"]), "ended": False}
    assert body["next_item"] == learner.get(f"{path}/next").json()  # what a fresh page would be shown
    assert "answer" not in json.dumps(body["next_item"]).replace('"answer_', "")  # never the answer itself


def test_a_retried_answer_gets_the_same_result_and_the_tally_counts_it_once(
    learner: Client, practice: Any
) -> None:
    path, client_id = session_path(practice), str(uuid.uuid4())
    body = {"item_id": practice.add_item.pk, "answer": 5, "client_id": client_id}
    first, again = (
        post(learner, f"{path}/answers", body).json(),
        post(learner, f"{path}/answers", body).json(),
    )
    assert {k: v for k, v in again.items() if k != "next_item"} == {
        k: v for k, v in first.items() if k != "next_item"
    }
    assert again["session"]["answers"] == 1 and Answer.objects.count() == 1


def test_an_ended_session_still_takes_a_late_answer_but_offers_no_next_item(
    learner: Client, practice: Any
) -> None:
    path = session_path(practice)
    post(learner, f"{path}/end", {})
    reply = post(
        learner,
        f"{path}/answers",
        {"item_id": practice.add_item.pk, "answer": 5, "client_id": str(uuid.uuid4())},
    )
    assert reply.status_code == 200
    assert reply.json()["next_item"] is None and reply.json()["session"]["ended"] is True


def test_a_batch_applies_each_answer_once_in_order(learner: Client, practice: Any) -> None:
    answers = [entry(practice, 5), entry(practice, 4), entry(practice, 5)]
    reply = post(learner, "/api/practice/answers/batch", {"answers": answers})
    assert reply.status_code == 200, reply.content
    results = reply.json()["results"]
    assert [r["status"] for r in results] == [200, 200, 200]
    assert [r["result"]["correct"] for r in results] == [True, False, True]
    stored = list(Answer.objects.order_by("pk").values_list("client_id", flat=True))
    assert [str(c) for c in stored] == [a["client_id"] for a in answers]  # in the order sent
    assert LearnerCompetencyState.objects.get(competency=practice.add).attempts == 3
    again = post(learner, "/api/practice/answers/batch", {"answers": answers}).json()[
        "results"
    ]  # a flaky network
    assert [r["result"] for r in again] == [r["result"] for r in results]
    assert Answer.objects.count() == 3


def batch_with_one_bad(
    learner: Client, practice: Any, bad: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A batch of two good answers around ``bad``: the bad one's result, and the two good ones stored."""
    good = [entry(practice, 5), entry(practice, 5)]
    reply = post(learner, "/api/practice/answers/batch", {"answers": [good[0], bad, good[1]]})
    assert reply.status_code == 200, reply.content
    results = reply.json()["results"]
    assert [r["status"] for r in (results[0], results[2])] == [200, 200]
    assert results[1]["result"] is None
    stored = sorted(str(c) for c in Answer.objects.values_list("client_id", flat=True))
    assert stored == sorted(a["client_id"] for a in good), (
        "the bad one changed nothing, the good ones are kept"
    )
    assert LearnerCompetencyState.objects.get(competency=practice.add).attempts == 2
    return results[1], good


def test_a_malformed_answer_in_a_batch_gets_its_own_422(learner: Client, practice: Any) -> None:
    bad = {"session_id": practice.session.pk, "item_id": "seven", "answer": 5, "client_id": str(uuid.uuid4())}
    result, _ = batch_with_one_bad(learner, practice, bad)
    assert result["status"] == 422 and "item_id" in result["detail"]


def test_an_entry_that_is_not_an_object_gets_its_own_422(learner: Client, practice: Any) -> None:
    result, _ = batch_with_one_bad(learner, practice, "not an answer")
    assert result["status"] == 422


def test_an_item_the_session_did_not_offer_gets_its_own_400(learner: Client, practice: Any) -> None:
    result, _ = batch_with_one_bad(learner, practice, entry(practice, 1, item_id=practice.frac_item.pk))
    assert result["status"] == 400 and "not part of this session" in result["detail"]
    assert result["code"] == "practice.item_not_offered"


def test_the_same_client_id_twice_in_a_batch_is_a_409_for_the_second(learner: Client, practice: Any) -> None:
    first = entry(practice, 5)
    reply = post(
        learner,
        "/api/practice/answers/batch",
        {"answers": [first, entry(practice, 4, client_id=first["client_id"])]},
    )
    results = reply.json()["results"]
    assert [r["status"] for r in results] == [200, 409]
    assert "twice" in results[1]["detail"] and results[1]["code"] == "practice.client_id_repeated"
    assert list(Answer.objects.values_list("correct", flat=True)) == [True]  # the first, as sent


def test_an_unknown_session_in_a_batch_gets_its_own_404(learner: Client, practice: Any) -> None:
    result, _ = batch_with_one_bad(learner, practice, entry(practice, 5, session_id=999_999))
    assert result["status"] == 404


def test_a_batch_over_the_limit_is_a_413_naming_it_and_changes_nothing(
    learner: Client, practice: Any
) -> None:
    reply = post(
        learner, "/api/practice/answers/batch", {"answers": [entry(practice) for _ in range(BATCH_LIMIT + 1)]}
    )
    assert reply.status_code == 413
    assert str(BATCH_LIMIT) in reply.json()["detail"]
    assert Answer.objects.count() == 0


def test_another_learners_session_in_a_batch_is_a_404_for_that_answer(
    client_for: Any, world: Any, practice: Any
) -> None:
    other = client_for(world.a.other_learner)
    results = post(other, "/api/practice/answers/batch", {"answers": [entry(practice)]}).json()["results"]
    assert [r["status"] for r in results] == [404]
    assert Answer.objects.count() == 0


def test_a_batch_needs_a_signed_in_learner(client: Client, practice: Any) -> None:
    reply = post(client, "/api/practice/answers/batch", {"answers": [entry(practice)]})
    assert reply.status_code == 401
    assert Answer.objects.count() == 0
