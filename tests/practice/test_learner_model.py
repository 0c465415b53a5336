"""Fitting and storing a framework's learner model (``manage.py fit_learner_model``)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tessera.practice.learner_model import model_for, tracker_for
from tessera.practice.models import LearnerCompetencyState, LearnerModelFit

pytestmark = pytest.mark.django_db


def test_without_answers_the_model_is_fitted_on_a_simulated_log_that_knows_every_competency(
    practice: Any,
) -> None:
    out = StringIO()
    call_command("fit_learner_model", str(practice.framework.pk), stdout=out)
    fit = LearnerModelFit.objects.get()
    assert fit.source == "simulated" and fit.response_count > 0
    assert "simulated" in out.getvalue()
    model = model_for(practice.framework)
    state = model.initial_state()
    for code in ("add", "mul", "frac", "pct"):
        assert 0.0 < model.predict(state, code) < 1.0


def test_a_few_stored_answers_are_fitted_together_with_the_simulated_log(practice: Any) -> None:
    practice.submit(5)
    practice.submit(4)
    simulated = LearnerModelFit.objects.get().response_count
    call_command("fit_learner_model", stdout=StringIO())
    newest = LearnerModelFit.objects.first()
    assert newest is not None and newest.source == "answers+simulated"
    assert newest.response_count == simulated + 2


def test_missing_only_fits_just_the_frameworks_without_a_model(practice: Any) -> None:
    call_command("fit_learner_model", "--missing-only", stdout=StringIO())
    assert LearnerModelFit.objects.count() == 1
    out = StringIO()
    call_command("fit_learner_model", "--missing-only", stdout=out)
    assert LearnerModelFit.objects.count() == 1, "a second start fits nothing again"
    assert out.getvalue() == ""


def test_a_fit_from_before_the_mastery_tracker_is_refitted_on_the_next_start(practice: Any) -> None:
    call_command("fit_learner_model", "--missing-only", stdout=StringIO())
    LearnerModelFit.objects.update(mastery_json="")  # as fits stored before the tracker
    call_command("fit_learner_model", "--missing-only", stdout=StringIO())
    newest = LearnerModelFit.objects.first()
    assert LearnerModelFit.objects.count() == 2 and newest is not None and newest.mastery_json
    assert practice.submit(5).mastery_level > 0, "answers use the new fit's tracker"


ANSWERS = [5, 4, 5, 4]


def _as_before_the_tracker(practice: Any) -> Any:
    """Fits without a tracker, the predictor's figure stored, and a verdict the family was told."""
    for answer in ANSWERS:
        practice.submit(answer)
    LearnerModelFit.objects.update(mastery_json="")
    told = timezone.now() - timedelta(days=3)
    LearnerCompetencyState.objects.update(
        mastery_level=0.97, mastered_at=told, review_due_at=told + timedelta(days=9)
    )
    return told


def _replayed_figure(practice: Any) -> float:
    tracker = tracker_for(practice.framework)
    figure = tracker.start("add")
    for answer in ANSWERS:
        figure = tracker.after("add", figure, int(answer == 5))
    return figure


@pytest.mark.parametrize("first_fit_by", ["make run", "the task the first answer enqueues"])
def test_an_upgraded_install_gets_its_mastery_figures_recomputed_once(
    practice: Any, first_fit_by: str
) -> None:
    told = _as_before_the_tracker(practice)
    if first_fit_by == "make run":
        out = StringIO()
        call_command("fit_learner_model", "--missing-only", stdout=out)
        assert "mastery figures recomputed from the stored answers" in out.getvalue()
    else:  # a server started by hand without make run: the first answer enqueues the fit (the test settings'
        # backend runs it at once; on the worker, see test_fit_on_the_worker.py), which replays the figures
        practice.submit(5)
        ANSWERS.append(5)
    try:
        row = LearnerCompetencyState.objects.get()
        assert row.mastery_level == pytest.approx(_replayed_figure(practice), abs=1e-4)
        assert row.mastered_at == told, "the verdict the family was told stays"
        if row.mastery_level < 0.9:
            assert row.review_due_at is not None and row.review_due_at <= timezone.now(), "a review decides"
        again = StringIO()
        call_command("fit_learner_model", "--missing-only", stdout=again)
        assert again.getvalue() == "", "only once"
    finally:
        if first_fit_by != "make run":
            ANSWERS.pop()
