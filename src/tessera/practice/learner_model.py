"""The fitted learner model of a framework: fit it (offline), store it, load it once per process.

A framework's model is fitted on the answers stored for it. Before anyone has answered, it is fitted on a
synthetic practice log from :func:`tessera.engine.simulate.practice_log` over the framework's competencies
(in teaching order, with the framework's prerequisites), so every competency is known to the model and a
new school can practise at once. While there are fewer than ``MIN_STORED_ANSWERS`` stored answers, the
simulated log is fitted together with them; ``manage.py fit_learner_model`` refits as answers accumulate.
The same log fits the :class:`~tessera.engine.mastery.MasteryTracker` that gives the mastery figure people
are shown (stored with the fit as ``mastery_json``).

A request never fits (that takes seconds to a minute). When a framework has no fit yet, the request
enqueues :func:`tessera.practice.tasks.learner_model_fit_task` for the worker (``make run``'s
``run_worker``) and meanwhile uses the default model: the fit on the simulated log of a generic chain of
the ``ASSISTMENTS_2009_DYNAMICS`` competencies (shipped in ``data/default_learner_model.json``, rebuilt by
:func:`default_fit_documents`), each competency of the framework taking the generic one with the dynamics
that the framework's own simulated log would give it. When the first fit with a tracker arrives, the
mastery figures of answers given meanwhile are recomputed with it (:func:`_figures_replay`). Importing a
framework enqueues its fit too, and so does a fit that does not know a competency added since (on the
framework page): the default model stands in for the framework until the refit has run. Each process
keeps the newest models of at most ``PRACTICE_MODEL_CACHE_SIZE`` frameworks (least recently used first
out).
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tessera.curriculum.models import Framework
from tessera.curriculum.per_framework import NewestPerFramework
from tessera.curriculum.selectors import prerequisite_map
from tessera.engine.mastery import MasteryPolicy, MasteryTracker
from tessera.engine.simulate import ASSISTMENTS_2009_DYNAMICS, SimulationParameters, practice_log
from tessera.engine.tracing import BayesianKnowledgeTracing, LogisticEvidenceModel, Response
from tessera.engine.tracing.bkt import BktParameters
from tessera.practice.models import Answer, LearnerCompetencyState, LearnerModelFit

# The documented rule, on the mastery tracker's figure (the chance the learner knows it): 90 % and at least
# three answers since mastery was last lost, reached on a correct answer.
MASTERY_POLICY = MasteryPolicy(threshold=0.9, min_evidence=3)

SIMULATED_LEARNERS = 60
SIMULATION_SEED = 2026
MIN_STORED_ANSWERS = 1000

DEFAULT_FIT_FILE = Path(__file__).parent / "data" / "default_learner_model.json"
GENERIC_CHAIN = [f"generic-{n}" for n in range(len(ASSISTMENTS_2009_DYNAMICS))]
Key = tuple[
    int, int, str
]  # (fit id, or 0 for the default; framework id; when fitted, or the default's digest)
_loaded: NewestPerFramework[tuple[LogisticEvidenceModel, MasteryTracker]] = NewestPerFramework()
_checked: dict[int, tuple[float, Key]] = {}
_enqueued: dict[int, float] = {}


def _simulated_log(prerequisites: dict[str, list[str]]) -> list[Response]:
    codes = list(prerequisites)
    dynamics = {
        code: ASSISTMENTS_2009_DYNAMICS[n % len(ASSISTMENTS_2009_DYNAMICS)] for n, code in enumerate(codes)
    }
    parameters = SimulationParameters(
        dynamics, {code: tuple(before) for code, before in prerequisites.items()}
    )
    return practice_log(parameters, size=SIMULATED_LEARNERS, seed=SIMULATION_SEED)


def _stored_log(framework: Framework) -> list[Response]:
    rows = (
        Answer.objects.filter(competency__framework=framework)
        .order_by("created_at", "pk")
        .values_list("learner_id", "school_id", "competency__code", "correct")
    )
    return [Response(f"{learner}@{school}", code, int(correct)) for learner, school, code, correct in rows]


def learner_model_fit(*, framework: Framework, now: datetime | None = None) -> LearnerModelFit:
    """Fit a model for ``framework`` on its stored answers (or a synthetic log when there are none).

    The first fit with a mastery tracker also recomputes the stored mastery figures from the stored answers
    (:func:`_figures_replay`): those of an upgraded install (the predictor's), and those that answers given
    before the first fit got from the default model; whichever path fits it first (``make run``'s
    ``fit_learner_model --missing-only``, or the task the first request enqueued).
    """
    first = not LearnerModelFit.objects.filter(framework=framework).exclude(mastery_json="").exists()
    prerequisites = prerequisite_map(framework)
    log = _stored_log(framework)
    source = "answers"
    if len(log) < MIN_STORED_ANSWERS:  # too few to fit on alone: the simulated cohort fills in
        log, source = _simulated_log(prerequisites) + log, "simulated" if not log else "answers+simulated"
    competencies = list(prerequisites)
    model = LogisticEvidenceModel().fit(log, competencies=competencies, prerequisites=prerequisites)
    tracker = MasteryTracker(BayesianKnowledgeTracing().fit(log, competencies, prerequisites))
    with transaction.atomic():
        fit = LearnerModelFit.objects.create(
            framework=framework,
            model_json=model.to_json(),
            mastery_json=tracker.to_json(),
            source=source,
            response_count=len(log),
        )
        if first:
            _figures_replay(framework, tracker, now or timezone.now())
    return fit


def _figures_replay(framework: Framework, tracker: MasteryTracker, now: datetime) -> None:
    """Recompute every learner's mastery figure on ``framework`` by replaying their stored answers, in
    order, through ``tracker`` (the stored figures of an install from before the tracker were the
    predictor's). The verdicts people were told stay; a mastered competency whose figure comes out under
    the threshold gets its review due now, so the rule's promise holds: mastered below the threshold only
    with a review on its way."""
    figures: dict[tuple[int, int, int], float] = {}
    answers = (
        Answer.objects.filter(competency__framework=framework)
        .order_by("created_at", "pk")
        .values_list("school_id", "learner_id", "competency_id", "competency__code", "correct")
    )
    for school_id, learner_id, competency_id, code, correct in answers.iterator():
        key = (school_id, learner_id, competency_id)
        figures[key] = tracker.after(code, figures.get(key, tracker.start(code)), int(correct))
    for row in LearnerCompetencyState.objects.filter(competency__framework=framework).select_for_update():
        figure = figures.get((row.school_id, row.learner_id, row.competency_id))
        if figure is None:
            continue
        row.mastery_level = figure
        if row.mastered_at is not None and figure < MASTERY_POLICY.threshold:
            row.review_due_at = min(filter(None, (row.review_due_at, now)))
        row.save(update_fields=["mastery_level", "review_due_at"])


def default_fit_documents() -> dict[str, str]:
    """The default model and tracker, fitted as :func:`learner_model_fit` fits a framework without answers
    (the simulated log), on the generic chain; what ``data/default_learner_model.json`` holds."""
    prerequisites = {code: GENERIC_CHAIN[n - 1 : n] for n, code in enumerate(GENERIC_CHAIN)}
    log = _simulated_log(prerequisites)
    model = LogisticEvidenceModel().fit(log, competencies=GENERIC_CHAIN, prerequisites=prerequisites)
    tracker = MasteryTracker(BayesianKnowledgeTracing().fit(log, GENERIC_CHAIN, prerequisites))
    return {"model": model.to_json(), "mastery": tracker.to_json()}


@cache
def _generic_models() -> tuple[LogisticEvidenceModel, dict[str, BktParameters]]:
    documents = json.loads(DEFAULT_FIT_FILE.read_text())
    tracker = MasteryTracker.from_json(documents["mastery"])
    return LogisticEvidenceModel.from_json(documents["model"]), dict(tracker.model.parameters)


def _default_models(codes: list[str]) -> tuple[LogisticEvidenceModel, MasteryTracker]:
    """The stand-in until a framework's first fit: code ``n`` (teaching order) takes the generic competency
    whose dynamics the framework's simulated log gives it (``n`` modulo their number)."""
    model, parameters = _generic_models()
    names = {code: GENERIC_CHAIN[n % len(GENERIC_CHAIN)] for n, code in enumerate(codes)}
    bkt = BayesianKnowledgeTracing()
    bkt.parameters = {code: parameters[generic] for code, generic in names.items()}
    return model.relabelled(names), MasteryTracker(bkt)


def learner_model_fit_enqueue(framework: Framework, *, missing_only: bool = True) -> None:
    """Have the worker fit ``framework``'s model (only if it still has none, with ``missing_only``)."""
    from tessera.practice.tasks import learner_model_fit_task

    _enqueued[framework.pk] = time.monotonic()
    learner_model_fit_task.enqueue(framework.pk, missing_only)


def _newest_fit_row(framework: Framework) -> LearnerModelFit | None:
    fits = LearnerModelFit.objects.filter(framework=framework).exclude(mastery_json="")
    return fits.only("pk", "fitted_at").first()  # none yet, or only fits from before the mastery tracker


def _newest_fit_key(framework: Framework) -> Key:
    """Which fit is newest, asked of the database at most every ``PRACTICE_FIT_CHECK_SECONDS`` per process
    (every answer needs the model; a refit is picked up within that time). Without a fit, the fit is
    enqueued (never run here) and the key is the default model's for the framework's competencies."""
    window = settings.PRACTICE_FIT_CHECK_SECONDS
    checked = _checked.get(framework.pk)
    if checked is not None and time.monotonic() - checked[0] < window:
        return checked[1]
    fit = _newest_fit_row(framework)
    if fit is None:
        enqueued = _enqueued.get(framework.pk)
        if enqueued is None or time.monotonic() - enqueued >= settings.PRACTICE_FIT_ENQUEUE_AGAIN_SECONDS:
            learner_model_fit_enqueue(framework)
            fit = _newest_fit_row(framework)  # a backend that runs tasks at once (tests) has fitted it
    if fit is None:
        codes = "\n".join(prerequisite_map(framework))
        key = (0, framework.pk, "default:" + hashlib.sha256(codes.encode()).hexdigest()[:16])
    else:
        key = (fit.pk, framework.pk, fit.fitted_at.isoformat())
    _checked[framework.pk] = (time.monotonic(), key)
    return key


def _newest_fit(framework: Framework) -> tuple[LogisticEvidenceModel, MasteryTracker]:
    key = _newest_fit_key(framework)
    # with the framework's content version: a competency added since the models were loaded reloads them
    version = (*key, framework.content_version)
    cached = _loaded.fresh(framework.pk, version)
    if cached is not None:
        return cached
    codes = list(prerequisite_map(framework))
    models = None
    if key[0] != 0:
        texts = LearnerModelFit.objects.values_list("model_json", "mastery_json").get(pk=key[0])
        models = LogisticEvidenceModel.from_json(texts[0]), MasteryTracker.from_json(texts[1])
        if not models[1].model.parameters.keys() >= set(codes):
            # A competency added since the fit (on the framework page) is unknown to it: refit on the
            # worker, and meanwhile the default model stands in, as before a framework's first fit.
            learner_model_fit_enqueue(framework, missing_only=False)
            models = None
    if models is None:
        models = _default_models(codes)
    _loaded.keep(framework.pk, version, models, size=settings.PRACTICE_MODEL_CACHE_SIZE)
    return models


def model_for(framework: Framework) -> LogisticEvidenceModel:
    """The newest fitted predictive model of ``framework`` (the chance of a right next answer, for choosing
    items), loaded once per process; the default model while its first fit is on the worker's queue."""
    return _newest_fit(framework)[0]


def tracker_for(framework: Framework) -> MasteryTracker:
    """The mastery tracker fitted with :func:`model_for`'s model: the figure people are shown."""
    return _newest_fit(framework)[1]
