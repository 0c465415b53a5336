"""The fitted learner model of a framework: fit it (offline), store it, load it once per process.

A framework's model is fitted on the answers stored for it. Before anyone has answered, it is fitted on a
synthetic practice log from :func:`tessera.engine.simulate.practice_log` over the framework's competencies
(in teaching order, with the framework's prerequisites), so every competency is known to the model and a
new school can practise at once. While there are fewer than ``MIN_STORED_ANSWERS`` stored answers, the
simulated log is fitted together with them; ``manage.py fit_learner_model`` refits as answers accumulate.
The same log fits the :class:`~tessera.engine.mastery.MasteryTracker` that gives the mastery figure people
are shown (stored with the fit as ``mastery_json``).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tessera.curriculum.models import Framework
from tessera.curriculum.selectors import prerequisite_map
from tessera.engine.mastery import MasteryPolicy, MasteryTracker
from tessera.engine.simulate import ASSISTMENTS_2009_DYNAMICS, SimulationParameters, practice_log
from tessera.engine.tracing import BayesianKnowledgeTracing, LogisticEvidenceModel, Response
from tessera.practice.models import Answer, LearnerCompetencyState, LearnerModelFit

# The documented rule, on the mastery tracker's figure (the chance the learner knows it): 90 % and at least
# three answers since mastery was last lost, reached on a correct answer.
MASTERY_POLICY = MasteryPolicy(threshold=0.9, min_evidence=3)

SIMULATED_LEARNERS = 60
SIMULATION_SEED = 2026
MIN_STORED_ANSWERS = 1000

_loaded: dict[tuple[int, int, str], tuple[LogisticEvidenceModel, MasteryTracker]] = {}
_checked: dict[int, tuple[float, tuple[int, int, str]]] = {}
_lock = threading.Lock()


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


def fits_predate_tracker(framework: Framework) -> bool:
    """``framework`` has fits, all from before the mastery tracker (an upgraded install)."""
    fits = LearnerModelFit.objects.filter(framework=framework)
    return fits.exists() and not fits.exclude(mastery_json="").exists()


def learner_model_fit(*, framework: Framework, now: datetime | None = None) -> LearnerModelFit:
    """Fit a model for ``framework`` on its stored answers (or a synthetic log when there are none).

    The first fit with a mastery tracker of an upgraded install also recomputes the stored mastery figures
    from the stored answers (:func:`_figures_replay`), whichever path fits it first (``make run``'s
    ``fit_learner_model --missing-only``, or the first answer after a server was started by hand).
    """
    upgrading = fits_predate_tracker(framework)
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
        if upgrading:
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


def _newest_fit_key(framework: Framework) -> tuple[int, int, str]:
    """Which fit is newest, asked of the database at most every ``PRACTICE_FIT_CHECK_SECONDS`` per process
    (every answer needs the model; a refit is picked up within that time)."""
    window = settings.PRACTICE_FIT_CHECK_SECONDS
    checked = _checked.get(framework.pk)
    if checked is not None and time.monotonic() - checked[0] < window:
        return checked[1]
    fits = LearnerModelFit.objects.filter(framework=framework).exclude(mastery_json="")
    fit = fits.only("pk", "fitted_at").first()
    if fit is None:  # none yet, or only fits from before the mastery tracker
        fit = learner_model_fit(framework=framework)
    key = (fit.pk, framework.pk, fit.fitted_at.isoformat())
    _checked[framework.pk] = (time.monotonic(), key)
    return key


def _newest_fit(framework: Framework) -> tuple[LogisticEvidenceModel, MasteryTracker]:
    key = _newest_fit_key(framework)
    with _lock:
        models = _loaded.get(key)
        if models is None:
            texts = LearnerModelFit.objects.values_list("model_json", "mastery_json").get(pk=key[0])
            models = LogisticEvidenceModel.from_json(texts[0]), MasteryTracker.from_json(texts[1])
            _loaded[key] = models
    return models


def model_for(framework: Framework) -> LogisticEvidenceModel:
    """The newest fitted predictive model of ``framework`` (the chance of a right next answer, for choosing
    items), loaded once per process; fitted first if there is none."""
    return _newest_fit(framework)[0]


def tracker_for(framework: Framework) -> MasteryTracker:
    """The mastery tracker fitted with :func:`model_for`'s model: the figure people are shown."""
    return _newest_fit(framework)[1]
