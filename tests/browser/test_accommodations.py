"""Issue 18 on a 360 px phone: a demo learner whose team signed a plan with read-aloud and extended time
starts practice from Today with no teacher action, sees the supports line, and has a working "Read aloud"
button (the browser's speech synthesis, in the page's language) that also reads the next question; a
browser without speech synthesis shows a note instead. Every page passes axe."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests.browser.conftest import PHONE, LiveApp, sign_in
from tests.browser.test_personalization_choice import _check_page, _manage_shell
from tests.browser.test_practice import answer, next_item, start_practice

pytestmark = pytest.mark.browser


def _learner_with_a_plan(live_app: LiveApp) -> str:
    """A demo learner with an assigned specialist and a guardian, not one other browser tests use; their
    team signs a plan with extended time x1.5 and read-aloud (pausable) through the services."""
    learners = [login for login in live_app.logins if login.role == "Learner"]
    taken = {learners[0].username, learners[1].username, learners[-1].username}
    taken |= {login.username for login in learners if login.detail == "grade 6"}
    return _manage_shell(
        live_app,
        f"""
import datetime
from decimal import Decimal
from django.utils import timezone
from tessera.individualization import services
from tessera.individualization.services import AccommodationSpec, MemberSpec, ObjectiveSpec, PlanContent
from tessera.schools import permissions
from tessera.schools.models import Guardianship
taken = {sorted(taken)!r}
today = timezone.localdate()
links = permissions.support_in_force().filter(role="specialist")
for link in links.select_related("school", "staff", "learner").order_by("pk"):
    if link.learner.username in taken:
        continue
    guardian = Guardianship.objects.filter(
        school=link.school, learner=link.learner, revoked_at__isnull=True
    ).first()
    if guardian is not None:
        break
else:
    raise SystemExit("no supported learner with a guardian in the demo school")
plan = services.plan_draft(
    actor=link.staff, school=link.school, learner=link.learner, kind="iep",
    starts_on=today - datetime.timedelta(days=7), ends_on=today + datetime.timedelta(days=180),
    content=PlanContent(
        present_levels="Reads below grade level; strong oral reasoning.",
        members=[MemberSpec(link.staff, "specialist"), MemberSpec(guardian.guardian, "guardian")],
        objectives=[ObjectiveSpec(
            area="reading", description="Reads a word problem aloud with support", baseline=40, target=80,
            target_date=today + datetime.timedelta(days=120), measured_how="Share read correctly",
        )],
        accommodations=[
            AccommodationSpec("extended_time", factor=Decimal("1.5")),
            AccommodationSpec("read_aloud", learner_may_pause=True),
        ],
    ),
)
for person in (link.staff, guardian.guardian):
    services.plan_sign(actor=person, plan=plan)
plan.refresh_from_db()
assert plan.status == "active", plan.status
objective = plan.objectives.get()
for days, value in ((-5, 42), (-1, 47.5)):
    day = today + datetime.timedelta(days=days)
    services.data_point_add(objective=objective, measured_on=day, value=value)
url = "/schools/%d/objectives/%d/progress/" % (link.school_id, objective.pk)
print(link.learner.username, link.staff.username, url)
""",
    ).splitlines()[-1]


# Records what the page asks the browser to say, then lets the browser say it (not a stub: headless
# chromium has no voices, so ``speaking`` may never turn true; the queued utterances are the proof).
SPY = """
(() => {
  const synth = window.speechSynthesis;
  if (!synth) { return; }
  const speak = synth.speak.bind(synth);
  window.__spoken = [];
  synth.speak = (utterance) => {
    window.__spoken.push({text: utterance.text, lang: utterance.lang});
    speak(utterance);
  };
})();
"""


def _until(page: Any, script: str, seconds: float = 10) -> None:
    """Poll ``script`` in the page until it is true (the page's CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"never true: {script}"
        page.wait_for_timeout(100)


def _queued(page: Any) -> int:
    return int(page.locator("#read-aloud").get_attribute("data-queued") or 0)


def test_a_learner_with_a_plan_practises_with_read_aloud(page: Any, chromium: Any, live_app: LiveApp) -> None:
    username, specialist, progress = _learner_with_a_plan(live_app).split()
    page.context.add_init_script(SPY)
    sign_in(page, username)
    item = start_practice(page, live_app)
    supports = page.locator("#supports-line")
    assert re.search(r"Your supports today: .*Extended time \(x1\.5\).*Read-aloud", supports.inner_text())
    assert page.evaluate("typeof window.speechSynthesis") == "object"

    button = page.get_by_role("button", name="Read aloud", exact=True)
    assert button.is_visible()
    _check_page(page)
    button.focus()
    page.keyboard.press("Enter")  # keyboard-operable
    assert _queued(page) == 1 + len(item.choices), "the stem, then each option"
    spoken = page.evaluate("window.__spoken")
    lang = page.evaluate("document.documentElement.lang")
    assert [u["text"] for u in spoken] == [  # the words the server wrote for reading (maths as words)
        item.data["stem_speech"],
        *[f"Option {n}: {choice}" for n, choice in enumerate(item.data["choices_speech"], 1)],
    ]
    assert {u["lang"] for u in spoken} == {lang}
    _check_page(page)

    # The next question comes with the answer's reply, and is read too (the learner asked for reading).
    before = len(spoken)
    answer(page, item, item.right)
    following = next_item(page, live_app)
    _until(page, f"window.__spoken.length > {before}")
    assert len(page.evaluate("window.__spoken")) == before + 1 + len(following.choices)

    # The supports page: read-aloud may be turned off for today, extended time stays on.
    page.get_by_role("link", name="Change my supports for today").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="My supports").is_visible()
    _check_page(page)

    # A voice that speaks until stopped (headless chromium has none): the button turns into "Stop".
    _other_browser(chromium, live_app, username, SLOW_VOICE, _stop_state)
    # A browser without speech synthesis: no button, a note instead.
    _other_browser(chromium, live_app, username, NO_VOICE, _no_speech)

    # Last (the other browsers need read-aloud on): the learner turns read-aloud off for today.
    assert "Your plan keeps this one on." in page.get_by_role("main").inner_text()
    page.get_by_role("button", name=re.compile(r"^Turn off for today")).click()
    page.wait_for_load_state()
    assert "is off for today" in page.get_by_role("main").inner_text()
    assert page.get_by_role("button", name=re.compile(r"^Turn off for today")).count() == 0
    _check_page(page)
    start_practice(page, live_app)
    assert "Read-aloud" not in page.locator("#supports-line").inner_text()
    assert page.get_by_role("button", name="Read aloud").count() == 0

    # The team's specialist reads the objective's progress: the chart, its table, the CSV link.
    _other_browser(chromium, live_app, specialist, "", lambda p: _progress(p, progress))


def _progress(page: Any, url: str) -> None:
    page.goto(url)
    assert page.get_by_role("img", name=re.compile(r"^Progress on")).is_visible()
    table = page.get_by_role("table")
    assert "42" in table.inner_text() and "47.5" in table.inner_text()
    assert page.get_by_role("link", name="Download the data (CSV)").is_visible()
    _check_page(page)


SLOW_VOICE = """
(() => {
  const fake = {speaking: false, pending: false, queue: [],
    speak(u) { this.queue.push(u); this.speaking = true; },
    cancel() {
      const q = this.queue; this.queue = []; this.speaking = false;
      q.forEach((u) => u.onend && u.onend());
    },
    getVoices() { return []; }};
  Object.defineProperty(window, 'speechSynthesis', {value: fake});
})();
"""
NO_VOICE = "Object.defineProperty(window, 'speechSynthesis', {value: undefined});"


def _other_browser(chromium: Any, live_app: LiveApp, username: str, script: str, check: Any) -> None:
    context = chromium.new_context(viewport=PHONE, locale="en-GB", base_url=live_app.url)
    context.set_default_timeout(15_000)
    try:
        if script:
            context.add_init_script(script)
        page = context.new_page()
        sign_in(page, username)
        if script:
            start_practice(page, live_app)
        check(page)
    finally:
        context.close()


def _stop_state(page: Any) -> None:
    page.get_by_role("button", name="Read aloud", exact=True).click()
    stop = page.get_by_role("button", name="Stop", exact=True)
    assert stop.is_visible()
    assert page.evaluate("window.speechSynthesis.speaking")
    _check_page(page)
    stop.click()
    assert page.get_by_role("button", name="Read aloud", exact=True).is_visible()
    assert not page.evaluate("window.speechSynthesis.speaking")


def _no_speech(page: Any) -> None:
    assert page.get_by_text("Read-aloud is not available in this browser.").is_visible()
    assert page.get_by_role("button", name="Read aloud").count() == 0
    _check_page(page)
