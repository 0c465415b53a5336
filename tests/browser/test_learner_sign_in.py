"""A teacher gives a learner a password and prints the class's sign-in cards, on a 360 px phone, with the
keyboard and labelled fields, and every page passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveApp, axe_violations, horizontal_overflow, sign_in
from tests.browser.test_practice import database

pytestmark = pytest.mark.browser


def fits_and_passes_axe(page: Any) -> None:
    assert horizontal_overflow(page) == 0, f"{page.url} scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, report


def audit_count(live_app: LiveApp) -> int:
    with database(live_app) as db:
        return int(db.execute("SELECT COUNT(*) FROM schools_auditentry").fetchone()[0])


def test_a_teacher_sets_a_password_and_prints_sign_in_cards(page: Any, live_app: LiveApp) -> None:
    sign_in(page, "t.garcia")
    page.get_by_role("link", name="Maths 6A").first.click()
    page.get_by_role("link", name="Learners' sign-in: set passwords, print sign-in cards").click()
    page.get_by_role("heading", level=1, name="Sign-in for Maths 6A").wait_for()
    fits_and_passes_axe(page)

    reset = page.get_by_role("link", name="Reset").first
    learner = reset.inner_text().removeprefix("Reset ").removesuffix("'s password")
    reset.click()
    page.get_by_role("heading", level=1, name=f"Reset {learner}'s password").wait_for()
    fits_and_passes_axe(page)

    before = audit_count(live_app)
    page.get_by_label("New password:", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_label("New password again").press("Enter")  # the keyboard submits the form
    assert "too short" in page.locator(".errorlist").first.inner_text()
    assert audit_count(live_app) == before, "a refused password changed nothing"
    fits_and_passes_axe(page)

    page.get_by_label("New password:", exact=True).fill("purple kite 2031")
    page.get_by_label("New password again").fill("purple kite 2031")
    page.get_by_role("button", name="Save password").click()
    assert page.get_by_role("status").get_by_text(f"{learner}'s password is set.").is_visible()
    assert audit_count(live_app) == before + 1

    page.get_by_role("button", name="Make the sign-in cards").click()
    page.get_by_role("heading", level=1, name="Sign-in cards for Maths 6A").wait_for()
    fits_and_passes_axe(page)
    cards = page.locator(".sign-in-card")
    assert cards.count() == 20
    # Every demo learner already has a password: no card replaces it unless the teacher asked.
    assert page.get_by_text("the password you already have").count() == 20
    assert "0 learners got new passwords" in page.get_by_role("status").inner_text()

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("heading", level=1).is_visible()
    assert cards.first.is_visible()


def test_an_administrator_moves_a_terms_last_day_and_a_wrong_day_changes_nothing(
    page: Any, live_app: LiveApp
) -> None:
    sign_in(page, "admin")
    page.get_by_role("link", name="Riverside Middle School", exact=True).click()
    page.get_by_role("link", name="Terms").first.click()
    page.get_by_role("link", name="Change when").first.click()
    page.get_by_role("heading", level=1, name="When").wait_for()
    fits_and_passes_axe(page)

    with database(live_app) as db:
        before = db.execute("SELECT starts_on, ends_on FROM schools_academicterm").fetchall()
    starts_on = before[0][0]
    page.get_by_label("Last day").fill(starts_on)
    page.get_by_role("button", name="Save the last day").click()
    assert "A term must end after it starts." in page.get_by_role("alert").inner_text()
    with database(live_app) as db:
        assert db.execute("SELECT starts_on, ends_on FROM schools_academicterm").fetchall() == before
    fits_and_passes_axe(page)
