"""Generated practice history (the demo school's): through the services, reproducible, in the past weeks."""

from __future__ import annotations

import datetime
import uuid
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from tessera.curriculum.models import Framework
from tessera.demo.practice_history import HistoryReport, demo_history_load, school_days
from tessera.practice import services
from tessera.practice.models import (
    Answer,
    LearnerCompetencyState,
    LearnerModelFit,
    LearnerModelState,
    PracticeSession,
)
from tessera.schools.models import Membership, School
from tests.curriculum.documents import small_framework

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)  # a Wednesday
WEEKS = 3


def _load(school: School, framework: Framework, seed: int = 7) -> HistoryReport:
    return demo_history_load(school=school, framework=framework, seed=seed, weeks=WEEKS, today=TODAY)


@pytest.fixture
def history(world: Any) -> tuple[School, Framework, HistoryReport]:
    school = world.a.school
    framework = small_framework(school)
    return school, framework, _load(school, framework)


def _answers() -> list[tuple[object, ...]]:
    return list(
        Answer.objects.order_by("created_at", "pk").values_list(
            "learner__username",
            "session__competency__code",
            "item__code",
            "competency__code",
            "given",
            "correct",
            "hints_used",
            "is_review",
            "client_id",
            "created_at",
        )
    )


def _states() -> list[tuple[object, ...]]:
    competencies = LearnerCompetencyState.objects.order_by("learner_id", "competency_id").values_list(
        "school_id",
        "learner_id",
        "competency_id",
        "numbers",
        "attempts",
        "mastery_level",
        "last_answered_at",
        "mastered_at",
        "review_card",
        "review_due_at",
    )
    learners = LearnerModelState.objects.order_by("learner_id").values_list(
        "school_id", "learner_id", "framework_id", "model_name", "numbers", "recent"
    )
    return [*competencies, *learners]


def _results() -> list[dict[str, Any]]:
    results = []
    for result in Answer.objects.order_by("created_at", "pk").values_list("result", flat=True):
        results.append({key: value for key, value in result.items() if key != "answer_id"})
    return results


def _forget_practice() -> None:
    PracticeSession.objects.all().delete()
    LearnerCompetencyState.objects.all().delete()
    LearnerModelState.objects.all().delete()


def test_every_learner_of_the_school_practised_and_nothing_else_did(history: Any, world: Any) -> None:
    school, _, report = history
    assert report.created and report.learners == 2
    assert report.answers == Answer.objects.count() > 0
    assert report.sessions == PracticeSession.objects.count() > 0
    learners = set(Membership.objects.filter(school=school, role="learner").values_list("user_id", flat=True))
    assert set(Answer.objects.values_list("learner_id", flat=True)) == learners
    for answer in Answer.objects.select_related("session"):
        assert answer.school_id == answer.session.school_id == school.pk
        assert answer.learner_id == answer.session.learner_id
    assert not Answer.objects.filter(school=world.b.school).exists()
    assert LearnerCompetencyState.objects.filter(mastered_at__isnull=False).exists(), "something is mastered"


def test_answers_lie_in_the_past_weeks_on_school_days_at_school_or_homework_hours(history: Any) -> None:
    school, _, _ = history
    zone = ZoneInfo(school.timezone)
    first = TODAY - datetime.timedelta(weeks=WEEKS)
    for moment in Answer.objects.values_list("created_at", flat=True):
        local = timezone.localtime(moment, zone)
        assert first <= local.date() < TODAY
        assert local.weekday() < 5, local
        assert 9 <= local.hour <= 21, local
    for session in PracticeSession.objects.prefetch_related("answers"):
        moments = [answer.created_at for answer in session.answers.all()]
        assert session.ended_at is not None and moments
        assert session.started_at <= min(moments) <= max(moments) <= session.ended_at
        assert (
            timezone.localtime(session.started_at, zone).date()
            == timezone.localtime(session.ended_at, zone).date()
        )


def test_the_history_is_reproducible_with_a_seed(history: Any) -> None:
    school, framework, _ = history
    first = _answers()
    _forget_practice()
    _load(school, framework)
    assert _answers() == first
    _forget_practice()
    _load(school, framework, seed=8)
    assert _answers() != first


def test_states_equal_what_replaying_the_answers_through_the_services_gives(history: Any) -> None:
    states, results = _states(), _results()
    answers = list(Answer.objects.select_related("learner", "session", "item").order_by("created_at", "pk"))
    Answer.objects.all().delete()
    LearnerCompetencyState.objects.all().delete()
    LearnerModelState.objects.all().delete()
    for answer in answers:
        services.answer_submit(
            learner=answer.learner,
            session=answer.session,
            item=answer.item,
            answer=answer.given,
            client_id=uuid.uuid4(),
            fingerprint=answer.fingerprint,
            hints_used=answer.hints_used,
            now=answer.created_at,
        )
    assert _states() == states
    assert _results() == results


def test_a_second_run_creates_nothing(history: Any) -> None:
    school, framework, report = history
    counts = [
        model.objects.count()
        for model in (Answer, PracticeSession, LearnerCompetencyState, LearnerModelState, LearnerModelFit)
    ]
    again = _load(school, framework, seed=99)
    assert not again.created
    assert (again.answers, again.sessions, again.learners) == (report.answers, report.sessions, 2)
    assert [
        model.objects.count()
        for model in (Answer, PracticeSession, LearnerCompetencyState, LearnerModelState, LearnerModelFit)
    ] == counts


def test_school_days_are_weekdays_of_the_weeks_before_today_within_the_term(world: Any) -> None:
    days = school_days(today=TODAY, weeks=2)
    assert len(days) == 10 and all(day.weekday() < 5 for day in days)
    assert days[0] == datetime.date(2026, 11, 11) and days[-1] == datetime.date(2026, 11, 24)
    term_start = world.a.term.starts_on  # 1 September 2026, a Tuesday
    days = school_days(today=term_start + datetime.timedelta(days=8), weeks=5, school=world.a.school)
    assert days[0] == term_start and len(days) == 6


def test_load_demo_school_generates_the_history_once_and_says_so(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command's hook, with the generator replaced (the real one on the full demo takes seconds)."""
    calls: list[str] = []

    def generate(*, school: School, framework: Framework) -> HistoryReport:
        calls.append(framework.code)
        return HistoryReport(created=len(calls) == 1, learners=60, sessions=500, answers=2500, seconds=1.5)

    monkeypatch.setattr("tessera.demo.management.commands.load_demo_school.demo_history_load", generate)
    out = StringIO()
    call_command("load_demo_school", "--quiet-logins", stdout=out)
    assert "Created practice history: 2500 answers in 500 sessions of 60 learners" in out.getvalue()
    call_command("load_demo_school", "--quiet-logins", stdout=out)
    assert "Already loaded: practice history (2500 answers of 60 learners)." in out.getvalue()
    out = StringIO()
    call_command("load_demo_school", "--quiet-logins", "--no-history", stdout=out)
    assert "practice history" not in out.getvalue() and len(calls) == 2
