"""Issue 26 in practice: learners see teacher-written maths (safe HTML with MathML, words for read-aloud),
answer multiple-selection items, the time on each item is kept, and their history shows the version they
answered."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tessera.curriculum.models import Item, ItemCompetency
from tessera.practice.models import Answer

pytestmark = pytest.mark.django_db

MATHS_STEM = r"What is \(\frac{3}{4}\) of 8?"


def post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def learner(client_for: Any, world: Any) -> Client:
    return client_for(world.a.learner)  # type: ignore[no-any-return]


def answers_url(practice: Any) -> str:
    return f"/api/practice/sessions/{practice.session.pk}/answers"


def next_url(practice: Any) -> str:
    return f"/api/practice/sessions/{practice.session.pk}/next"


def rewrite(item: Item, **fields: Any) -> Item:
    """Change an item with ``save()`` (its framework's bank is reloaded, as after an edit in the browser)."""
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return item


def selection_item(practice: Any, *, code: str = "add-sel") -> Item:
    """A multiple-selection item on the session's competency; the numeric item is retired, so practice
    offers this one."""
    rewrite(practice.add_item, retired_at=timezone.now())
    item = Item.objects.create(
        school=practice.framework.school,
        framework=practice.framework,
        code=code,
        kind=Item.Kind.MULTIPLE_SELECTION,
        stem=r"Which are equal to \(\frac{1}{2}\)?",
        choices=[r"\(\frac{2}{4}\)", "0.5", r"\(\frac{1}{3}\)"],
        correct_choices=[0, 1],
        hints=[r"Halve \(4\)."],
        feedback="Two of them are.",
    )
    ItemCompetency.objects.create(
        school=practice.framework.school, item=item, competency=practice.add, primary=True
    )
    return item


def test_the_next_item_carries_safe_html_with_mathml_and_words_to_read(
    learner: Client, practice: Any
) -> None:
    rewrite(  # the numeric item's answer stays 5
        practice.add_item,
        stem=MATHS_STEM + " <script>alert(1)</script> <img src=x onerror=alert(1)>",
        hints=[r"First find \(\frac{1}{4}\) of 8."],
        feedback=r"**6**: \(\frac{3}{4} \times 8 = 6\).",
    )
    item = learner.get(next_url(practice)).json()
    assert item["stem"].startswith(MATHS_STEM), "the plain text stays"
    assert "<math" in item["stem_html"] and "<mfrac>" in item["stem_html"]
    assert "<script" not in item["stem_html"] and "<img" not in item["stem_html"], "shown as text, not run"
    assert "&lt;script&gt;" in item["stem_html"]
    assert "3 over 4" in item["stem_speech"] and "frac" not in item["stem_speech"]
    assert "<math" in item["hints_html"][0] and not item["hints_html"][0].startswith("<p>"), "inline"
    assert item["choices"] == item["choices_html"] == item["choices_speech"] == []

    reply = post(
        learner, answers_url(practice), {"item_id": item["id"], "answer": "5", "client_id": str(uuid.uuid4())}
    ).json()
    assert reply["correct"] is True
    assert "<strong>6</strong>" in reply["feedback_html"] and "<math" in reply["feedback_html"]
    assert reply["feedback"].startswith("**6**")


def test_a_retry_replays_the_feedback_html_too(learner: Client, practice: Any) -> None:
    rewrite(practice.add_item, feedback=r"\(2 + 3 = 5\)")
    body = {"item_id": practice.add_item.pk, "answer": 5, "client_id": str(uuid.uuid4())}
    first, again = post(learner, answers_url(practice), body), post(learner, answers_url(practice), body)
    assert first.json()["feedback_html"] == again.json()["feedback_html"]
    assert "<math" in again.json()["feedback_html"]


def test_a_multiple_selection_item_is_offered_with_its_options_and_answered_with_a_list(
    learner: Client, practice: Any
) -> None:
    selection = selection_item(practice)
    item = learner.get(next_url(practice)).json()
    assert item["id"] == selection.pk and item["kind"] == "multiple_selection"
    assert item["choices"] == selection.choices
    assert "<math" in item["choices_html"][0] and "<p>" not in item["choices_html"][0]
    assert item["choices_speech"] == ["2 over 4", "0.5", "1 over 3"]
    assert "correct" not in json.dumps(item) and "[0, 1]" not in json.dumps(item)

    right = post(
        learner,
        answers_url(practice),
        {"item_id": item["id"], "answer": [1, 0], "client_id": str(uuid.uuid4())},
    )
    assert right.status_code == 200, right.content
    assert right.json()["correct"] is True
    wrong = post(
        learner, answers_url(practice), {"item_id": item["id"], "answer": [0], "client_id": str(uuid.uuid4())}
    )
    assert wrong.json()["correct"] is False
    too_many = post(
        learner,
        answers_url(practice),
        {"item_id": item["id"], "answer": [0, 1, 2], "client_id": str(uuid.uuid4())},
    )
    assert too_many.json()["correct"] is False
    stored = list(Answer.objects.filter(item=selection).order_by("pk").values_list("given", "correct"))
    assert stored == [([1, 0], True), ([0], False), ([0, 1, 2], False)]


@pytest.mark.parametrize(
    ("answer", "status", "says"),
    [
        ([], 400, "select at least one"),
        ([7], 400, "no such option"),
        ([0, "1"], 422, "answer"),
        ([True], 422, "answer"),
        ([-1], 422, "answer"),
        (list(range(101)), 422, "answer"),
        (1, 400, "select at least one"),
    ],
)
def test_a_bad_selection_gets_a_clear_error_and_changes_nothing(
    learner: Client, practice: Any, answer: Any, status: int, says: str
) -> None:
    selection = selection_item(practice)
    response = post(
        learner,
        answers_url(practice),
        {"item_id": selection.pk, "answer": answer, "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == status, response.content
    assert says in response.json()["detail"]
    assert not Answer.objects.filter(item=selection).exists()


def test_the_same_options_in_another_order_are_the_same_answer_on_a_retry(
    learner: Client, practice: Any
) -> None:
    selection = selection_item(practice)
    client_id = str(uuid.uuid4())
    first = post(
        learner, answers_url(practice), {"item_id": selection.pk, "answer": [0, 1], "client_id": client_id}
    )
    again = post(
        learner, answers_url(practice), {"item_id": selection.pk, "answer": [1, 0], "client_id": client_id}
    )
    other = post(
        learner, answers_url(practice), {"item_id": selection.pk, "answer": [2], "client_id": client_id}
    )
    assert first.status_code == again.status_code == 200
    assert again.json()["answer_id"] == first.json()["answer_id"]
    assert other.status_code == 409
    assert Answer.objects.filter(item=selection).count() == 1


def test_a_batch_takes_selections_and_seconds(learner: Client, practice: Any) -> None:
    selection = selection_item(practice)
    entry = {"session_id": practice.session.pk, "item_id": selection.pk, "answer": [0, 1], "seconds": 12}
    reply = post(
        learner, "/api/practice/answers/batch", {"answers": [{**entry, "client_id": str(uuid.uuid4())}]}
    )
    result = reply.json()["results"][0]
    assert result["status"] == 200 and result["result"]["correct"] is True
    assert "feedback_html" in result["result"]
    assert Answer.objects.get(item=selection).seconds == 12


def test_the_time_on_the_item_is_stored_when_sent(learner: Client, practice: Any) -> None:
    url, item = answers_url(practice), practice.add_item.pk
    assert (
        post(
            learner, url, {"item_id": item, "answer": 5, "client_id": str(uuid.uuid4()), "seconds": 42}
        ).status_code
        == 200
    )
    assert (
        post(learner, url, {"item_id": item, "answer": 5, "client_id": str(uuid.uuid4())}).status_code == 200
    )
    assert list(Answer.objects.order_by("pk").values_list("seconds", flat=True)) == [42, None]
    for seconds in (-1, 3601, "ten", 2.5):
        bad = post(
            learner, url, {"item_id": item, "answer": 5, "client_id": str(uuid.uuid4()), "seconds": seconds}
        )
        assert bad.status_code == 422, (seconds, bad.content)
        assert "seconds" in bad.json()["detail"]
    assert Answer.objects.count() == 2


def test_the_history_shows_the_version_answered_after_a_new_version(learner: Client, practice: Any) -> None:
    old = rewrite(practice.add_item, stem=r"Old: \(\frac{3}{4}\) of 8?")
    body = {"item_id": old.pk, "answer": 6, "client_id": str(uuid.uuid4())}
    assert post(learner, answers_url(practice), body).status_code == 200
    # The teacher edits the item: a new version (same code), the old one superseded.
    rewrite(old, superseded_at=timezone.now())
    new = Item.objects.create(
        school=old.school,
        framework=old.framework,
        code=old.code,
        kind=old.kind,
        stem="New: two plus three?",
        numeric_answer=5,
        lineage=old,
        version=2,
    )
    ItemCompetency.objects.create(school=old.school, item=new, competency=practice.add, primary=True)

    page = learner.get(reverse("learn-history")).content.decode()
    assert "Old:" in page and "<math" in page and "New: two plus three?" not in page
    assert "version 2" not in page, "the first version is not numbered"

    assert learner.get(next_url(practice)).json()["id"] == new.pk
    assert (
        post(
            learner, answers_url(practice), {"item_id": new.pk, "answer": 5, "client_id": str(uuid.uuid4())}
        ).status_code
        == 200
    )
    page = learner.get(reverse("learn-history")).content.decode()
    assert "Old:" in page and "New: two plus three?" in page and "version 2" in page


def test_the_history_shows_the_options_selected(learner: Client, practice: Any) -> None:
    selection = selection_item(practice)
    body = {"item_id": selection.pk, "answer": [1, 0], "client_id": str(uuid.uuid4())}
    assert post(learner, answers_url(practice), body).status_code == 200
    page = learner.get(reverse("learn-history")).content.decode()
    assert "Your answer:" in page
    answer_line = page.split("Your answer:")[1].split("</strong>")[0]
    assert "<math" in answer_line and "0.5" in answer_line
