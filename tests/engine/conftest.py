"""Small synthetic answer logs shared by the engine tests (never the real benchmark files)."""

from __future__ import annotations

import os

# Small L-BFGS problems are many times slower with a multi-threaded BLAS; set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import random
from collections.abc import Callable

import pytest

from tessera.engine.tracing import BayesianKnowledgeTracing, LearnerModel, LogisticEvidenceModel, Response

COMPETENCIES = ("add", "subtract", "multiply")


def learning_log(seed: int = 0, learners: int = 40, items: int = 12) -> list[Response]:
    """Learners who start weak and get better with practice; stronger learners start higher."""
    generator = random.Random(seed)
    responses = []
    for number in range(learners):
        ability = generator.uniform(-1.0, 1.0)
        for competency in COMPETENCIES:
            for attempt in range(items):
                chance = min(0.95, max(0.05, 0.35 + 0.05 * attempt + 0.2 * ability))
                responses.append(Response(f"learner-{number}", competency, int(generator.random() < chance)))
    return responses


MODEL_FACTORIES: dict[str, Callable[[int], LearnerModel]] = {
    "bkt": lambda seed: BayesianKnowledgeTracing(seed=seed),
    "logistic-evidence": lambda seed: LogisticEvidenceModel(seed=seed),
}


@pytest.fixture(params=sorted(MODEL_FACTORIES))
def build_model(request: pytest.FixtureRequest) -> Callable[[int], LearnerModel]:
    """A factory ``seed -> unfitted model`` for every learner model."""
    return MODEL_FACTORIES[request.param]


@pytest.fixture(scope="session")
def log() -> list[Response]:
    return learning_log()


@pytest.fixture(scope="session", params=sorted(MODEL_FACTORIES))
def fitted(request: pytest.FixtureRequest, log: list[Response]) -> LearnerModel:
    """Every model fitted once on the shared log (models are never mutated after fit)."""
    return MODEL_FACTORIES[request.param](0).fit(log)


@pytest.fixture(scope="session")
def fitted_models(log: list[Response]) -> list[LearnerModel]:
    """Every model fitted once, for property-based tests that must not refit per example."""
    return [factory(0).fit(log) for factory in MODEL_FACTORIES.values()]
