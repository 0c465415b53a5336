"""Progress monitoring as the team meets it: practice evidence becomes the day's measure of an objective tied
to a competency (also for a session the learner left open, ended by the real worker), an objective off
track raises one alert that the team sees on their home page and the plan page until a member reviews it
or a measure is back on the aim line, and an evaluation file whose upload rolled back is removed."""

from __future__ import annotations

import datetime
import os
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tessera.curriculum.models import Competency, Item
from tessera.events.models import Event
from tessera.individualization import services
from tessera.individualization.models import (
    EvaluationAttachment,
    PlanObjective,
    RecordRead,
    TeamAlert,
)
from tessera.individualization.services import ObjectiveSpec
from tessera.practice import services as practice
from tessera.practice.models import PracticeSession
from tessera.practice.selectors import learner_masteries
from tessera.schools.errors import DomainError
from tests.curriculum.documents import small_framework
from tests.individualization.world import PDF, TODAY, draft, evaluation

pytestmark = pytest.mark.django_db

RIGHT = {"add-1": 5}
OFF_TRACK = "individualization.objective_off_track"


def _objective(description: str, competency: Competency | None = None, unit: str = "%") -> ObjectiveSpec:
    return ObjectiveSpec(
        area="mathematics",
        description=description,
        baseline=20,
        target=90,
        target_date=TODAY + timedelta(days=150),
        measured_how="The mastery figure of practice" if competency else "Five problems in the session",
        unit=unit,
        competency=competency,
    )


def _plan_following(world: Any, competency: Competency) -> tuple[PlanObjective, PlanObjective]:
    """A signed plan with one objective tied to ``competency`` and one measured by hand."""
    plan = draft(world, objectives=[_objective("Adds within 20", competency), _objective("Explains a sum")])
    for person in (world.a.specialist, world.a.teacher, world.a.guardian):
        services.plan_sign(actor=person, plan=plan)
    return plan.objectives.get(competency=competency), plan.objectives.get(competency__isnull=True)


def _answer(world: Any, session: PracticeSession, item: Item, *, right: bool, now: Any = None) -> None:
    practice.answer_submit(
        learner=world.a.learner,
        session=session,
        item=item,
        answer=RIGHT[item.code] if right else 4,
        client_id=uuid.uuid4(),
        fingerprint=uuid.uuid4().hex,
        now=now,
    )


def _shown_percent(world: Any, competency: Competency) -> int | None:
    found = learner_masteries(school_id=world.a.school.pk, learner_id=world.a.learner.pk)
    return found[competency.pk].percent


def test_a_practice_session_gives_the_days_mastery_to_the_objective_tied_to_its_competency(
    world: Any,
) -> None:
    add = small_framework(world.a.school).competencies.get(code="add")
    item = Item.objects.get(code="add-1", framework=add.framework)
    followed, by_hand = _plan_following(world, add)

    session = practice.session_start(learner=world.a.learner, competency=add)
    _answer(world, session, item, right=True)
    _answer(world, session, item, right=False)
    practice.session_end(learner=world.a.learner, session=session)
    first = _shown_percent(world, add)
    assert [(p.value, p.source) for p in followed.data_points.all()] == [(first, "practice")]
    assert not by_hand.data_points.exists(), "an objective measured by hand gets no practice points"

    # A second session the same day replaces the day's figure: one point per day, the latest figure.
    later = practice.session_start(learner=world.a.learner, competency=add)
    for _ in range(3):
        _answer(world, later, item, right=True)
    practice.session_end(learner=world.a.learner, session=later)
    practice.session_end(learner=world.a.learner, session=later)  # ending it again changes nothing
    latest = _shown_percent(world, add)
    assert latest is not None and first is not None and latest > first
    assert [p.value for p in followed.data_points.all()] == [latest]
    assert Event.objects.filter(kind="practice.session_ended", learner=world.a.learner).count() == 2


def test_a_session_without_answers_adds_no_measure(world: Any) -> None:
    add = small_framework(world.a.school).competencies.get(code="add")
    followed, _ = _plan_following(world, add)
    session = practice.session_start(learner=world.a.learner, competency=add)
    practice.session_end(learner=world.a.learner, session=session)
    assert not followed.data_points.exists()
    assert not Event.objects.filter(kind="practice.session_ended").exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection as a real one does
def test_a_session_left_open_is_ended_by_the_worker_and_its_evidence_counts(
    world: Any, settings: Any
) -> None:
    settings.PRACTICE_IDLE_MINUTES = 30
    add = small_framework(world.a.school).competencies.get(code="add")
    item = Item.objects.get(code="add-1", framework=add.framework)
    followed, _ = _plan_following(world, add)
    answered_at = timezone.now() - timedelta(hours=2)
    left_open = practice.session_start(learner=world.a.learner, competency=add)
    PracticeSession.objects.filter(pk=left_open.pk).update(started_at=answered_at - timedelta(minutes=5))
    _answer(world, left_open, item, right=True, now=answered_at)
    still_going = practice.session_start(learner=world.a.learner, competency=add)
    _answer(world, still_going, item, right=True)

    call_command("run_worker", "--once", "--interval", "0")

    left_open.refresh_from_db()
    still_going.refresh_from_db()
    assert left_open.ended_at == answered_at, "ended at its last answer"
    assert still_going.ended_at is None, "a session answered in the last half hour stays open"
    assert [p.measured_on for p in followed.data_points.all()] == [timezone.localdate(answered_at)]


def test_an_objective_following_practice_is_measured_in_percent(world: Any) -> None:
    add = small_framework(world.a.school).competencies.get(code="add")
    with pytest.raises(DomainError) as refused:
        draft(world, objectives=[_objective("Adds within 20", add, unit="words a minute")])
    assert refused.value.code == "individualization.objective_unit_not_percent"
    assert not PlanObjective.objects.exists()


def _measure(world: Any, objective: PlanObjective, days_ago: int, value: float) -> None:
    services.support_log_add(
        actor=world.a.para,
        school=world.a.school,
        learner=world.a.learner,
        held_on=TODAY - datetime.timedelta(days=days_ago),
        minutes=20,
        what_was_done="Five problems together.",
        objective=objective,
        measured=value,
    )


def test_an_objective_off_track_alerts_the_team_once_until_it_is_back_on_track(
    world: Any, client_for: Any
) -> None:
    add = small_framework(world.a.school).competencies.get(code="add")
    _, objective = _plan_following(world, add)
    for days_ago in (8, 6, 4):
        _measure(world, objective, days_ago, 5)
    alert = TeamAlert.objects.get(objective=objective, closed_at__isnull=True)
    _measure(world, objective, 2, 6)  # a fourth low measure: the same alert, no new event
    assert Event.objects.filter(kind=OFF_TRACK).count() == 1
    assert TeamAlert.objects.filter(objective=objective).count() == 1

    for member in (world.a.specialist, world.a.teacher):
        home = client_for(member).get(reverse("home")).content.decode()
        assert "an objective is off track" in home and world.a.learner.name in home
    for outsider in (world.a.co_teacher, world.a.guardian, world.a.learner, world.a.other_teacher):
        assert "an objective is off track" not in client_for(outsider).get(reverse("home")).content.decode()
    plan_page = client_for(world.a.specialist).get(
        reverse("learner-plan", args=[world.a.school.pk, world.a.learner.pk])
    )
    assert "Objectives off track" in plan_page.content.decode()

    _measure(world, objective, 1, 95)  # back above the aim line: the alert closes by itself
    alert.refresh_from_db()
    assert alert.closed_at is not None and alert.closed_by is None
    for days_ago in (0, 0, 0):
        _measure(world, objective, days_ago, 1)
    assert Event.objects.filter(kind=OFF_TRACK).count() == 2, "a new run of low measures alerts again"
    assert TeamAlert.objects.filter(objective=objective, closed_at__isnull=True).count() == 1


def test_a_team_member_marks_an_alert_reviewed_once_and_others_cannot(world: Any, client_for: Any) -> None:
    add = small_framework(world.a.school).competencies.get(code="add")
    _, objective = _plan_following(world, add)
    for days_ago in (6, 4, 2):
        _measure(world, objective, days_ago, 5)
    alert = TeamAlert.objects.get(objective=objective)
    url = reverse("alert-review", args=[world.a.school.pk, world.a.learner.pk, alert.pk])

    assert client_for(world.a.co_teacher).post(url).status_code == 404, "not on the team: no such alert"
    assert client_for(world.a.other_teacher).post(url).status_code == 404
    assert client_for(world.a.guardian).post(url).status_code == 403, "reads the plan, does not review"
    alert.refresh_from_db()
    assert alert.closed_at is None

    specialist = client_for(world.a.specialist)
    for _ in range(2):  # a double click
        response = specialist.post(url)
        assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.closed_by == world.a.specialist
    assert RecordRead.objects.filter(actor=world.a.specialist, record__startswith="alert ").count() == 1
    home = specialist.get(reverse("home")).content.decode()
    assert "an objective is off track" not in home

    api = client_for(world.a.teacher).post(f"/api/alerts/{alert.pk}/review")
    assert api.status_code == 200 and api.json()["reviewed_by_id"] == world.a.specialist.pk
    missing = client_for(world.a.co_teacher).post(f"/api/alerts/{alert.pk}/review")
    assert missing.status_code == 404 and missing.json()["code"] == "individualization.alert_not_found"


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_upload_rolled_back_is_removed_by_the_worker(world: Any, private_files: Any) -> None:
    kept = services.attachment_add(
        actor=world.a.specialist,
        evaluation=evaluation(world),
        upload=SimpleUploadedFile("kept.pdf", PDF, content_type="application/pdf"),
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        services.attachment_add(
            actor=world.a.specialist,
            evaluation=evaluation(world),
            upload=SimpleUploadedFile("lost.pdf", PDF, content_type="application/pdf"),
        )
        raise RuntimeError("the request failed after the upload")
    folder = private_files / "evaluations"
    assert EvaluationAttachment.objects.count() == 1
    assert len(list(folder.iterdir())) == 2, "the rolled-back upload's file is still there"

    call_command("run_worker", "--once", "--interval", "0")
    assert len(list(folder.iterdir())) == 2, "a young file may belong to an upload still in progress"

    two_hours_ago = (timezone.now() - timedelta(hours=2)).timestamp()
    for path in folder.iterdir():
        os.utime(path, (two_hours_ago, two_hours_ago))
    call_command("run_worker", "--once", "--interval", "0")
    assert [path.name for path in folder.iterdir()] == [kept.stored_name]
