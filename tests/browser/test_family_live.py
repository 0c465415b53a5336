"""The acceptance test of issue 7, with two phones side by side: a learner masters a competency and their
guardian's open page shows it within seconds, without a reload; the guardian writes to the teacher, the
teacher replies, and the guardian sees the reply (and that the teacher read their message)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.conftest import PHONE, LiveApp, axe_violations, horizontal_overflow, sign_in
from tests.browser.test_practice import answer, database, is_next, item_of, next_item

pytestmark = pytest.mark.browser

MAX_ANSWERS = 40  # right answers in a row master a competency well before this
LIVE_WITHIN_MS = 10_000  # "within seconds": the page shows the event without a reload


@dataclass(frozen=True)
class Family:
    learner: str
    learner_name: str
    learner_first_name: str
    learner_id: int
    school_id: int
    guardian: str
    teacher: str
    teacher_name: str


def a_family(live_app: LiveApp) -> Family:
    """A demo learner near the end of the list (other browser tests use the first ones), their first
    guardian as ``load_demo_school`` printed them, and the lead teacher of one of their classes."""
    logins = live_app.logins
    for index in range(len(logins) - 2, 0, -1):
        learner, guardian = logins[index], logins[index + 1]
        if learner.role == "Learner" and guardian.role == "Guardian":
            break
    with database(live_app) as db:
        row = db.execute(
            "SELECT u.id, u.display_name, u.first_name, u.last_name, e.school_id,"
            " t.username, t.display_name, t.first_name, t.last_name"
            " FROM schools_user u JOIN schools_enrolment e ON e.learner_id = u.id"
            " JOIN schools_teachingassignment ta ON ta.school_class_id = e.school_class_id"
            " JOIN schools_user t ON t.id = ta.teacher_id"
            " WHERE u.username = ? ORDER BY ta.kind DESC, ta.id LIMIT 1",
            (learner.username,),
        ).fetchone()
    learner_id, school_id, teacher = row[0], row[4], row[5]
    return Family(
        learner.username,
        name(*row[1:4]),
        row[2],
        learner_id,
        school_id,
        guardian.username,
        teacher,
        name(*row[6:9]),
    )


def name(display_name: str, first_name: str, last_name: str) -> str:
    """What ``User.name`` shows."""
    return display_name or f"{first_name} {last_name}".strip()


def newest_event(live_app: LiveApp, learner_id: int, kind: str) -> int:
    with database(live_app) as db:
        row = db.execute(
            "SELECT max(id) FROM family_feedevent WHERE learner_id = ? AND kind = ?", (learner_id, kind)
        ).fetchone()
    return int(row[0] or 0)


@pytest.fixture
def phones(chromium: Any, live_app: LiveApp) -> Iterator[tuple[Any, Any, Any]]:
    """Three people, each with their own phone (browser context): the learner, the guardian, the teacher."""
    contexts = [chromium.new_context(viewport=PHONE, locale="en-GB", base_url=live_app.url) for _ in range(3)]
    for context in contexts:
        context.set_default_timeout(15_000)
    try:
        yield tuple(context.new_page() for context in contexts)  # type: ignore[misc]
    finally:
        for context in contexts:
            context.close()


def never_mastered(live_app: LiveApp, learner_id: int, names: list[str]) -> str:
    """The first of these competencies the learner has never mastered (mastering it again after a slipped
    review is not news for the family feed)."""
    with database(live_app) as db:
        once = {
            name
            for (name,) in db.execute(
                "SELECT c.name FROM practice_learnercompetencystate s"
                " JOIN curriculum_competency c ON c.id = s.competency_id"
                " WHERE s.learner_id = ? AND s.review_card IS NOT NULL",
                (learner_id,),
            )
        }
    return next(name for name in names if name not in once)


def master_something(learner: Any, live_app: LiveApp, family: Family, before: int) -> int:
    """Practise a competency never mastered, with right answers, until the learner masters a competency
    for the first time; the feed event's id."""
    learner.goto("/learn/")
    buttons = learner.get_by_role("button", name=re.compile(r"^Start "))
    names = [" ".join(name.split()).removeprefix("Start ") for name in buttons.all_text_contents()]
    button = learner.get_by_role(
        "button", name=f"Start {never_mastered(live_app, family.learner_id, names)}", exact=True
    )
    with learner.expect_response(is_next, timeout=60_000) as reply:
        button.click()
    item = item_of(live_app, reply.value.json())
    for n in range(MAX_ANSWERS):
        if n:
            item = next_item(learner, live_app)
        answer(learner, item, item.right)
        learner.locator("#feedback").get_by_role("heading", name="Right!").wait_for()
        event_id = newest_event(live_app, family.learner_id, "competency_mastered")
        if event_id > before:
            return event_id
    raise AssertionError(f"{MAX_ANSWERS} right answers mastered nothing")


def test_a_guardian_sees_mastery_live_and_messages_the_teacher(
    phones: tuple[Any, Any, Any], live_app: LiveApp
) -> None:
    learner, guardian, teacher = phones
    family = a_family(live_app)

    # The guardian opens their child's page and leaves it open.
    sign_in(guardian, family.guardian)
    guardian.goto(f"/family/{family.school_id}/{family.learner_id}/")
    guardian.get_by_text("Live: new events appear here as they happen.").wait_for()
    guardian.evaluate("window.tesseraNotReloaded = true")

    # On another phone, the learner practises until they master a competency.
    sign_in(learner, family.learner)
    before = newest_event(live_app, family.learner_id, "competency_mastered")
    event_id = master_something(learner, live_app, family, before)

    news = guardian.locator(f"#event-{event_id}")
    news.wait_for(timeout=LIVE_WITHIN_MS)
    said = re.match(
        rf"{re.escape(family.learner_first_name)} mastered (.+) today after \d+ practice questions?$",
        news.inner_text(),
    )
    assert said, news.inner_text()
    assert guardian.evaluate("window.tesseraNotReloaded") is True, "the page was reloaded"
    assert horizontal_overflow(guardian) == 0
    report = axe_violations(guardian)
    assert not report, report

    # The news links to the competency on the progress page, which says what is next and why.
    target = news.get_by_role("link").get_attribute("href").split("#", 1)[1]  # type: ignore[union-attr]
    news.get_by_role("link").click()
    guardian.get_by_role("heading", level=1, name=f"Progress of {family.learner_name}").wait_for()
    assert guardian.get_by_text(f"What {family.learner_first_name} works on next, and why").first.is_visible()
    competency = guardian.locator(f"#{target}")
    assert competency.is_visible(), "the competency's folded domain was opened"
    assert "status-mastered" in (competency.get_attribute("class") or "")
    assert said.group(1) == competency.locator(".competency-name").inner_text()
    assert horizontal_overflow(guardian) == 0
    report = axe_violations(guardian)
    assert not report, report

    # The guardian writes to the teacher.
    sign_in(teacher, family.teacher)
    conversation_name = f"{family.teacher_name} about {family.learner_name}"
    writer = guardian.context.new_page()
    writer.goto("/family/messages/")
    assert writer.title().startswith("Messages")
    writer.get_by_role("button", name=f"Write to {conversation_name}").click()
    writer.get_by_label("Your message").fill("Hello, how is the fractions work going?")
    writer.get_by_role("button", name="Send").click()
    assert writer.get_by_text("Not read yet").is_visible()

    # The teacher reads it and replies.
    teacher.goto("/family/messages/")
    teacher.get_by_role("link", name=re.compile(rf"about {re.escape(family.learner_name)}$")).first.click()
    assert teacher.get_by_text("Hello, how is the fractions work going?").is_visible()
    teacher.get_by_label("Your message").fill("Very well: she mastered a new competency today.")
    teacher.get_by_role("button", name="Send").click()
    assert teacher.get_by_text("Very well: she mastered a new competency today.").is_visible()

    # The guardian's open page tells them at once; the conversation shows the reply and the read receipt.
    guardian.go_back()
    guardian.get_by_text("Live: new events appear here as they happen.").wait_for()
    reply_news = guardian.locator(f"#event-{newest_event(live_app, family.learner_id, 'message_received')}")
    reply_news.wait_for(timeout=LIVE_WITHIN_MS)
    assert reply_news.inner_text().startswith(f"New message from {family.teacher_name} about ")
    writer.reload()
    assert writer.get_by_text("Very well: she mastered a new competency today.").is_visible()
    assert writer.get_by_text(re.compile(r"^Read at ")).is_visible()
    assert horizontal_overflow(writer) == 0
    report = axe_violations(writer)
    assert not report, report
