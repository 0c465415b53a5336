"""No model fitting inside a request: a framework without a fit gets it from the worker (django-tasks'
database backend, run here by its ``db_worker`` command), and answers use the default model meanwhile."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tessera.curriculum.frameworks.services import competency_add
from tessera.curriculum.models import Framework
from tessera.engine.mastery import MasteryTracker
from tessera.practice import learner_model
from tessera.practice.learner_model import model_for, tracker_for
from tessera.practice.models import LearnerCompetencyState, LearnerModelFit
from tests.curriculum.documents import small_framework

pytestmark = pytest.mark.django_db

TASK = "tessera.practice.tasks.learner_model_fit_task"


@pytest.fixture
def database_tasks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The real database task backend (the test settings run tasks at once), and a fresh model cache.

    The worker closes "old" connections between tasks, which would close the test's transaction (and
    its in-memory database): here it keeps them."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    learner_model._loaded.clear()
    learner_model._checked.clear()
    learner_model._enqueued.clear()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield
    learner_model._loaded.clear()


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=StringIO())


def test_an_answer_on_a_framework_without_a_fit_enqueues_it_and_the_worker_fits_it(
    practice: Any, database_tasks: None
) -> None:
    answers = [5, 4, 5]
    for answer in answers:
        result = practice.submit(answer)
    assert not LearnerModelFit.objects.exists(), "no fit inside the request"
    queued = DBTaskResult.objects.filter(task_path=TASK)
    assert queued.filter(status="READY").exists()
    assert queued.first().args_kwargs["args"][0] == practice.framework.pk
    assert 0.0 < result.mastery_level < 1.0, "the default model answered meanwhile"
    default = tracker_for(practice.framework)

    _run_worker()

    fit = LearnerModelFit.objects.get()
    assert fit.source == "answers+simulated"
    assert not queued.exclude(status="SUCCESSFUL").exists()
    fitted = tracker_for(practice.framework)
    assert fitted is not default and fitted.to_json() == MasteryTracker.from_json(fit.mastery_json).to_json()
    # The figures of the answers given meanwhile were recomputed with the fitted tracker.
    figure = fitted.start("add")
    for answer in answers:
        figure = fitted.after("add", figure, int(answer == 5))
    row = LearnerCompetencyState.objects.get(competency=practice.add)
    assert row.mastery_level == pytest.approx(figure, abs=1e-4)
    # And the next answer moves it with the fitted tracker.
    assert practice.submit(5).mastery_level == pytest.approx(fitted.after("add", figure, 1), abs=1e-4)
    assert LearnerModelFit.objects.count() == 1


def test_the_default_model_knows_every_competency_of_the_framework(
    practice: Any, database_tasks: None
) -> None:
    model = model_for(practice.framework)
    tracker = tracker_for(practice.framework)
    state = model.initial_state()
    for code in ("add", "mul", "frac", "pct"):
        assert 0.0 < model.predict(state, code) < 1.0
        assert tracker.after(code, tracker.start(code), 1) > tracker.start(code)
    assert not LearnerModelFit.objects.exists()


def test_the_task_fits_only_a_framework_still_without_a_fit(practice: Any, database_tasks: None) -> None:
    model_for(practice.framework)
    model_for(practice.framework)  # a second request (another process, say) enqueues it again
    _run_worker()
    assert LearnerModelFit.objects.count() == 1


def test_importing_a_framework_enqueues_its_fit(
    world: Any, database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        framework = small_framework(world.a.school, code="another")
    assert not LearnerModelFit.objects.exists()
    assert DBTaskResult.objects.get(task_path=TASK).args_kwargs["args"] == [framework.pk, True]
    _run_worker()
    assert LearnerModelFit.objects.filter(framework=framework).exists()


def test_the_model_cache_keeps_the_newest_fit_of_the_most_recently_used_frameworks(
    practice: Any, world: Any, database_tasks: None
) -> None:
    other = small_framework(world.b.school)
    with override_settings(PRACTICE_MODEL_CACHE_SIZE=1):
        model_for(practice.framework)
        model_for(other)
        assert list(learner_model._loaded) == [other.pk]
    call_command("fit_learner_model", str(other.pk), stdout=StringIO())
    call_command("fit_learner_model", str(other.pk), stdout=StringIO())
    for _ in range(2):
        model_for(other)
        model_for(practice.framework)
    newest = LearnerModelFit.objects.filter(framework=other).first()
    assert newest is not None
    assert sorted(learner_model._loaded) == sorted([practice.framework.pk, other.pk])
    assert learner_model._loaded[other.pk][0][0] == newest.pk, "only the newest fit of a framework"


def _differences(shipped: Any, made: Any, where: str = "") -> list[str]:
    """Where ``made`` differs from ``shipped``: in shape, or in a number by more than 0.2 % (and 1e-3). The
    fit is an iterative optimisation whose last digits move with the BLAS library's threading and the CPU
    (seen: up to 1e-4 between two runs on one machine under load, 7e-4 relative on another CPU); a stale
    file (the simulation or the fit changed) differs by far more."""
    if isinstance(shipped, float) and isinstance(made, float):
        close = math.isclose(shipped, made, rel_tol=2e-3, abs_tol=1e-3)
        return [] if close else [f"{where}: {shipped} != {made}"]
    if isinstance(shipped, dict) and isinstance(made, dict) and shipped.keys() == made.keys():
        return [d for key in shipped for d in _differences(shipped[key], made[key], f"{where}/{key}")]
    if isinstance(shipped, list) and isinstance(made, list) and len(shipped) == len(made):
        return [
            d
            for n, (a, b) in enumerate(zip(shipped, made, strict=True))
            for d in _differences(a, b, f"{where}[{n}]")
        ]
    return [] if shipped == made else [f"{where}: {shipped!r} != {made!r}"]


def test_the_shipped_default_model_is_the_fit_default_fit_documents_makes() -> None:
    shipped = json.loads(learner_model.DEFAULT_FIT_FILE.read_text())
    made = learner_model.default_fit_documents()
    assert shipped.keys() == made.keys()
    for name in shipped:
        differences = _differences(json.loads(shipped[name]), json.loads(made[name]), name)
        assert not differences, f"rebuild data/default_learner_model.json: {differences[:5]}"


def test_a_competency_added_after_the_fit_is_practised_at_once_and_refitted_on_the_worker(
    practice: Any, database_tasks: None
) -> None:
    practice.submit(5)
    _run_worker()  # the framework's first fit
    fitted = LearnerModelFit.objects.filter(framework=practice.framework).count()
    framework = Framework.objects.get(pk=practice.framework.pk)
    added = competency_add(actor=None, domain=framework.domains.first(), name="Adding thirds")
    framework.refresh_from_db()
    tracker = tracker_for(framework)  # the default model stands in: it knows the new competency
    assert added.code in tracker.model.parameters
    assert DBTaskResult.objects.filter(task_path=TASK, status="READY").exists(), "a refit is queued"
    _run_worker()
    framework.refresh_from_db()
    assert LearnerModelFit.objects.filter(framework=framework).count() == fitted + 1
    assert added.code in tracker_for(framework).model.parameters, "the refit knows it"
