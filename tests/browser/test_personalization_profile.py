"""A learner's own journey on a 360 px phone: fill in the profile, set a goal linked to a competency,
practise on the practice page (started from the goal), see the goal's progress move, reflect. Every page on
the way fits the phone and passes axe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, axe_violations, horizontal_overflow, sign_in
from tests.browser.test_practice import go_on

pytestmark = pytest.mark.browser

ANSWERS = 4


def _is_next(response: Any) -> bool:
    return response.request.method == "GET" and response.url.endswith("/next")


def _answer_shown_item(page: Any) -> None:
    """Answer the question on the practice page: the sum when it is one, else anything (right or wrong
    does not matter here: every answer is evidence)."""
    stem = page.locator(".stem").inner_text()
    radios = page.get_by_role("radio")
    if radios.count():
        radios.first.check()
    else:
        numbers = re.match(r"\s*(\d+) \+ (\d+) = \?", stem)
        page.get_by_label(re.compile(r"^Your answer")).fill(
            str(sum(map(int, numbers.groups()))) if numbers else "1"
        )
    page.get_by_role("button", name="Check my answer").click()
    page.locator("#feedback").get_by_role("heading").wait_for()


def _fits_and_passes_axe(page: Any) -> None:
    assert horizontal_overflow(page) == 0, f"{page.url} scrolls sideways"
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n{violations}"


def test_learner_fills_profile_sets_a_goal_practises_and_reflects(page: Any, live_app: LiveApp) -> None:
    # The last demo learner: the practice journeys use the first ones.
    sign_in(page, [login.username for login in live_app.logins if login.role == "Learner"][-1])
    main = page.get_by_role("main")

    # The profile, from the home page.
    page.get_by_role("link", name="My profile").first.click()
    main.get_by_label("My strengths").fill("Spotting patterns <quickly>")
    main.get_by_label("My interests").fill("football, space")
    main.get_by_label("Watching videos").check()
    main.get_by_role("button", name="Save my profile").click()
    assert "Profile saved." in main.inner_text()
    assert main.get_by_label("My strengths").input_value() == "Spotting patterns <quickly>"
    _fits_and_passes_axe(page)
    main.get_by_role("link", name="See what changed when (history)").click()
    assert "Spotting patterns <quickly>" in main.inner_text()
    _fits_and_passes_axe(page)

    # A goal linked to a competency.
    page.get_by_role("navigation", name="My learning").get_by_role("link", name="My goals").click()
    _fits_and_passes_axe(page)
    main.get_by_label("My goal").fill("Add big numbers in my head")
    main.get_by_label("Why it matters to me").fill("Keeping score at football")
    competencies = main.get_by_label("Linked competencies")
    competencies.select_option(label="Addition Whole Numbers")
    competency_id = int(competencies.input_value())
    main.get_by_role("button", name="Set this goal").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add big numbers in my head"
    assert "Mastered: 0 of 1 competencies" in main.inner_text()
    assert "0 practice answers since you set this goal" in main.inner_text()
    _fits_and_passes_axe(page)

    # Practise on the practice page, from the goal, then see the progress move.
    goal_url = page.url
    on_goal = 0
    with page.expect_response(_is_next, timeout=60_000) as first:
        main.get_by_role("button", name="Practise Addition Whole Numbers").click()
    page.get_by_role("heading", name="Question").wait_for()
    shown = [first.value.json()]
    for index in range(ANSWERS):
        on_goal += shown[-1]["competency_id"] == competency_id
        _answer_shown_item(page)
        if index < ANSWERS - 1:
            shown.append({"competency_id": int(go_on(page)["competencyId"])})
    assert on_goal >= 1
    page.goto(goal_url)
    text = main.inner_text()
    assert f"{on_goal} practice answer{'s' if on_goal > 1 else ''} since you set this goal" in text
    assert re.search(r"Estimated mastery on average: \d+%", text)

    # A step done is a milestone: reflect on it.
    main.get_by_label("New step").fill("Practise four sums")
    main.get_by_role("button", name="Add step").click()
    main.get_by_role("button", name=re.compile("Practise four sums")).click()
    assert "You finished the step “Practise four sums”." in main.inner_text()
    main.get_by_label("Prompt").select_option(label="What helped you most?")
    main.get_by_label("My reflection").fill("Adding the hundreds first.")
    main.get_by_role("button", name="Save my reflection").click()
    reflections = main.get_by_role("region", name="Reflections")
    assert "Adding the hundreds first." in reflections.inner_text()
    _fits_and_passes_axe(page)

    # The library suggests resources, each with its reason; the confidence page compares.
    page.get_by_role("navigation", name="My learning").get_by_role("link", name="My library").click()
    suggested = main.get_by_role("region", name="Suggested for you")
    cards = suggested.locator(".card")
    assert cards.count() >= 1
    for index in range(cards.count()):
        assert re.search(r"Why: You (are ready|have started)", cards.nth(index).inner_text())
    _fits_and_passes_axe(page)
    page.get_by_role("navigation", name="My learning").get_by_role("link", name="How sure I feel").click()
    main.get_by_label("Competency").select_option(label="Addition Whole Numbers")
    main.get_by_label("A little unsure").check()
    main.get_by_role("button", name="Save").click()
    assert "You feel unsure about Addition Whole Numbers" in main.inner_text()
    _fits_and_passes_axe(page)
