"""The mastery figure people are shown (:class:`MasteryTracker`, :func:`mastery_step`), as properties over
thousands of random answer histories: a correct answer never lowers it, a wrong one never raises it, and
"Mastered!" comes once, on the correct answer with which the rule first holds, and stays until a review
shows it lost."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tessera.engine.mastery import (
    HIGHEST,
    LOWEST,
    MasteryPolicy,
    MasteryRecord,
    MasteryTracker,
    mastery_step,
    shown_percent,
)
from tessera.engine.tracing import BayesianKnowledgeTracing, BktParameters
from tests.engine.conftest import learning_log

POLICY = MasteryPolicy(threshold=0.9, min_evidence=3)

# Any parameters the EM fit can give (its bounds: learn <= 0.5, guess and slip <= 0.4).
parameters = st.builds(
    BktParameters,
    prior=st.floats(0.001, 0.999),
    learn=st.floats(0.0, 0.5),
    guess=st.floats(0.001, 0.4),
    slip=st.floats(0.001, 0.4),
)
# An answer: (correct, answered as a review)
answers = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40)


def tracker_with(values: BktParameters) -> MasteryTracker:
    model = BayesianKnowledgeTracing()
    model.parameters = {"c": values}
    return MasteryTracker(model)


@settings(max_examples=1500, deadline=None)
@given(values=parameters, history=answers)
def test_the_figure_moves_with_the_evidence_and_mastered_comes_once(
    values: BktParameters, history: list[tuple[bool, bool]]
) -> None:
    tracker = tracker_with(values)
    record = MasteryRecord(tracker.start("c"))
    for correct, review in history:
        is_review = review and record.mastered  # only a mastered competency is reviewed
        step = mastery_step(tracker, "c", record, int(correct), is_review=is_review, policy=POLICY)
        before, after = step.before.level, step.after.level
        assert step.before == record
        if correct:
            assert after >= before, f"a correct answer lowered {before:.4f} to {after:.4f}"
        else:  # and it does move: never stuck, whatever the streak before
            assert after < before or before == LOWEST, (
                f"a wrong answer did not lower {before:.4f} ({after:.4f})"
            )
        assert LOWEST <= after <= HIGHEST
        assert step.newly_mastered == (not record.mastered and step.after.mastered)
        if step.newly_mastered:
            assert correct and after >= POLICY.threshold and step.after.fresh_evidence >= POLICY.min_evidence
        if record.mastered and not step.after.mastered:
            assert step.lost and is_review and not correct, "mastery is taken away only by a wrong review"
            assert after < POLICY.threshold, "and only when it takes the figure below the threshold"
        if step.after.mastered and after < POLICY.threshold:
            assert step.review_now, "mastered below the threshold always has a review on its way"
        record = step.after


def test_the_fitted_tracker_keeps_the_properties_on_every_competency() -> None:
    """The same on a tracker fitted by EM (not only on drawn parameters): 1,000 seeded histories."""
    tracker = MasteryTracker(BayesianKnowledgeTracing(seed=3).fit(learning_log(seed=3)))
    generator = random.Random(2026)
    for history in range(1000):
        competency = ("add", "subtract", "multiply")[history % 3]
        record = MasteryRecord(tracker.start(competency))
        skill = generator.random()
        for _ in range(generator.randint(1, 30)):
            correct = int(generator.random() < skill)
            step = mastery_step(
                tracker, competency, record, correct, is_review=record.mastered, policy=POLICY
            )
            assert (step.after.level >= record.level) if correct else (step.after.level <= record.level)
            assert not step.newly_mastered or (correct and step.after.level >= POLICY.threshold)
            record = step.after


def test_a_long_streak_does_not_freeze_the_figure() -> None:
    tracker = tracker_with(BktParameters(0.4, 0.2, 0.1, 0.05))
    record = MasteryRecord(tracker.start("c"))
    for _ in range(200):
        record = mastery_step(tracker, "c", record, 1, policy=POLICY).after
    shown = [shown_percent(record.level)]
    for _ in range(2):
        record = mastery_step(tracker, "c", record, 0, is_review=True, policy=POLICY).after
        shown.append(shown_percent(record.level))
    assert shown[0] == 99 and shown[0] > shown[1] > shown[2], shown


@pytest.mark.parametrize("forget, guess, slip", [(0.05, 0.2, 0.1), (0.0, 0.6, 0.45)])
def test_a_tracker_that_could_move_against_the_evidence_is_refused(
    forget: float, guess: float, slip: float
) -> None:
    model = BayesianKnowledgeTracing()
    model.parameters = {"c": BktParameters(0.4, 0.1, guess, slip, forget)}
    with pytest.raises(ValueError, match="against the evidence"):
        MasteryTracker(model)


def test_a_figure_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="probability"):
        tracker_with(BktParameters(0.4, 0.1, 0.2, 0.1)).after("c", 1.5, 1)
