"""A demo learner practises on a 360 px phone: today, practice with hints and feedback, mastery, history;
and the acceptance test of issue 5: answers given offline are kept on the phone, sent when the connection
returns (or after a reload), and stored exactly once."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, axe_violations, horizontal_overflow, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SAVED = "Saved on this phone; it will be sent when you are back online."


def learner(live_app: LiveApp, index: int) -> str:
    """The index-th demo learner (each test its own, so their sessions do not meet)."""
    return [login.username for login in live_app.logins if login.role == "Learner"][index]


def database(live_app: LiveApp) -> Any:
    """The live server's SQLite database (next to its log), read-only."""
    path = live_app.log.parent / "browser.sqlite3"
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20))


@dataclass
class Item:
    id: int
    kind: str
    choices: list[str]
    right: str | int
    wrong: str | int
    hints: int
    data: dict[str, Any]


def item_of(live_app: LiveApp, data: dict[str, Any]) -> Item:
    """The item the page shows (from the API's reply), with a right and a wrong answer from the database."""
    with database(live_app) as db:
        kind, correct_choice, numeric, accepted, hints, stored_choices = db.execute(
            "SELECT kind, correct_choice, numeric_answer, accepted_answers, hints, choices"
            " FROM curriculum_item WHERE id = ?",
            (data["id"],),
        ).fetchone()
    choices = [str(choice) for choice in json.loads(stored_choices)] if kind == "multiple_choice" else []
    if kind == "multiple_choice":
        right: str | int = correct_choice
        wrong: str | int = (correct_choice + 1) % len(choices)
    elif kind == "numeric":
        right, wrong = f"{numeric:g}", f"{numeric + 1000:g}"
    else:
        right, wrong = json.loads(accepted)[0], "zzz no such answer"
    return Item(data["id"], kind, choices, right, wrong, len(json.loads(hints)), data)


def answer_rows(live_app: LiveApp, page: Any) -> list[tuple[str, int, int, int]]:
    """(client_id, item_id, correct, hints_used) of every stored answer in the session the page shows,
    oldest first (the demo learners also have weeks of earlier practice)."""
    session_id = int(re.search(r"/learn/practice/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    with database(live_app) as db:
        return db.execute(
            "SELECT client_id, item_id, correct, hints_used FROM practice_answer WHERE session_id = ?"
            " ORDER BY id",
            (session_id,),
        ).fetchall()


def answer_count(live_app: LiveApp, username: str) -> int:
    """How many answers ``username`` has stored in all."""
    with database(live_app) as db:
        return int(
            db.execute(
                "SELECT count(*) FROM practice_answer a JOIN schools_user u ON u.id = a.learner_id"
                " WHERE u.username = ?",
                (username,),
            ).fetchone()[0]
        )


def is_next(response: Any) -> bool:
    return response.request.method == "GET" and response.url.endswith("/next")


def with_hints(live_app: LiveApp, names: list[str]) -> str:
    """The first of these competencies whose items have hints."""
    with database(live_app) as db:
        for name in names:
            if db.execute(
                "SELECT 1 FROM curriculum_item i JOIN curriculum_itemcompetency ic ON ic.item_id = i.id"
                " JOIN curriculum_competency c ON c.id = ic.competency_id"
                " WHERE c.name = ? AND json_array_length(i.hints) > 0",
                (name,),
            ).fetchone():
                return name
    raise LookupError(f"none of {names} has items with hints")


def start_practice(page: Any, live_app: LiveApp, hints: bool = False) -> Item:
    page.goto("/learn/")
    buttons = page.get_by_role("button", name=re.compile(r"^Start "))
    button = buttons.first
    if hints:
        names = [" ".join(name.split()).removeprefix("Start ") for name in buttons.all_text_contents()]
        button = page.get_by_role("button", name=f"Start {with_hints(live_app, names)}", exact=True)
    with page.expect_response(is_next, timeout=60_000) as next_item:
        button.click()
    page.get_by_role("heading", name="Question").wait_for()
    return item_of(live_app, next_item.value.json())


def answer(page: Any, item: Item, value: str | int) -> None:
    if item.kind == "multiple_choice":
        page.get_by_role("radio", name=item.choices[int(value)], exact=True).check()
    else:
        page.get_by_label(re.compile(r"^Your answer")).fill(str(value))
    page.get_by_role("button", name="Check my answer").click()


def by_keyboard(page: Any, item: Item, value: str | int) -> None:
    """Answer with the keyboard alone: focus starts on the question, Tab reaches the answer, Enter sends."""
    assert page.evaluate("document.activeElement.id") == "item-heading"
    page.keyboard.press("Tab")
    if item.kind == "multiple_choice":
        page.keyboard.press("Space")
        for _ in range(int(value)):
            page.keyboard.press("ArrowDown")
    else:
        page.keyboard.type(str(value))
    page.keyboard.press("Enter")
    page.locator("#feedback").get_by_role("heading").wait_for()
    assert page.evaluate("document.activeElement.id") == "next-button"


def next_item(page: Any, live_app: LiveApp) -> Item:
    """Go on: the next question came with the last answer's reply (or, after an answer sent late, from
    GET .../next); the item the page then shows."""
    return item_of(live_app, {"id": int(go_on(page)["itemId"])})


def go_on(page: Any) -> dict[str, str]:
    """Click "Next question" and wait for the next item to be shown; its data attributes."""
    shown = page.locator("#item").get_attribute("data-shown")
    page.get_by_role("button", name="Next question").click()
    page.wait_for_function(f"document.getElementById('item').dataset.shown !== '{shown}'")
    page.get_by_role("heading", name="Question").wait_for()
    data: dict[str, str] = page.evaluate("({...document.getElementById('item').dataset})")
    return data


def mastery_percent(page: Any) -> int:
    return int(page.locator("#mastery-percent").inner_text().rstrip("%"))


def queue(page: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('tessera.answers'))"
        ".flatMap(k => JSON.parse(localStorage.getItem(k)))"
    )
    return entries


def check_page(page: Any, name: str) -> None:
    assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, f"{name}: {report}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))  # what the phone shows first


@pytest.fixture
def offline_safe(page: Any) -> Iterator[Any]:
    """Whatever a test does, the next test's browser context starts online."""
    yield page
    page.context.set_offline(False)


def test_a_learner_practises_with_hints_feedback_and_mastery_on_a_phone(page: Any, live_app: LiveApp) -> None:
    username = learner(live_app, 0)
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and console_errors.append(f"{message.text} {message.location.get('url', '')}")
        ),
    )
    sign_in(page, username)
    page.get_by_role("link", name="Practise today").click()
    assert page.get_by_role("heading", level=1, name="Today").is_visible()
    assert page.get_by_role("heading", name="What to practise next").first.is_visible()
    check_page(page, "today")

    item = start_practice(page, live_app, hints=True)
    assert re.search(r"/learn/practice/\d+/$", page.url)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    seen: list[int] = []
    hinted = None
    for n in range(4):
        if n > 0:
            item = next_item(page, live_app)
        if hinted is None and item.hints:
            page.get_by_role("button", name=re.compile(r"^Show a hint")).click()
            assert page.get_by_role("list", name="Hints").get_by_role("listitem").count() == 1
            hinted = item.id
        right = n != 1
        if n == 0 and item.kind == "numeric":
            # A malformed answer is refused with the server's reason, and the learner can try again.
            answer(page, item, "twelve")
            assert "is not a number" in page.get_by_role("alert").inner_text()
            assert page.get_by_role("button", name="Check my answer").is_enabled()
        if n == 2:
            by_keyboard(page, item, item.right)
        else:
            answer(page, item, item.right if right else item.wrong)
        feedback = page.locator("#feedback")
        feedback.get_by_role("heading", name="Right!" if right else "Not quite.").wait_for()
        assert page.get_by_role("progressbar", name=re.compile(r"^Mastery of ")).is_visible()
        assert page.locator("#mastery-explanation").inner_text().strip()
        seen.append(mastery_percent(page))
        if n == 1:
            check_page(page, "practice-feedback")
    assert len(set(seen)) > 1, f"the mastery estimate never changed: {seen}"
    # One request a question: each next item came with the answer before it.
    assert not [r for r in requests if r.startswith("GET ") and r.endswith("/next")], requests

    page.get_by_role("button", name="End session").click()
    summary = page.get_by_role("region", name="Session summary")
    summary.wait_for()
    assert "You answered 4 questions and got 3 right." in summary.inner_text()

    rows = answer_rows(live_app, page)
    assert [correct for _, _, correct, _ in rows] == [1, 0, 1, 1]
    assert hinted is not None, "no item with hints came up"
    assert next(hints for _, item_id, _, hints in rows if item_id == hinted) == 1

    page.get_by_role("link", name="My mastery").first.click()
    assert page.get_by_role("heading", level=1, name="My mastery").is_visible()
    assert page.get_by_text("What is next and why").first.is_visible()
    check_page(page, "mastery")

    page.get_by_role("link", name="History").first.click()
    total = answer_count(live_app, username)
    assert f"{total} answers, newest first" in page.get_by_role("main").inner_text()
    check_page(page, "history")
    # The one refused answer is a 400 the page explained; nothing else went wrong (no CSP violations).
    unexpected = [e for e in console_errors if "400 (Bad Request)" not in e and "favicon.ico" not in e]
    assert not unexpected, unexpected


def test_offline_answers_are_kept_on_the_phone_and_stored_exactly_once(
    offline_safe: Any, live_app: LiveApp
) -> None:
    page = offline_safe
    username = learner(live_app, 1)
    sign_in(page, username)
    item = start_practice(page, live_app)
    answer(page, item, item.right)
    page.locator("#feedback").get_by_role("heading", name="Right!").wait_for()
    given = [item.id]

    # Offline in the middle of the session: the answer stays on the phone, and the page says so.
    item = next_item(page, live_app)
    page.context.set_offline(True)
    answer(page, item, item.wrong)
    given.append(item.id)
    assert page.get_by_role("status").filter(has_text=SAVED).is_visible()
    check_page(page, "practice-offline")
    assert len(queue(page)) == 1
    assert len(answer_rows(live_app, page)) == 1  # not sent yet
    # The next question cannot come while offline: a calm message, no error.
    page.get_by_role("button", name="Next question").click()
    page.get_by_text("You are offline.").wait_for()
    assert not page.locator("#practice-error").is_visible()

    # Back online: the saved answer is sent, and its result shown.
    with page.expect_response(lambda r: r.url.endswith("/answers")):
        page.context.set_offline(False)
    page.locator("#feedback").get_by_role("heading", name="Not quite.").wait_for()
    assert queue(page) == []

    # The reply to the next answer is lost on the way back (the server stored it): the page keeps the
    # answer and sends it again with the same client id, and the server keeps it once.
    item = next_item(page, live_app)
    keys: list[str] = []

    def lose_the_reply(route: Any) -> None:
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            route.fetch()  # it reaches the server...
            route.abort("internetdisconnected")  # ...but the reply never reaches the phone
        else:
            route.continue_()

    page.route("**/answers", lose_the_reply)
    answer(page, item, item.right)
    given.append(item.id)
    page.get_by_text(SAVED).wait_for()
    page.context.set_offline(True)
    page.context.set_offline(False)
    page.locator("#feedback").get_by_role("heading", name="Right!").wait_for()
    page.unroute("**/answers")
    assert len(keys) == 2 and keys[0] == keys[1], keys

    # A flaky connection drops the next answer, and the learner reloads the page: it is sent on load, once.
    item = next_item(page, live_app)
    page.route("**/answers", lambda route: route.abort("internetdisconnected"))
    answer(page, item, item.right)
    given.append(item.id)
    page.get_by_text(SAVED).wait_for()
    waiting = queue(page)
    assert len(waiting) == 1
    page.unroute("**/answers")
    with page.expect_response(lambda r: r.url.endswith("/answers")) as resent:
        page.reload()
    assert resent.value.status == 200
    assert resent.value.request.headers["idempotency-key"] == waiting[0]["client_id"]
    page.get_by_text("1 answer saved on this phone earlier has been sent.").wait_for()
    assert queue(page) == []

    rows = answer_rows(live_app, page)
    client_ids = [client_id for client_id, _, _, _ in rows]
    assert len(client_ids) == len(set(client_ids)) == len(given) == 4, rows
    assert [item_id for _, item_id, _, _ in rows] == given
    assert keys[0].replace("-", "") in client_ids
    assert waiting[0]["client_id"].replace("-", "") in client_ids

    # The page carries on, and history shows every answer once.
    page.get_by_role("heading", name="Question").wait_for()
    page.goto("/learn/history/")
    total = answer_count(live_app, username)
    assert f"{total} answers, newest first" in page.get_by_role("main").inner_text()
