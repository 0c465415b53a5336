"""The mastery rule: an estimate plus a minimum amount of evidence, with a configurable threshold."""

from __future__ import annotations

import pytest

from tessera.engine.mastery import MasteryPolicy, ceiling_estimate, competency_mastered, is_mastered
from tessera.engine.tracing import LearnerModel, LearnerState


def replay(model: LearnerModel, answers: list[int], competency: str = "add") -> LearnerState:
    state = model.initial_state()
    for correct in answers:
        state = model.update(state, competency, correct)
    return state


def test_not_mastered_without_enough_evidence() -> None:
    policy = MasteryPolicy(threshold=0.8, min_evidence=4)
    assert not is_mastered(0.99, evidence=3, policy=policy)
    assert is_mastered(0.99, evidence=4, policy=policy)


def test_threshold_is_respected() -> None:
    assert not is_mastered(0.84, evidence=10, policy=MasteryPolicy(threshold=0.85))
    assert is_mastered(0.85, evidence=10, policy=MasteryPolicy(threshold=0.85))
    assert is_mastered(0.7, evidence=10, policy=MasteryPolicy(threshold=0.6))


@pytest.mark.parametrize(
    ("threshold", "min_evidence", "message"),
    [(0.0, 3, "threshold"), (1.0, 3, "threshold"), (0.9, -1, "evidence")],
)
def test_invalid_policy_is_refused(threshold: float, min_evidence: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MasteryPolicy(threshold=threshold, min_evidence=min_evidence)


def test_estimate_must_be_a_probability() -> None:
    with pytest.raises(ValueError, match="probability"):
        is_mastered(1.2, evidence=5)


def test_model_driven_mastery_needs_correct_answers(fitted: LearnerModel) -> None:
    policy = MasteryPolicy(threshold=0.75, min_evidence=3)
    assert not competency_mastered(fitted, replay(fitted, [1, 1]), "add", policy)
    assert competency_mastered(fitted, replay(fitted, [1] * 10), "add", policy)
    assert not competency_mastered(fitted, replay(fitted, [0] * 8), "add", policy)


def test_relative_rule_compares_with_a_streak_of_correct_answers(fitted: LearnerModel) -> None:
    policy = MasteryPolicy(threshold=0.9, min_evidence=3, relative_to_ceiling=True)
    struggling, fluent = replay(fitted, [0, 0, 0, 0]), replay(fitted, [1] * 14)
    assert ceiling_estimate(fitted, struggling, "add", 5) > fitted.predict(struggling, "add")
    assert not competency_mastered(fitted, struggling, "add", policy)
    assert competency_mastered(fitted, fluent, "add", policy)
