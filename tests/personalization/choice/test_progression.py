"""Competency-based progression: a teacher sets a class to personalization with a competency sequence,
sees who is where; a learner sees "you move on when you master X", not a date."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import dateformat, timezone

from tessera.personalization.choice import selectors, services
from tessera.practice import services as practice
from tessera.schools.errors import DomainError, PermissionDenied
from tests.curriculum.documents import small_framework
from tests.personalization import world as pw


def test_default_sequence_is_the_framework_in_teaching_order(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    progression = services.progression_set(
        actor=world.a.teacher, school_class=world.a.klass, mode="personalization", framework=framework
    )
    codes = [c.code for c in selectors.sequence(progression)]
    assert codes == [c.code for c in framework.competencies.order_by("domain__position", "position", "pk")]
    assert codes[0] == "add"


def test_chosen_competencies_and_rules(world) -> None:  # type: ignore[no-untyped-def]
    chosen = [pw.competency(world, "mul"), pw.competency(world, "add")]
    progression = services.progression_set(
        actor=world.a.teacher, school_class=world.a.klass, mode="personalization", competencies=chosen
    )
    assert [c.code for c in selectors.sequence(progression)] == ["add", "mul"]
    with pytest.raises(PermissionDenied):
        services.progression_set(actor=world.a.learner, school_class=world.a.klass, mode="calendar")
    with pytest.raises(DomainError, match="Choose the framework"):
        services.progression_set(actor=world.a.teacher, school_class=world.a.klass, mode="personalization")
    with pytest.raises(DomainError, match="not in a framework of this school"):
        services.progression_set(
            actor=world.a.teacher,
            school_class=world.a.klass,
            mode="personalization",
            competencies=[pw.competency_b(world)],
        )


def test_teacher_sees_who_is_where_and_learner_sees_what_moves_them_on(world, client_for) -> None:  # type: ignore[no-untyped-def]
    services.progression_set(
        actor=world.a.teacher,
        school_class=world.a.klass,
        mode="personalization",
        competencies=[pw.competency(world, "add"), pw.competency(world, "mul")],
    )
    pw.master(world.a.learner, world.a.school, pw.competency(world, "add"))
    pw.practise(world.a.learner, world.a.school, pw.competency(world, "mul"))
    url = f"/classes/{world.a.klass.pk}/progression/"

    text = client_for(world.a.teacher).get(url).content.decode()
    assert "Who is where" in text and "Multiplication" in text and "1 / 2" in text

    client = client_for(world.a.learner)
    text = client.get(url).content.decode()
    assert "You move on when you master Multiplication." in text
    assert "1 of 2 mastered" in text
    pw.master(world.a.learner, world.a.school, pw.competency(world, "mul"))
    assert "You have mastered every competency of this class" in client.get(url).content.decode()


def test_teacher_sets_it_on_the_page(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.teacher)
    url = f"/classes/{world.a.klass.pk}/progression/"
    assert "moves on by the calendar" in client.get(url).content.decode()
    bad = client.post(url, {"mode": "personalization"})
    assert bad.status_code == 400 and "Choose the framework" in bad.content.decode()
    ok = client.post(url, {"mode": "personalization", "framework": small_framework(world.a.school).pk})
    assert ok.status_code == 302
    assert "Competency-based" in client.get(url).content.decode()


def test_positions_cost_the_same_queries_for_more_learners(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    progression = services.progression_set(
        actor=world.a.teacher,
        school_class=world.a.klass,
        mode="personalization",
        framework=small_framework(world.a.school),
    )
    from tessera.schools import services as school_services

    for n in range(5):
        school_services.learner_enrol(
            actor=None, school_class=world.a.klass, learner=pw.new_learner(world, f"l{n}")
        )
    with django_assert_max_num_queries(4):
        rows = selectors.class_positions(world.a.teacher, progression)
    assert len(rows) == 6 and all(r.current is not None and r.current.code == "add" for r in rows)


def test_the_form_starts_from_the_framework_or_the_chosen_competencies(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    whole = services.progression_set(
        actor=world.a.teacher, school_class=world.a.klass, mode="personalization", framework=framework
    )
    assert selectors.progression_initial(whole) == {"mode": "personalization", "framework": framework.pk}
    add = pw.competency(world, "add")
    some = services.progression_set(
        actor=world.a.teacher, school_class=world.a.klass, mode="personalization", competencies=[add]
    )
    assert selectors.progression_initial(some)["competencies"] == [add.pk]


def test_last_practised_is_the_time_of_the_last_answer(world, client_for) -> None:  # type: ignore[no-untyped-def]
    add = pw.competency(world, "add")
    services.progression_set(
        actor=world.a.teacher, school_class=world.a.klass, mode="personalization", competencies=[add]
    )
    world.a.school.timezone = "Pacific/Kiritimati"  # UTC+14: an evening answer in UTC is the next day there
    world.a.school.save(update_fields=["timezone"])
    session = practice.session_start(learner=world.a.learner, competency=add)
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    answered = ten_days_ago.replace(hour=20, minute=30)
    item = add.items.first()
    practice.answer_submit(
        learner=world.a.learner,
        session=session,
        item=item,
        answer=5,
        client_id=uuid.uuid4(),
        fingerprint=uuid.uuid4().hex,
        now=answered,
    )
    text = client_for(world.a.teacher).get(f"/classes/{world.a.klass.pk}/progression/").content.decode()
    local = timezone.localtime(answered, world.a.school.zone)
    assert local.date() != answered.date() and dateformat.format(local, "j M Y") in text
    assert dateformat.format(timezone.localtime(), "j M Y") not in text, (
        "today is not when they last practised"
    )
