"""Issue 26 in practice on a 360 px phone: a learner practises teacher-written items with maths (a fraction
written in LaTeX shows as MathML in the page, in the stem, the hint and the feedback) and a
multiple-selection item (checkboxes in a group), the answers are stored with the time spent on each, the
history shows the maths, and a teacher reads the item's statistics. Every page passes axe."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, sign_in
from tests.browser.test_personalization_choice import _check_page, _manage_shell
from tests.browser.test_practice import database, learner

pytestmark = pytest.mark.browser

# A framework of the learner's school written for this test (a new framework practises with the default
# learner model until its fit runs, so no fit is needed): a fraction item, then a multiple selection.
SETUP = r"""
from tessera.curriculum.models import Competency, Domain, Framework, Item, ItemCompetency
from tessera.practice import services
from tessera.schools.models import Membership, User
learner = User.objects.get(username=USERNAME)
school = Membership.objects.filter(user=learner, role="learner").order_by("pk").first().school
framework = Framework.objects.create(school=school, code="maths-written", name="Written with maths")
domain = Domain.objects.create(school=school, framework=framework, code="fractions", name="Fractions")
competency = Competency.objects.create(
    school=school, framework=framework, domain=domain, code="of-amounts", name="Fractions of amounts"
)
fraction = Item.objects.create(
    school=school, framework=framework, code="three-quarters", kind="numeric",
    stem=r"What is \(\frac{3}{4}\) of 8?", numeric_answer=6, difficulty=-2,
    hints=[r"First find \(\frac{1}{4}\) of 8."], feedback=r"\(\frac{3}{4} \times 8 = 6\)",
)
selection = Item.objects.create(
    school=school, framework=framework, code="halves", kind="multiple_selection",
    stem=r"Which are equal to \(\frac{1}{2}\)?", choices=[r"\(\frac{2}{4}\)", "0.5", r"\(\frac{1}{3}\)"],
    correct_choices=[0, 1], difficulty=2,
)
for item in (fraction, selection):
    ItemCompetency.objects.create(school=school, item=item, competency=competency, primary=True)
session = services.session_start(learner=learner, competency=competency)
teacher = Membership.objects.filter(school=school, role="teacher").order_by("pk").first().user
print(json.dumps({"session": session.pk, "school": school.pk, "fraction": fraction.pk,
                  "selection": selection.pk, "teacher": teacher.username}))
"""


def _until(page: Any, script: str, seconds: float = 15) -> None:
    """Poll ``script`` until true (the page's CSP forbids wait_for_function's eval)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def _shown(page: Any, item_id: int) -> None:
    _until(page, f"document.getElementById('item').dataset.itemId === '{item_id}'")
    page.get_by_role("heading", name="Question").wait_for()


def test_a_learner_practises_maths_and_a_multiple_selection_on_a_phone(page: Any, live_app: LiveApp) -> None:
    username = learner(live_app, 3)
    made = json.loads(
        _manage_shell(live_app, f"import json\nUSERNAME = {username!r}\n{SETUP}").splitlines()[-1]
    )
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    sign_in(page, username)
    page.goto(f"/learn/practice/{made['session']}/")

    # The fraction: MathML in the stem, in the hint when asked, and in the feedback.
    _shown(page, made["fraction"])
    stem = page.locator("#item-stem")
    assert stem.locator("math mfrac").count() == 1, stem.inner_html()
    assert page.locator("#item-stem math").first.is_visible()
    assert page.evaluate("document.querySelector('#item-stem math').getBoundingClientRect().height") > 0
    page.get_by_role("button", name=re.compile(r"^Show a hint")).click()
    assert page.locator("#hints li math").count() == 1
    _check_page(page)
    page.get_by_label(re.compile(r"^Your answer")).fill("6")
    page.get_by_role("button", name="Check my answer").click()
    page.locator("#feedback").get_by_role("heading", name="Right!").wait_for()
    assert page.locator("#feedback-text math").count() == 1
    _check_page(page)

    # The multiple selection: checkboxes in a group whose name says to choose every right answer.
    page.get_by_role("button", name="Next question").click()
    _shown(page, made["selection"])
    group = page.get_by_role("group", name="Choose every right answer: one or more.")
    boxes = group.get_by_role("checkbox")
    assert boxes.count() == 3
    assert group.locator("label math").count() == 2
    _check_page(page)
    page.get_by_role("button", name="Check my answer").click()
    assert "Choose at least one of the options first." in page.locator("#answer-problem").inner_text()
    boxes.nth(1).check()
    boxes.nth(0).check()
    page.get_by_role("button", name="Check my answer").click()
    page.locator("#feedback").get_by_role("heading", name="Right!").wait_for()

    with database(live_app) as db:
        stored = db.execute(
            "SELECT item_id, given, correct, seconds FROM practice_answer WHERE session_id = ? ORDER BY id",
            (made["session"],),
        ).fetchall()
    assert [(item, json.loads(given), correct) for item, given, correct, _ in stored] == [
        (made["fraction"], "6", 1),
        (made["selection"], [0, 1], 1),  # the options checked, in their order on the page
    ]
    assert all(seconds is not None and 0 <= seconds <= 3600 for *_, seconds in stored), stored

    # The history shows the maths of the version answered.
    page.goto("/learn/history/")
    assert page.locator(".history-stem math").count() >= 2
    _check_page(page)
    assert not console_errors, console_errors

    # A teacher of the school reads the item's statistics.
    page.context.clear_cookies()
    sign_in(page, made["teacher"])
    page.goto(f"/school/{made['school']}/items/{made['fraction']}/statistics/")
    assert page.get_by_role("heading", level=1, name="Statistics of three-quarters").is_visible()
    assert page.locator("main math").count() >= 1
    assert "100%" in page.get_by_role("main").inner_text()
    _check_page(page)
