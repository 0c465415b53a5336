"""Browser journey (360 px phone) for flexible groups: a teacher makes three groups for a competency, pins
a learner, reads each placement's reason, gives each group a tiered task and roles; after new practice
answers a regrouping is proposed with who moves and why; the teacher accepts part of it; the learner who
moved sees their new group, its task and their role. Every page on the way fits the phone and passes axe."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import LiveApp, sign_in
from tests.browser.test_personalization_choice import _check_page, _manage_shell, _sign_out

pytestmark = pytest.mark.browser
TEACHER = "t.mensah"  # lead teacher of Maths 8A (the demo's groups are in Maths 7A)

# The competency the demo would group Maths 8A for (many learners with evidence, levels far apart).
FIND_CLASS = """
import json
from tessera.demo.differentiation import competency_to_group
from tessera.schools.models import SchoolClass
competency = competency_to_group(SchoolClass.objects.get(name="Maths 8A"))
print(json.dumps({"competency": competency.name, "competency_id": competency.pk}))
"""

# Right answers through the real answer path, on the competency's own items (``item_next`` may step back
# to a prerequisite for a learner far below), for learners given by username.
PRACTISE = """
import uuid
from tessera.curriculum.models import Competency, Item
from tessera.practice import services
from tessera.schools.models import User
competency = Competency.objects.get(pk={competency_id})
items = list(Item.objects.filter(itemcompetency__competency=competency).order_by("pk"))
for username in {usernames!r}:
    learner = User.objects.get(username=username)
    session = services.session_start(learner=learner, competency=competency)
    for n in range(16):
        item = items[n % len(items)]
        spec = item.spec()
        answer = spec.get("answer") if "answer" in spec else spec["accepted"][0]
        services.answer_submit(learner=learner, session=session, item=item, answer=answer,
                               client_id=uuid.uuid4(), fingerprint=str(uuid.uuid4()))
"""

# The learners of the lowest group of the newest grouping, by username.
LOWEST_GROUP = """
import json
from tessera.differentiation.models import Grouping
grouping = Grouping.objects.filter(school_class__name="Maths 8A").latest("created_at")
low = grouping.groups.get(position=0)
placed = low.placements.filter(ended_at__isnull=True, source="data").select_related("learner")
placed = placed.order_by("score")
print(json.dumps({p.learner.name: p.learner.username for p in placed}))
"""


def _open_details(page: Any, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def test_a_teacher_groups_regroups_and_a_learner_sees_the_new_group(page: Any, live_app: LiveApp) -> None:
    found = json.loads(_manage_shell(live_app, FIND_CLASS).strip().splitlines()[-1])
    sign_in(page, TEACHER)
    page.get_by_role("region", name="Classes you teach").get_by_role(
        "link", name="Flexible groups"
    ).first.click()
    page.wait_for_load_state()
    _check_page(page)
    page.get_by_label("Objective").fill("Groups for this week")
    page.get_by_label("Competencies").select_option(value=str(found["competency_id"]))
    page.get_by_label("Number of groups").fill("3")
    page.get_by_role("button", name="Make groups").click()
    page.wait_for_load_state()
    assert "each placement says why" in page.get_by_role("status").inner_text()
    _check_page(page)

    groups = page.get_by_role("region", name="Groups").locator("li.card")
    assert groups.count() == 3
    for n in range(3):
        assert "on average" in groups.nth(n).inner_text(), "every placement says why"
    names = [groups.nth(n).locator("h3").inner_text() for n in range(3)]

    # Pin the first learner of the top group into the middle group.
    pinned = groups.nth(2).locator("ul.members > li strong").first.inner_text()
    place = page.get_by_role("region", name="Move or pin a learner")
    place.get_by_label("Learner").select_option(label=pinned)
    place.get_by_label("Group:", exact=True).select_option(label=names[1])
    place.get_by_label("Pin: keep them in this group when regrouping").check()
    place.get_by_role("button", name="Place").click()
    page.wait_for_load_state()
    middle = page.get_by_role("region", name="Groups").locator("li.card").nth(1)
    assert pinned in middle.inner_text() and "pinned by you" in middle.inner_text()
    assert f"The evidence suggests {names[2]}" in middle.inner_text()

    # A tiered task and a role for every group.
    for name, tier in zip(
        names,
        ("More support: fewer steps and worked examples", "Core", "Extension: a further challenge"),
        strict=True,
    ):
        _open_details(page, f"Give {name} a task")
        card = page.locator("li.card", has=page.locator("h3", has_text=name))
        card.get_by_label("Task").fill(f"Fractions workshop · {name}")
        card.get_by_label("Instructions").fill("Work through the cards together, then check each other.")
        card.get_by_label("Tier").select_option(label=tier)
        card.get_by_role("button", name="Give the task").click()
        page.wait_for_load_state()
        assert f"given to {name}" in page.get_by_role("status").inner_text()
        _open_details(page, f"Roles in {name}")
        card = page.locator("li.card", has=page.locator("h3", has_text=name))
        card.get_by_label("Learner").select_option(index=1)
        card.get_by_label("Role").select_option(label="Facilitator")
        card.get_by_role("button", name="Save role").click()
        page.wait_for_load_state()
        assert "Role saved" in page.get_by_role("status").inner_text()
    _check_page(page)

    # Two learners of the lowest group practise and get everything right.
    lowest = json.loads(_manage_shell(live_app, LOWEST_GROUP).strip().splitlines()[-1])
    movers = list(lowest.values())[:2]
    assert len(movers) == 2, lowest
    _manage_shell(live_app, PRACTISE.format(competency_id=found["competency_id"], usernames=movers))
    page.reload()
    suggestion = page.get_by_role("region", name="Suggested regrouping")
    boxes = suggestion.get_by_role("checkbox")
    assert boxes.count() >= 2, suggestion.inner_text()
    assert "now" in suggestion.inner_text() and "from" in suggestion.inner_text()
    _check_page(page)
    # Accept only the first move.
    moved_label = boxes.first.evaluate("b => b.labels[0].innerText")
    for n in range(1, boxes.count()):
        boxes.nth(n).uncheck()
    suggestion.get_by_role("button", name="Make the ticked moves").click()
    page.wait_for_load_state()
    assert "moves made" in page.get_by_role("status").inner_text()
    moved_name = moved_label.split(":")[0].strip()
    new_group = moved_label.rsplit(" to ", 1)[1].strip()
    # The teacher gives the newcomer a role in their new group.
    _open_details(page, f"Roles in {new_group}")
    card = page.locator("li.card", has=page.locator("h3", has_text=new_group))
    card.get_by_label("Learner").select_option(label=moved_name)
    card.get_by_label("Role").select_option(label="Checker")
    card.get_by_role("button", name="Save role").click()
    page.wait_for_load_state()
    assert page.get_by_role("region", name="Regrouping history").count() == 1
    _sign_out(page)

    # The learner who moved sees their new group, its task and their role.
    sign_in(page, lowest[moved_name])
    page.get_by_role("link", name="My groups").click()
    page.wait_for_load_state()
    _check_page(page)
    body = page.get_by_role("main").inner_text()
    assert new_group in body
    assert f"Fractions workshop · {new_group}" in body
    assert "Your role: Checker" in body
