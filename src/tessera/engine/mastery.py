"""When does a competency count as mastered: the model's estimate plus a minimum amount of evidence."""

from __future__ import annotations

from dataclasses import dataclass

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
