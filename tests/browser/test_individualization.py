"""Issue 18's acceptance journey on a 360 px phone, through the pages alone: a specialist records an
evaluation with a PDF report and the team meeting, drafts a plan with extended time x1.5 and read-aloud, the
specialist and the lead teacher sign it and a guardian consents, so it is in effect; the learner then has a
working "Read aloud" button in practice with no teacher action; a para-professional assigned to the learner
logs a session with a measure on the plan's objective, and the objective's chart shows the new point.
Every page on the way fits the phone and passes axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, sign_in
from tests.browser.test_accommodations import SPY, _queued
from tests.browser.test_personalization_choice import _check_page, _manage_shell, _sign_out
from tests.browser.test_practice import start_practice

pytestmark = pytest.mark.browser

OBJECTIVE = "Reads a two-step word problem and says what it asks"
MEASURE = "61.5"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _learner_without_a_plan(live_app: LiveApp) -> dict[str, str]:
    """A demo learner both s.byrne (specialist) and p.novak (para-professional) support, with no plan yet and
    a guardian, not test_practice's, test_personalization_profile's or test_accommodations'; with their lead
    teacher and guardian."""
    learners = [login for login in live_app.logins if login.role == "Learner"]
    grade_6 = [login.username for login in learners if login.detail == "grade 6"]
    # test_practice's and test_personalization_profile's learners (the three the demo supports both ways are
    # the demo plan's, test_accommodations' and one test_personalization_choice asks peer help for)
    taken = {learners[0].username, learners[1].username, learners[-1].username}
    # test_accommodations' learners: it gives a plan to the first specialist-supported learner outside them
    theirs = {learners[0].username, learners[1].username, learners[-1].username, *grade_6}
    line = _manage_shell(
        live_app,
        f"""
from tessera.individualization.models import SupportPlan
from tessera.schools import permissions
from tessera.schools.models import Guardianship, TeachingAssignment
taken, theirs = set({sorted(taken)!r}), set({sorted(theirs)!r})
links = permissions.support_in_force()
for link in links.filter(role="specialist").select_related("learner").order_by("pk"):
    if link.learner.username not in theirs and Guardianship.objects.filter(
        school=link.school, learner=link.learner, revoked_at__isnull=True
    ).exists():
        taken.add(link.learner.username)
        break
para = set(
    links.filter(role="para_professional", staff__username="p.novak").values_list("learner_id", flat=True)
)
found = []
specialist = links.filter(role="specialist", staff__username="s.byrne").select_related("learner")
for link in specialist.order_by("-pk"):
    learner = link.learner
    if learner.pk not in para or learner.username in taken:
        continue
    if SupportPlan.objects.filter(school=link.school, learner=learner).exists():
        continue
    guardian = Guardianship.objects.filter(
        school=link.school, learner=learner, revoked_at__isnull=True
    ).select_related("guardian").order_by("pk").first()
    teacher = TeachingAssignment.objects.filter(
        school=link.school, school_class__enrolments__learner=learner, kind=TeachingAssignment.Kind.LEAD
    ).select_related("teacher").order_by("pk").first()
    if guardian is not None and teacher is not None:
        found.append((link, learner, guardian.guardian, teacher.teacher))
if not found:
    raise SystemExit("no learner supported by s.byrne and p.novak without a plan")
link, learner, guardian, teacher = found[0]
print("|".join([
    str(link.school_id), str(learner.pk), learner.username, learner.name, link.staff.name,
    teacher.username, teacher.name, guardian.username, guardian.name,
]))
""",
    ).splitlines()[-1]
    keys = ("school", "id", "learner", "learner_name", "specialist_name", "teacher", "teacher_name")
    values = line.split("|")
    return {**dict(zip(keys, values[:7], strict=True)), "guardian": values[7], "guardian_name": values[8]}


def _sign(page: Any, username: str, link: str, box: str, button: str, plan_url: str) -> str:
    """``username`` opens the plan page, follows the link to sign, ticks the box and signs; the message."""
    sign_in(page, username)
    page.goto(plan_url)
    page.get_by_role("link", name=link).click()
    page.wait_for_load_state()
    _check_page(page)
    page.get_by_label(box).check()
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(plan_url), page.url
    message = str(page.get_by_role("status").inner_text())
    _check_page(page)
    _sign_out(page)
    return message


def test_a_team_puts_a_plan_in_effect_and_it_works(page: Any, live_app: LiveApp, tmp_path: Any) -> None:
    who = _learner_without_a_plan(live_app)
    base = f"/schools/{who['school']}/learners/{who['id']}/"
    plan_url = f"{base}plan/"

    # 1. The specialist records an evaluation with its PDF report.
    sign_in(page, "s.byrne")
    page.goto(plan_url)
    assert "No plan is in effect today." in page.get_by_role("main").inner_text()
    _check_page(page)
    page.get_by_role("link", name="Record an evaluation").click()
    page.wait_for_load_state()
    _check_page(page)
    page.get_by_label("Kind of evaluation").select_option(label="Psycho-educational")
    page.get_by_label("Date of the evaluation").fill("2026-11-20")
    page.get_by_label("Reading").check()
    page.get_by_label("Attention").check()
    page.get_by_label("Findings").fill("Decodes slowly; understands well when the text is read to her.")
    page.get_by_label("Recommendations").fill("Read items aloud; give more time.")
    report = tmp_path / "evaluation-report.pdf"
    report.write_bytes(PDF)
    page.get_by_label("Report (optional)").set_input_files(str(report))
    page.get_by_role("button", name="Record the evaluation").click()
    page.wait_for_load_state()
    assert page.url.endswith(plan_url), page.url
    assert "The evaluation is recorded." in page.get_by_role("status").inner_text()
    assert page.get_by_role("link", name=re.compile(r"^Download evaluation-report\.pdf")).is_visible()
    _check_page(page)

    # 2. The team meeting.
    page.get_by_role("link", name="Record a team meeting").click()
    page.wait_for_load_state()
    _check_page(page)
    page.get_by_label("Date of the meeting").fill("2026-11-27")
    page.get_by_label("Participants").fill(
        f"{who['specialist_name']} (specialist), {who['teacher_name']} (teacher), "
        f"{who['guardian_name']} (guardian)"
    )
    page.get_by_label("Decisions").fill("An IEP with extended time and read-aloud.")
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_load_state()
    assert "The team meeting is recorded." in page.get_by_role("status").inner_text()
    assert "An IEP with extended time and read-aloud." in page.get_by_role("main").inner_text()

    # 3. The specialist drafts the plan: the team, extended time x1.5, read-aloud, one objective.
    page.get_by_role("link", name="Draft a plan").click()
    page.wait_for_load_state()
    _check_page(page)
    page.get_by_label("Kind of plan").select_option("iep")
    page.get_by_label("Present levels").fill("Reads two years below grade level; strong oral reasoning.")
    members = page.locator("#id_members")
    members.get_by_label(f"{who['specialist_name']} (Specialist)", exact=True).check()
    members.get_by_label(f"{who['teacher_name']} (Teacher)", exact=True).check()
    members.get_by_label(f"{who['guardian_name']} (Guardian)", exact=True).check()
    accommodations = page.locator("#id_accommodations")
    accommodations.get_by_label("Extended time", exact=True).check()
    accommodations.get_by_label("Read-aloud of items and options", exact=True).check()
    page.get_by_label("Extended time factor").select_option("1.5")
    page.get_by_label(re.compile(r"^Objective 1\W*$")).fill(OBJECTIVE)
    page.get_by_label("Area of objective 1").select_option("reading")
    page.get_by_label("Baseline of objective 1").fill("40")
    page.get_by_label("Target of objective 1").fill("80")
    page.get_by_label("Date to reach objective 1 by").fill("2027-05-31")
    page.get_by_label("How objective 1 is measured").fill("Share of problems restated correctly")
    page.get_by_role("button", name="Draft this version").click()
    page.wait_for_load_state()
    assert page.url.endswith(plan_url), page.url
    assert "Version 1 is drafted" in page.get_by_role("status").inner_text()
    assert "No plan is in effect today." in page.get_by_role("main").inner_text()
    _sign_out(page)

    # The team signs: the specialist, the lead teacher; then the guardian consents.
    signed = "Your signature is recorded."
    box = "I have read this version of the plan and I sign it."
    assert signed in _sign(page, "s.byrne", "Sign version 1", box, "Sign", plan_url)
    assert signed in _sign(page, who["teacher"], "Sign version 1", box, "Sign", plan_url)
    consent = "I have read this plan and I consent to it."
    message = _sign(page, who["guardian"], "Read and consent to version 1", consent, "I consent", plan_url)
    assert "everyone has signed, and the plan is in effect from" in message

    sign_in(page, "s.byrne")
    page.goto(plan_url)
    main = page.get_by_role("main").inner_text()
    assert re.search(r"Individualized education program \(IEP\), version 1: .* in effect from", main)
    assert "No plan is in effect today." not in main
    assert "Extended time (\u00d7 1.5)" in main and "Read-aloud of items and options" in main
    _check_page(page)
    _sign_out(page)

    # 4. The learner practises from Today with read-aloud, no teacher action in between.
    page.context.add_init_script(SPY)
    sign_in(page, who["learner"])
    _check_page(page)
    item = start_practice(page, live_app)
    supports = page.locator("#supports-line").inner_text()
    assert re.search(r"Your supports today: .*Extended time \(x1\.5\).*Read-aloud", supports)
    button = page.get_by_role("button", name="Read aloud", exact=True)
    assert button.is_visible()
    _check_page(page)
    button.click()
    assert _queued(page) == 1 + len(item.choices)
    assert [u["text"] for u in page.evaluate("window.__spoken")] == [
        item.data["stem"],
        *[f"Option {n}: {choice}" for n, choice in enumerate(item.choices, 1)],
    ]
    _sign_out(page)

    # 5. The para-professional logs a session with a measure on the objective.
    sign_in(page, "p.novak")
    page.goto(f"{base}support-logs/")
    _check_page(page)
    page.get_by_label("Minutes").fill("30")
    page.get_by_label("Objective worked on").select_option(label=OBJECTIVE)
    page.get_by_label("What was done").fill("Restated five word problems, read aloud.")
    page.get_by_label("Measure (optional)").fill(MEASURE)
    page.get_by_role("button", name="Log the session").click()
    page.wait_for_load_state()
    assert "The session of 30 minutes is logged." in page.get_by_role("status").inner_text()
    _check_page(page)
    _sign_out(page)

    # The objective's chart shows the new point (the specialist, on the team, reads it from the plan).
    sign_in(page, "s.byrne")
    page.goto(plan_url)
    page.get_by_role("link", name=f"Progress chart: {OBJECTIVE}").click()
    page.wait_for_load_state()
    assert page.get_by_role("img", name=re.compile(r"^Progress on")).is_visible()
    assert MEASURE in page.get_by_role("table").inner_text()
    _check_page(page)
