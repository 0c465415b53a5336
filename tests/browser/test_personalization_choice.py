"""Browser journeys (360 px phone) for voice and choice and the learning network: a learner picks from a
choice board; a teacher accepts a learner's proposal; a learner asks a peer for help and the peer answers.
Every page on the way fits the phone and passes axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from tests.browser.conftest import PHONE, PROJECT_DIR, LiveApp, axe_violations, horizontal_overflow, sign_in

pytestmark = pytest.mark.browser
TEACHER = "t.garcia"  # lead teacher of Maths 6A


def _grade_6_learners(live_app: LiveApp) -> list[str]:
    return [
        login.username for login in live_app.logins if login.role == "Learner" and login.detail == "grade 6"
    ]


def _manage_shell(live_app: LiveApp, code: str) -> str:
    """Run Python in the live app's database (the same settings the live_app fixture uses)."""
    var_dir = live_app.log.parent
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tessera.config.settings.local",
        DEBUG="false",
        TESSERA_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'browser.sqlite3'}",
    )
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _check_page(page: Any) -> None:
    assert horizontal_overflow(page) == 0, f"{page.url} scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, report


def _new_page(chromium: Any, live_app: LiveApp) -> Any:
    context = chromium.new_context(viewport=PHONE, locale="en-GB", base_url=live_app.url)
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_learner_picks_from_a_choice_board(page: Any, live_app: LiveApp) -> None:
    learner = _grade_6_learners(live_app)[0]
    # The teacher offers the board, from home.
    sign_in(page, TEACHER)
    page.get_by_role("region", name="Classes you teach").get_by_role(
        "link", name="Choice boards"
    ).first.click()
    _check_page(page)
    page.get_by_label("Objective").fill("Compare fractions")
    page.get_by_role("button", name="Create board").click()
    page.wait_for_load_state()
    for purpose, title in (
        ("A way to learn", "Fraction strips"),
        ("A way to learn", "Watch a video"),
        ("A way to show what I learned", "Make a poster"),
    ):
        page.get_by_label("Kind of option").select_option(label=purpose)
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Add option").click()
        page.wait_for_load_state()
    assert "Option “Make a poster” added." in page.get_by_role("status").inner_text()
    _check_page(page)
    _sign_out(page)

    # The learner picks.
    sign_in(page, learner)
    page.get_by_role("region", name="Your classes").get_by_role("link", name="Choice boards").first.click()
    page.get_by_role("link", name="Compare fractions").first.click()
    _check_page(page)
    page.get_by_label("Watch a video").check()
    page.get_by_label("Make a poster").check()
    page.get_by_role("button", name="Save my choice").click()
    page.wait_for_load_state()
    assert "Your choice is saved" in page.get_by_role("status").inner_text()
    assert "You learn by: Watch a video" in page.get_by_role("main").inner_text()
    _check_page(page)
    _sign_out(page)

    # The teacher sees the pick.
    sign_in(page, TEACHER)
    page.get_by_role("region", name="Classes you teach").get_by_role(
        "link", name="Choice boards"
    ).first.click()
    page.get_by_role("link", name="Compare fractions").first.click()
    table = page.get_by_role("table")
    assert "Watch a video" in table.inner_text() and "Make a poster" in table.inner_text()


def test_a_teacher_accepts_a_learners_proposal(page: Any, live_app: LiveApp) -> None:
    learner = _grade_6_learners(live_app)[1]
    sign_in(page, learner)
    page.get_by_role("region", name="Your classes").get_by_role("link", name="Proposals").first.click()
    _check_page(page)
    page.get_by_label("Your objective or activity").fill("Ratios in my football team's stats")
    page.get_by_label("What you will do and why").fill("Work out goals per match <for everyone>.")
    page.get_by_role("button", name="Send proposal").click()
    page.wait_for_load_state()
    assert "Waiting for the teacher" in page.get_by_role("main").inner_text()
    _sign_out(page)

    sign_in(page, TEACHER)
    page.get_by_role("region", name="Classes you teach").get_by_role("link", name="Proposals").first.click()
    card = page.locator(".card", has_text="Ratios in my football team's stats")
    assert "<for everyone>" in card.inner_text()  # shown as text, escaped
    _check_page(page)
    card.get_by_label("Decline (say why)").check()
    card.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    assert "Write the reason for declining" in page.get_by_role("alert").first.inner_text()
    card = page.locator(".card", has_text="Ratios in my football team's stats")
    card.get_by_label("Accept", exact=True).check()
    card.get_by_label("Comment for the learner").fill("Great idea: share it with the class.")
    card.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state()
    assert "Decision saved" in page.get_by_role("status").inner_text()
    _sign_out(page)

    sign_in(page, learner)
    page.get_by_role("region", name="Your classes").get_by_role("link", name="Proposals").first.click()
    text = page.get_by_role("main").inner_text()
    assert "Accepted" in text and "Great idea: share it with the class." in text


def test_a_learner_asks_a_peer_for_help_and_the_peer_answers(
    page: Any, chromium: Any, live_app: LiveApp
) -> None:
    asker, helper = _grade_6_learners(live_app)[2:4]
    competency = _manage_shell(
        live_app,
        f"""
from django.db.models import Q
from django.utils import timezone
from tessera.curriculum.models import Competency
from tessera.personalization.profile.models import LearnerProfile
from tessera.practice.models import LearnerCompetencyState
from tessera.schools.models import Membership, User
asker, helper = User.objects.get(username={asker!r}), User.objects.get(username={helper!r})
school = Membership.objects.get(user=asker, role="learner").school
c = Competency.objects.filter(Q(school=school) | Q(school__isnull=True)).order_by("pk").first()
LearnerCompetencyState.objects.filter(school=school, learner__in=[asker, helper], competency=c).delete()
LearnerCompetencyState.objects.create(
    school=school, learner=asker, competency=c, attempts=4, mastery_level=0.3
)
LearnerCompetencyState.objects.create(
    school=school, learner=helper, competency=c, attempts=9, mastery_level=0.95, mastered_at=timezone.now()
)
LearnerProfile.objects.update_or_create(school=school, learner=asker, defaults={{"interests": ["football"]}})
LearnerProfile.objects.update_or_create(
    school=school, learner=helper, defaults={{"interests": ["football", "drawing"], "open_to_help": True}}
)
print(c.name)
""",
    ).splitlines()[-1]

    sign_in(page, asker)
    page.get_by_role("link", name="Peer help").click()
    page.wait_for_load_state()
    card = page.locator(".card", has_text=competency)
    assert f"mastered {competency} and also likes football." in card.inner_text()
    _check_page(page)
    card.get_by_label("Your question").fill("I do not get it: can you show me with an example?")
    card.get_by_role("button", name="Ask").click()
    page.wait_for_load_state()
    assert "Teachers of either learner can read this conversation" in page.get_by_role("main").inner_text()
    _check_page(page)
    conversation = page.url

    # The peer, in a second browser, accepts and answers.
    peer = _new_page(chromium, live_app)
    try:
        sign_in(peer, helper)
        peer.get_by_role("link", name="Peer help").click()
        peer.get_by_role("link", name=f"asks you about {competency}").click()
        peer.get_by_role("button", name="Accept and help").click()
        peer.wait_for_load_state()
        peer.get_by_role("textbox", name="Message").fill(
            "Sure! Think of a football pitch cut into equal parts."
        )
        peer.get_by_role("button", name="Send", exact=True).click()
        peer.wait_for_load_state()
        assert "Message sent." in peer.get_by_role("status").inner_text()
        _check_page(peer)
    finally:
        peer.context.close()

    page.goto(conversation)
    messages = page.get_by_role("region", name="Messages").inner_text()
    assert "Think of a football pitch cut into equal parts." in messages
    page.get_by_role("textbox", name="Message").fill("Thank you, that helps!")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()
    assert "Thank you, that helps!" in page.get_by_role("region", name="Messages").inner_text()
    _check_page(page)


def test_the_network_and_progression_pages_fit_a_phone(page: Any, live_app: LiveApp) -> None:
    sign_in(page, TEACHER)
    page.get_by_role("region", name="Classes you teach").get_by_role("link", name="Progression").first.click()
    page.get_by_label("How the class moves on").select_option("personalization")
    page.get_by_label("Framework").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Who is where").is_visible()
    _check_page(page)
    page.goto("/")
    page.get_by_role("link", name="Learning network").click()
    _check_page(page)
    _sign_out(page)

    sign_in(page, _grade_6_learners(live_app)[0])
    page.get_by_role("region", name="Your classes").get_by_role("link", name="Progression").first.click()
    assert "You move on when you master" in page.get_by_role("main").inner_text()
    _check_page(page)
    page.goto("/me/network/")
    _check_page(page)
