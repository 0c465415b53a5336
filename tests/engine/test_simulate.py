"""Synthetic learners: reproducible, and their hidden skill behaves like the generative model says."""

from __future__ import annotations

import pytest

from tessera.engine.simulate import (
    ASSISTMENTS_2009_DYNAMICS,
    CompetencyDynamics,
    SimulatedLearner,
    chain_curriculum,
    cohort_seeds,
    practice_log,
)


def test_same_seed_gives_the_same_learners_and_answers() -> None:
    curriculum = chain_curriculum(ASSISTMENTS_2009_DYNAMICS)
    assert practice_log(curriculum, size=5, seed=4) == practice_log(curriculum, size=5, seed=4)
    assert practice_log(curriculum, size=5, seed=4) != practice_log(curriculum, size=5, seed=5)
    assert cohort_seeds(10, seed=1) == cohort_seeds(10, seed=1)


def test_practice_teaches() -> None:
    dynamics = CompetencyDynamics(prior=0.0, learn=0.3, guess=0.1, slip=0.1)
    curriculum = chain_curriculum([dynamics])
    learners = [SimulatedLearner(curriculum, seed) for seed in range(300)]
    assert not any(learner.knows("c0") for learner in learners)
    for learner in learners:
        for _ in range(10):
            learner.answer("c0")
    assert sum(learner.knows("c0") for learner in learners) > 250


def test_guess_and_slip_shape_the_answers() -> None:
    never_learns = chain_curriculum([CompetencyDynamics(prior=0.0, learn=0.0, guess=0.25, slip=0.1)])
    answers = [SimulatedLearner(never_learns, seed).answer("c0") for seed in range(2000)]
    assert 0.2 < sum(answers) / len(answers) < 0.3
    always_knows = chain_curriculum([CompetencyDynamics(prior=1.0, learn=0.0, guess=0.25, slip=0.1)])
    answers = [SimulatedLearner(always_knows, seed).answer("c0") for seed in range(2000)]
    assert 0.85 < sum(answers) / len(answers) < 0.95


def test_missing_prerequisite_slows_learning() -> None:
    unknown_first = CompetencyDynamics(prior=0.0, learn=0.0, guess=0.1, slip=0.1)
    second = CompetencyDynamics(prior=0.0, learn=0.5, guess=0.1, slip=0.1)
    chained = chain_curriculum([unknown_first, second], penalty=0.2)
    learned = 0
    for seed in range(1000):
        learner = SimulatedLearner(chained, seed)
        learner.answer("c1")
        learned += learner.knows("c1")
    assert 50 < learned < 150  # 0.5 * 0.2 = 10% instead of 50%


def test_forgetting_loses_known_skills() -> None:
    forgetful = chain_curriculum([CompetencyDynamics(prior=1.0, learn=0.0, guess=0.1, slip=0.1, forget=0.5)])
    learners = [SimulatedLearner(forgetful, seed) for seed in range(400)]
    for learner in learners:
        learner.answer("c0")
    assert 120 < sum(learner.knows("c0") for learner in learners) < 280


def test_bad_parameters_and_unknown_competency_are_refused() -> None:
    with pytest.raises(ValueError, match="slip"):
        CompetencyDynamics(prior=0.5, learn=0.1, guess=0.2, slip=1.5)
    learner = SimulatedLearner(chain_curriculum(ASSISTMENTS_2009_DYNAMICS), seed=0)
    with pytest.raises(ValueError, match="unknown competency 'c99'"):
        learner.answer("c99")
