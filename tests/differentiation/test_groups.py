"""Flexible groups as a teacher and a learner meet them: groups from mastery with a reason for every
placement, a visible list of learners without enough evidence, the teacher's pins and moves kept and
marked, a regrouping proposed once the evidence has moved (accepted in part), and the learner's view."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tessera.differentiation import selectors, services
from tessera.differentiation.models import Placement, Regrouping
from tests.differentiation import world as dw

pytestmark = pytest.mark.django_db


def _groups_by_name(grouping: Any) -> dict[str, set[str]]:
    view = selectors.grouping_view(grouping)
    return {g.group.name: {p.name for p in g.placements} for g in view.groups}


def test_three_groups_from_mastery_each_placement_explained(world: Any) -> None:
    grouping = dw.grouping(world)
    view = selectors.grouping_view(grouping)
    members = [sorted(p.name.split()[0] for p in g.placements) for g in view.groups]
    assert members == [["Ana", "Ben", "Cleo"], ["Dev", "Eli", "Fay"], ["Gus", "Hana", "Ivo"]]
    for group in view.groups:
        for placed in group.placements:
            assert placed.reasons, f"{placed.name} has no reason"
            assert any("%" in reason for reason in placed.reasons), placed.reasons
    # Not placed by a guess: Jo answered once, the world's learner never.
    assert {n.name for n in view.not_placed} == {"Jo A", world.a.learner.name}
    assert all("needed" in n.reason for n in view.not_placed)


def test_group_names_do_not_rank_the_groups(world: Any) -> None:
    names = [g.name for g in dw.grouping(world).groups.all()]
    assert len(set(names)) == 3
    ranking = re.compile(r"\b(low|lower|high|higher|top|bottom|best|weak|strong|advanced|\d+)\b", re.I)
    assert not any(ranking.search(name) for name in names), names


def test_a_pinned_learner_stays_and_is_marked_beside_the_evidence(world: Any) -> None:
    grouping = dw.grouping(world)
    low, _, high = grouping.groups.order_by("position")
    gus = dw.class_learner(world, "gus")
    services.placement_set(actor=world.a.teacher, grouping=grouping, learner=gus, group=low, pin=True)
    view = selectors.grouping_view(grouping)
    placed = next(p for g in view.groups for p in g.placements if p.placement.learner_id == gus.pk)
    assert placed.placement.group_id == low.pk and placed.by_teacher
    assert placed.suggested == high, "the group the evidence suggests stays beside the teacher's choice"
    # Everyone else's level drops: the pinned learner is never proposed to move.
    for name in ("ana", "ben", "cleo", "dev", "eli", "fay", "hana", "ivo"):
        dw.set_level(world, dw.class_learner(world, name), 0.05, 12)
    suggestion = services.regrouping_suggestion(grouping)
    assert gus.pk not in {int(m.learner) for m in suggestion.moves}


def test_a_regrouping_is_proposed_after_the_evidence_moves_and_can_be_accepted_in_part(world: Any) -> None:
    grouping = dw.grouping(world)
    assert services.regrouping_suggestion(grouping).moves == ()  # nothing moved: nothing proposed
    ana, ben = dw.class_learner(world, "ana"), dw.class_learner(world, "ben")
    dw.set_level(world, ana, 0.93, 14)  # Ana practised and now masters it
    dw.set_level(world, ben, 0.91, 14)
    view = selectors.grouping_view(grouping)
    moving = {m.name: m for m in view.moves}
    assert {"Ana A", "Ben A"} <= set(moving)
    assert moving["Ana A"].percent_then == 10 and moving["Ana A"].percent_now == 93
    assert moving["Ana A"].reasons
    decided = services.regrouping_decide(actor=world.a.teacher, grouping=grouping, accepted=[ana.pk])
    assert decided.decision == Regrouping.Decision.PARTLY
    groups = _groups_by_name(grouping)
    high = grouping.groups.get(position=2).name
    assert "Ana A" in groups[high] and "Ben A" not in groups[high]
    # History: Ana's old placement is kept, ended.
    assert Placement.objects.filter(learner=ana, grouping=grouping, ended_at__isnull=False).count() == 1
    # Ben's declined move is not proposed again until his level moves on from there.
    assert ben.pk not in {int(m.learner) for m in services.regrouping_suggestion(grouping).moves}


def test_a_small_wobble_proposes_nothing(world: Any) -> None:
    grouping = dw.grouping(world)
    dw.set_level(world, dw.class_learner(world, "fay"), 0.66, 7)  # within the hysteresis band
    assert services.regrouping_suggestion(grouping).moves == ()


def test_a_learner_with_enough_evidence_now_is_proposed_for_a_group(world: Any) -> None:
    grouping = dw.grouping(world)
    jo = dw.class_learner(world, "jo")
    services.evidence_check_request(actor=world.a.teacher, grouping=grouping, learners=[jo])
    assert selectors.my_groups(jo).checks, "Jo sees the short check on their groups page"
    dw.set_level(world, jo, 0.9, 6)
    moves = {int(m.learner): m for m in services.regrouping_suggestion(grouping).moves}
    assert moves[jo.pk].from_group == -1 and moves[jo.pk].to_group == 2
    services.regrouping_decide(actor=world.a.teacher, grouping=grouping, accepted=[jo.pk])
    assert selectors.my_groups(jo).checks == [], "placed: the check is no longer asked"


def test_the_learner_sees_group_role_task_and_feedback_and_nothing_that_ranks(
    world: Any, client_for: Any
) -> None:
    task = dw.learners_group_task(world)
    group = task.group
    ana = dw.class_learner(world, "ana")
    services.role_assign(actor=world.a.teacher, group=group, learner=world.a.learner, role="facilitator")
    services.role_assign(actor=world.a.teacher, group=group, learner=ana, role="recorder")
    services.submission_save(learner=world.a.learner, task=task, text="Two quarters make a half.")
    services.feedback_give(actor=world.a.teacher, task=task, learner=world.a.learner, text="Clear strips!")
    page = client_for(world.a.learner).get("/me/groups/")
    text = page.content.decode()
    assert page.status_code == 200
    for shown in (
        group.name,
        "Facilitator",
        "Recorder",
        "Ana A",
        "Fraction strips",
        "Clear strips!",
        "Two quarters",
    ):
        assert shown in text, shown
    other_groups = [g.name for g in group.grouping.groups.exclude(pk=group.pk)]
    assert not any(name in text for name in other_groups)
    assert " of 3" not in text and "level" not in text.lower()


def test_work_handed_in_stays_with_the_learner_after_a_regrouping(world: Any) -> None:
    task = dw.learners_group_task(world)
    grouping = task.group.grouping
    services.submission_save(learner=world.a.learner, task=task, text="My fraction wall.")
    other = grouping.groups.exclude(pk=task.group_id).first()
    services.placement_set(actor=world.a.teacher, grouping=grouping, learner=world.a.learner, group=other)
    mine = selectors.my_groups(world.a.learner)
    assert [t.submission.text for t in mine.earlier_work if t.submission] == ["My fraction wall."]
    assert [w.submission.text for w in selectors.task_work(task) if w.submission] == ["My fraction wall."]


def test_feedback_is_an_event_the_family_feed_tells(world: Any) -> None:
    from tessera.family.feed.models import FeedEvent

    task = dw.learners_group_task(world)
    services.feedback_give(actor=world.a.teacher, task=task, learner=world.a.learner, text="Well done.")
    told = FeedEvent.objects.filter(learner=world.a.learner, kind=FeedEvent.Kind.TEACHER_FEEDBACK)
    assert told.count() == 1
    assert told.get().payload["task"] == "Fraction strips"


def test_the_same_feedback_sent_twice_is_stored_once(world: Any) -> None:
    import uuid

    task = dw.learners_group_task(world)
    token = uuid.uuid4()
    for _ in range(2):
        services.feedback_give(
            actor=world.a.teacher, task=task, learner=world.a.learner, text="Once.", token=token
        )
    assert task.feedback.count() == 1


def test_a_group_gets_its_own_objective_and_resources_and_its_learners_see_them(
    world: Any, client_for: Any
) -> None:
    from tessera.curriculum.models import Resource

    task = dw.learners_group_task(world)
    group = task.group
    video = Resource.objects.get(code="video-1")
    client = client_for(world.a.teacher)
    page = client.post(
        f"/classes/{world.a.klass.pk}/groups/{group.grouping_id}/",
        {
            "action": "plan",
            "group": group.pk,
            f"plan-{group.pk}-objective": "Add halves and quarters",
            f"plan-{group.pk}-resources": [video.pk],
        },
    )
    assert page.status_code == 302, page.content
    text = client_for(world.a.learner).get("/me/groups/").content.decode()
    assert "Add halves and quarters" in text and video.title in text


def test_undoing_a_pin_gives_the_learner_back_to_the_evidence(world: Any) -> None:
    grouping = dw.grouping(world)
    low, _, high = grouping.groups.order_by("position")
    gus = dw.class_learner(world, "gus")
    services.placement_set(actor=world.a.teacher, grouping=grouping, learner=gus, group=low, pin=True)
    released = services.placement_release(actor=world.a.teacher, grouping=grouping, learner=gus)
    assert released.group == high and released.source == Placement.Source.DATA
    assert Placement.objects.filter(grouping=grouping, learner=gus).count() == 3  # the history is kept


def test_a_weak_prerequisite_explains_a_low_placement_in_words(world: Any) -> None:
    dw.populated(world)
    ana = dw.class_learner(world, "ana")
    dw.set_level(world, ana, 0.2, 5, code="mul")  # Multiplication comes before Fractions
    view = selectors.grouping_view(dw.grouping(world))
    reasons = next(p.reasons for g in view.groups for p in g.placements if p.placement.learner_id == ana.pk)
    assert "below 40% on the prerequisite of Fractions (Multiplication)" in reasons
    ben = dw.class_learner(world, "ben")  # never practised Multiplication: nothing said about it
    reasons = next(p.reasons for g in view.groups for p in g.placements if p.placement.learner_id == ben.pk)
    assert not any("prerequisite" in reason for reason in reasons)
