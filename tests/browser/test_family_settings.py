"""Settings of issue 7 on a 360 px phone: a guardian's notifications (weekly e-mail, quiet hours) and the
school's sharing with families; bad input gets a clear error and changes nothing."""

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


def test_a_guardian_chooses_a_weekly_email_with_quiet_hours(page: Any, live_app: LiveApp) -> None:
    guardian = [login for login in live_app.logins if login.role == "Guardian"][2]
    sign_in(page, guardian.username)
    page.goto("/family/")
    page.get_by_role("link", name="Change").click()
    page.get_by_role("heading", level=1, name="Notifications").wait_for()
    fits_and_passes_axe(page)

    page.get_by_label("In the app and a weekly e-mail summary").check()
    page.get_by_label("Quiet from").fill("21:00")
    page.get_by_label("Quiet until").fill("21:00")
    page.get_by_role("button", name="Save").click()
    assert "quiet" in page.get_by_role("alert").inner_text().lower()
    fits_and_passes_axe(page)

    page.get_by_label("Quiet until").fill("07:00")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your notification settings are saved.").is_visible()
    with database(live_app) as db:
        saved = db.execute(
            "SELECT s.delivery, s.quiet_start, s.quiet_end FROM family_guardiannotificationsettings s"
            " JOIN schools_user u ON u.id = s.guardian_id WHERE u.username = ?",
            (guardian.username,),
        ).fetchone()
    assert saved[0] == "weekly_email" and saved[1].startswith("21:00") and saved[2].startswith("07:00")


def test_an_administrator_sets_what_is_always_shared_with_families(page: Any, live_app: LiveApp) -> None:
    sign_in(page, "admin")
    page.get_by_role("link", name="Riverside Middle School", exact=True).click()
    page.get_by_role("link", name="Sharing with families").click()
    page.get_by_role("heading", level=1, name="Sharing with families").wait_for()
    fits_and_passes_axe(page)

    age = page.get_by_label("Learners choose from the age of")
    age.fill("99")
    page.get_by_role("button", name="Save").click()
    assert age.get_attribute("aria-invalid") == "true" or page.locator(".errorlist").count() >= 1
    assert choosing_age(live_app) in (None, 13), "a refused form changed nothing"
    fits_and_passes_axe(page)

    page.get_by_label("Learners choose from the age of").fill("14")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Sharing with families saved.").is_visible()
    assert choosing_age(live_app) == 14


def choosing_age(live_app: LiveApp) -> int | None:
    """The demo school's choosing age as stored (None: the school never saved its rules)."""
    with database(live_app) as db:
        row = db.execute(
            "SELECT learner_chooses_sharing_from_age FROM personalization_personalizationpolicy"
        ).fetchone()
    return None if row is None else int(row[0])
