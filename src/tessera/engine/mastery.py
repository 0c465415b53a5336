"""When does a competency count as mastered, and the mastery figure people are shown.

:class:`MasteryPolicy` is the rule (a figure at least a threshold, plus a minimum amount of evidence);
:class:`MasteryTracker` and :func:`mastery_step` give the figure and apply the rule answer by answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tessera.engine.tracing.bkt import BayesianKnowledgeTracing, BktParameters
from tessera.engine.tracing.interface import LearnerModel
from tessera.engine.tracing.state import LearnerState


@dataclass(frozen=True)
class MasteryPolicy:
    """A school's mastery rule.

    Parameters
    ----------
    threshold : float
        Minimum estimated probability of answering the next item correctly, strictly between 0 and 1.
    min_evidence : int
        Minimum number of answers on the competency before it can count as mastered.
    relative_to_ceiling : bool
        Compare the estimate with the model's estimate for the same learner after ``ceiling_streak`` more
        correct answers (what "keeps getting it right" looks like on this competency) instead of with 1.
        Competencies differ in how often even a learner who has mastered them slips; this makes one
        threshold fit them all, and stops practice once more correct answers would barely move the
        estimate ("predictive stability", Käser et al., LAK 2016).
    ceiling_streak : int
        Length of the hypothetical streak of correct answers used for the ceiling.

    Examples
    --------
    >>> MasteryPolicy(threshold=0.9, min_evidence=4)
    MasteryPolicy(threshold=0.9, min_evidence=4, relative_to_ceiling=False, ceiling_streak=5)
    >>> MasteryPolicy(threshold=1.5)
    Traceback (most recent call last):
    ...
    ValueError: mastery threshold must be strictly between 0 and 1, got 1.5
    """

    threshold: float = 0.85
    min_evidence: int = 3
    relative_to_ceiling: bool = False
    ceiling_streak: int = 5

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"mastery threshold must be strictly between 0 and 1, got {self.threshold}")
        if self.min_evidence < 0:
            raise ValueError(f"minimum evidence must be a non-negative count, got {self.min_evidence}")
        if self.ceiling_streak < 1:
            raise ValueError(f"ceiling streak must be at least 1, got {self.ceiling_streak}")


def is_mastered(estimate: float, evidence: int, policy: MasteryPolicy | None = None) -> bool:
    """Mastered when the estimate reaches the threshold and there is enough evidence.

    Examples
    --------
    >>> is_mastered(0.93, evidence=5)
    True
    >>> is_mastered(0.93, evidence=1)
    False
    >>> is_mastered(0.80, evidence=5, policy=MasteryPolicy(threshold=0.75))
    True
    """
    rule = policy or MasteryPolicy()
    if not 0.0 <= estimate <= 1.0:
        raise ValueError(f"estimate must be a probability in [0, 1], got {estimate}")
    return evidence >= rule.min_evidence and estimate >= rule.threshold


def mastery_level(
    model: LearnerModel, state: LearnerState, competency: str, policy: MasteryPolicy | None = None
) -> float:
    """The number the policy compares with its threshold: the estimate, or with ``relative_to_ceiling``
    the estimate as a share of the ceiling (capped at 1). Show learners this, so "mastered" and the
    percentage next to it agree.

    Examples
    --------
    >>> from tessera.engine.tracing import BayesianKnowledgeTracing, Response
    >>> log = [Response(f"l{i % 10}", "add", int(i > 30 or i % 3 == 0)) for i in range(200)]
    >>> model = BayesianKnowledgeTracing().fit(log)
    >>> state = model.update(model.initial_state(), "add", 1)
    >>> plain = mastery_level(model, state, "add")
    >>> plain == model.predict(state, "add")
    True
    >>> plain <= mastery_level(model, state, "add", MasteryPolicy(relative_to_ceiling=True)) <= 1.0
    True
    """
    rule = policy or MasteryPolicy()
    estimate = model.predict(state, competency)
    if rule.relative_to_ceiling:
        estimate = min(1.0, estimate / ceiling_estimate(model, state, competency, rule.ceiling_streak))
    return estimate


def competency_mastered(
    model: LearnerModel, state: LearnerState, competency: str, policy: MasteryPolicy | None = None
) -> bool:
    """Apply ``policy`` to a learner model's estimate and evidence count for one competency.

    Examples
    --------
    >>> from tessera.engine.tracing import BayesianKnowledgeTracing, Response
    >>> log = [Response(f"l{i % 10}", "add", int(i > 30 or i % 3 == 0)) for i in range(200)]
    >>> model = BayesianKnowledgeTracing().fit(log)
    >>> state = model.initial_state()
    >>> for _ in range(6):
    ...     state = model.update(state, "add", 1)
    >>> competency_mastered(model, state, "add", MasteryPolicy(threshold=0.8, min_evidence=3))
    True
    """
    level = mastery_level(model, state, competency, policy)
    return is_mastered(level, model.attempts(state, competency), policy or MasteryPolicy())


def ceiling_estimate(model: LearnerModel, state: LearnerState, competency: str, streak: int) -> float:
    """The model's estimate for this learner after ``streak`` more correct answers on ``competency``.

    Examples
    --------
    >>> from tessera.engine.tracing import BayesianKnowledgeTracing, Response
    >>> model = BayesianKnowledgeTracing().fit([Response("a", "add", 1), Response("a", "add", 0)])
    >>> start = model.initial_state()
    >>> ceiling_estimate(model, start, "add", 5) > model.predict(start, "add")
    True
    """
    for _ in range(streak):
        state = model.update(state, competency, 1)
    return model.predict(state, competency)


LOWEST, HIGHEST = 0.01, 0.99
"""The bounds of the mastery figure: shown from 1% to 99%."""


def _bounded(figure: float) -> float:
    return min(HIGHEST, max(LOWEST, figure))


def shown_percent(figure: float) -> int:
    """The figure as people see it, a whole percentage, rounded down: so "90%" is shown exactly when the
    figure reaches a 0.9 threshold, and every page and the practice page's script show the same number.

    Examples
    --------
    >>> shown_percent(0.8999), shown_percent(0.9), shown_percent(0.29)
    (89, 90, 29)
    """
    return math.floor(100.0 * figure + 1e-9)


class MasteryTracker:
    """The mastery figure people are shown: the probability that a learner knows a competency, moved only by
    answers on that competency, and only in the direction of the evidence.

    The predictive learner model (:class:`~tessera.engine.tracing.LogisticEvidenceModel`) estimates the
    chance that the *next* answer is right. That chance depends on what the learner answered just before on
    other competencies and on features whose fitted weights have either sign, so one correct answer lowered
    it about a third of the time on the demo school's fit: right for choosing the next item, wrong to show
    as "your mastery". This tracker keeps what people see apart from it: classic Bayesian knowledge tracing
    (fitted by EM alongside the predictive model) where an answer is evidence by Bayes' rule, and the chance
    to have learned from an item is credited when the answer shows it (a correct answer). With a fitted
    guess plus slip below 1 (the fit bounds each at 0.4) and no forgetting, a correct answer therefore never
    lowers the figure and a wrong one never raises it, whatever came before. The figure is kept between
    :data:`LOWEST` and :data:`HIGHEST`: evidence never makes anyone certain, and a figure stuck at exactly 1
    (where floating point ends after a long streak) would not move on a wrong answer any more.

    Parameters
    ----------
    model : BayesianKnowledgeTracing
        A fitted BKT model (its per-competency prior, learn, guess and slip).

    Examples
    --------
    >>> from tessera.engine.tracing import BayesianKnowledgeTracing, Response
    >>> log = [Response(f"l{i % 10}", "add", int(i > 30 or i % 3 == 0)) for i in range(200)]
    >>> tracker = MasteryTracker(BayesianKnowledgeTracing(seed=1).fit(log))
    >>> tracker.after("add", 0.5, correct=1) > 0.5 > tracker.after("add", 0.5, correct=0)
    True
    >>> LOWEST <= tracker.start("add") <= HIGHEST
    True
    """

    def __init__(self, model: BayesianKnowledgeTracing) -> None:
        for competency, parameters in model.parameters.items():
            if parameters.forget != 0.0 or parameters.guess + parameters.slip >= 1.0:
                raise ValueError(
                    f"competency {competency!r}: a mastery tracker needs no forgetting and guess + slip "
                    f"below 1, or answers could move the figure against the evidence (got {parameters})"
                )
        self.model = model

    def start(self, competency: str) -> float:
        """The figure before any answer on ``competency``: its fitted prior."""
        return _bounded(self._parameters(competency).prior)

    def after(self, competency: str, known: float, correct: int) -> float:
        """The figure after one answer, from the figure ``known`` before it."""
        if not 0.0 <= known <= 1.0:
            raise ValueError(f"a mastery figure is a probability in [0, 1], got {known}")
        parameters = self._parameters(competency)
        if correct:
            return _bounded(parameters.after_answer(known, 1))
        if_known, if_unknown = known * parameters.slip, (1.0 - known) * (1.0 - parameters.guess)
        return _bounded(if_known / (if_known + if_unknown))

    def to_json(self) -> str:
        return self.model.to_json()

    @classmethod
    def from_json(cls, text: str) -> MasteryTracker:
        return cls(BayesianKnowledgeTracing.from_json(text))

    def _parameters(self, competency: str) -> BktParameters:
        parameters = self.model.parameters.get(competency)
        if parameters is None:
            raise KeyError(f"competency {competency!r} is unknown to the mastery tracker")
        return parameters


@dataclass(frozen=True)
class MasteryRecord:
    """One learner's standing on one competency, as people are shown it.

    ``level`` is the tracker's figure, ``fresh_evidence`` the answers since mastery was last lost (or since
    the start), ``mastered`` whether the competency counts as mastered.
    """

    level: float
    fresh_evidence: int = 0
    mastered: bool = False


@dataclass(frozen=True)
class MasteryStep:
    """What one answer did: the record after it, and whether it newly mastered or lost the competency
    (``review_now``: a mastered competency whose figure fell below the threshold; a review decides)."""

    before: MasteryRecord
    after: MasteryRecord
    newly_mastered: bool = False
    lost: bool = False
    review_now: bool = False


def mastery_step(
    tracker: MasteryTracker,
    competency: str,
    record: MasteryRecord,
    correct: int,
    *,
    is_review: bool = False,
    policy: MasteryPolicy | None = None,
) -> MasteryStep:
    """Apply one answer to ``record``: the figure moves with the evidence, and mastery is kept until a review
    shows it is lost.

    A competency becomes mastered on the correct answer with which the rule first holds (figure at least
    the threshold, enough fresh evidence), never on a wrong one. Once mastered it stays mastered through
    practice: whenever its figure is below the threshold a review is asked for at once (``review_now``),
    and only a *review* answered wrong that takes the figure below the threshold takes mastery away
    (``lost``); fresh evidence then counts again from zero. So "mastered" is never shown beside a figure
    under the threshold without a review on its way.

    Examples
    --------
    >>> from tessera.engine.tracing import BayesianKnowledgeTracing, BktParameters
    >>> model = BayesianKnowledgeTracing()
    >>> model.parameters = {"add": BktParameters(prior=0.4, learn=0.1, guess=0.2, slip=0.1)}
    >>> tracker, record = MasteryTracker(model), MasteryRecord(0.4)
    >>> steps = []
    >>> for _ in range(4):
    ...     step = mastery_step(tracker, "add", record, 1, policy=MasteryPolicy(threshold=0.9))
    ...     steps.append(step.newly_mastered)
    ...     record = step.after
    >>> steps, round(record.level, 3)
    ([False, False, True, False], 0.99)
    >>> slipped = mastery_step(tracker, "add", record, 0, is_review=True)
    >>> slipped.lost, slipped.after.mastered, round(slipped.after.level, 3)  # one slip: not below 90% yet
    (False, True, 0.925)
    >>> mastery_step(tracker, "add", slipped.after, 0, is_review=True).lost
    True
    """
    rule = policy or MasteryPolicy()
    level = tracker.after(competency, record.level, correct)
    evidence = record.fresh_evidence + 1
    holds = is_mastered(level, evidence, rule)
    if record.mastered:
        lost = is_review and not correct and level < rule.threshold
        after = MasteryRecord(level, 0 if lost else evidence, not lost)
        review_now = not lost and level < rule.threshold
        return MasteryStep(record, after, lost=lost, review_now=review_now)
    newly = bool(correct) and holds
    return MasteryStep(record, MasteryRecord(level, evidence, newly), newly_mastered=newly)
