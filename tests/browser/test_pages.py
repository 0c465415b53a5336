"""What people see in a real browser on a 360 px phone: sign-in, each role's home page, keyboard use,
no sideways scrolling, and no axe-core WCAG 2.1 A/AA violations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, axe_violations, horizontal_overflow, sign_in

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class RoleCase:
    role: str  # as load_demo_school prints it
    username: str | None  # a particular demo login, or None for the first one printed with this role
    section: str  # the heading of the home page section this role must see

    @property
    def id(self) -> str:
        return self.role.lower().replace(" ", "-")


ROLES = [
    RoleCase("School administrator", "admin", "Schools you administer"),
    RoleCase("Teacher", "t.garcia", "Classes you teach"),
    RoleCase("Learner", None, "Your classes"),
    RoleCase("Guardian", None, "Your children"),
    RoleCase("Specialist", "s.byrne", "Learners you support"),
    RoleCase("Para-professional", "p.novak", "Learners you support"),
    RoleCase("Mentor", "m.costa", "Learners you support"),
]
ROLE_IDS = [case.id for case in ROLES]


def _signed_in(page: Any, live_app: LiveApp, case: RoleCase) -> None:
    login = live_app.login(case.role, case.username)
    sign_in(page, login.username)
    assert page.url == f"{live_app.url}/", f"{login.username} was not taken home: {page.url}"


@pytest.mark.parametrize("case", ROLES, ids=ROLE_IDS)
def test_each_role_sees_their_own_home_page(page: Any, live_app: LiveApp, case: RoleCase) -> None:
    _signed_in(page, live_app, case)
    main = page.get_by_role("main")

    assert re.match(r"Hello, \S", main.get_by_role("heading", level=1).inner_text())
    section = main.get_by_role("region", name=case.section)
    assert section.is_visible(), f"{case.role} does not see “{case.section}”"
    cards = section.locator(".card")
    assert cards.count() >= 1, f"{case.role}'s “{case.section}” is empty"
    text = section.inner_text()

    if case.role == "School administrator":
        assert "Riverside Middle School" in text
    elif case.role == "Teacher":
        assert "Maths 6A" in text
        assert "20 learners" in text
        assert main.get_by_role("region", name="Your children").count() == 0
    elif case.role == "Learner":
        assert re.search(r"Maths [678]A", text)
        assert main.get_by_role("region", name="Classes you teach").count() == 0
    elif case.role == "Guardian":
        child = live_app.login("Guardian").detail.removeprefix("of ")
        assert child in text, f"the guardian does not see their child {child}"
        assert "Riverside Middle School" in text
    # Specialists, para-professionals and mentors see only the learners assigned to them.
    if case.role == "Mentor":
        assert cards.count() == 1
    # Nobody but an administrator sees the schools they administer.
    if case.role != "School administrator":
        assert main.get_by_role("region", name="Schools you administer").count() == 0


@pytest.mark.parametrize("case", ROLES, ids=ROLE_IDS)
def test_each_home_page_fits_a_phone_and_passes_axe(page: Any, live_app: LiveApp, case: RoleCase) -> None:
    _signed_in(page, live_app, case)
    assert horizontal_overflow(page) == 0, "the page scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, report


def test_sign_in_page_fits_a_phone_and_passes_axe(page: Any) -> None:
    page.goto("/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Tessera"
    assert horizontal_overflow(page) == 0
    report = axe_violations(page)
    assert not report, report


def test_a_wrong_password_gets_a_clear_error(page: Any, live_app: LiveApp) -> None:
    sign_in(page, "t.garcia", "not-the-password")

    assert page.url.startswith(f"{live_app.url}/accounts/login/")
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert "correct username and password" in alert.inner_text()
    assert page.get_by_label("Username").input_value() == "t.garcia"  # kept, so only the password is retyped
    report = axe_violations(page)
    assert not report, report


def test_the_home_page_needs_a_sign_in(page: Any, live_app: LiveApp) -> None:
    page.goto("/")
    assert page.url.startswith(f"{live_app.url}/accounts/login/?next=/")


@pytest.mark.parametrize("where", ["sign-in", "home"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Any, live_app: LiveApp, where: str
) -> None:
    if where == "home":
        _signed_in(page, live_app, ROLES[1])
    else:
        page.goto("/accounts/login/")

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"text": "Skip to content", "href": "#main"}
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, (
        "focused skip link is off screen"
    )

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues from the start of the content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_a_teacher_opens_a_class_roster_that_fits_a_phone(page: Any, live_app: LiveApp) -> None:
    _signed_in(page, live_app, ROLES[1])
    page.get_by_role("link", name="Maths 6A").click()
    page.wait_for_load_state()

    assert "Maths 6A" in page.get_by_role("heading", level=1).inner_text()
    assert horizontal_overflow(page) == 0, "the class page scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, report


def test_a_teacher_opens_the_maths_framework_that_fits_a_phone(page: Any, live_app: LiveApp) -> None:
    _signed_in(page, live_app, ROLES[1])
    page.get_by_role("link", name="Frameworks of Riverside Middle School").click()
    page.get_by_role("link", name="Mathematics, grades 6–8").click()  # noqa: RUF001 - the real en dash
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=2, name="Fractions & decimals").is_visible()
    assert horizontal_overflow(page) == 0, "the framework page scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, report


def test_an_administrator_sees_every_import_error_on_a_phone(page: Any, live_app: LiveApp) -> None:
    _signed_in(page, live_app, ROLES[0])
    page.get_by_role("link", name="Frameworks of Riverside Middle School").click()
    page.get_by_role("link", name="Import a framework").click()
    page.get_by_label("Framework file (JSON)").set_input_files(
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": b'{"format": "other"}'}]
    )
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()

    alerts = page.get_by_role("alert")
    assert "nothing was imported" in " ".join(alerts.all_inner_texts())
    assert "$.format" in page.content()
    assert horizontal_overflow(page) == 0, "the import page scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, report


def test_signing_out_ends_the_session(page: Any, live_app: LiveApp) -> None:
    _signed_in(page, live_app, ROLES[1])
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    page.wait_for_load_state()

    assert page.url.startswith(f"{live_app.url}/accounts/login/")
    page.goto("/")
    assert page.url.startswith(f"{live_app.url}/accounts/login/")


def test_axe_is_wired_up_and_reports_a_real_violation(page: Any) -> None:
    """Guards the checks above against passing because axe silently did not run."""
    page.goto("/accounts/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert "image-alt" in axe_violations(page)


# Pages one click from home, reached the way people reach them.
FOLLOW_UPS = [
    ("teacher-password-change", ROLES[1], "Password", "Change your password"),
    ("guardian-child", ROLES[3], None, None),  # the first child's card
    ("administrator-roster", ROLES[0], "Riverside Middle School", "Roster of Riverside Middle School"),
    (
        "teacher-curriculum",
        ROLES[1],
        "Frameworks of Riverside Middle School",
        "Curriculum of Riverside Middle School",
    ),
]


@pytest.mark.parametrize(
    ("case", "link", "heading"), [f[1:] for f in FOLLOW_UPS], ids=[f[0] for f in FOLLOW_UPS]
)
def test_pages_one_click_from_home_fit_a_phone_and_pass_axe(
    page: Any, live_app: LiveApp, case: RoleCase, link: str | None, heading: str | None
) -> None:
    _signed_in(page, live_app, case)
    if link is None:
        child = live_app.login(case.role, case.username).detail.removeprefix("of ")
        link = heading = child
    page.get_by_role("link", name=link, exact=True).first.click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert horizontal_overflow(page) == 0, "the page scrolls sideways at 360 px"
    report = axe_violations(page)
    assert not report, report
