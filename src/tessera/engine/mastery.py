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

    Examples
    --------
    >>> MasteryPolicy(threshold=0.9, min_evidence=4)
    MasteryPolicy(threshold=0.9, min_evidence=4)
    >>> MasteryPolicy(threshold=1.5)
    Traceback (most recent call last):
    ...
    ValueError: mastery threshold must be strictly between 0 and 1, got 1.5
    """

    threshold: float = 0.85
    min_evidence: int = 3

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"mastery threshold must be strictly between 0 and 1, got {self.threshold}")
        if self.min_evidence < 0:
            raise ValueError(f"minimum evidence must be a non-negative count, got {self.min_evidence}")


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
    return is_mastered(model.predict(state, competency), model.attempts(state, competency), policy)
