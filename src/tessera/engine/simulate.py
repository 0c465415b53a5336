"""Synthetic learners for policy experiments: a hidden known / not-known skill per competency.

Each competency has the classic knowledge-tracing dynamics (start known with ``prior``; after each practice
item learn with ``learn``, forget with ``forget``; answer right by ``guess`` when not known, wrong by
``slip`` when known). Prerequisites slow learning: while a prerequisite is not known the chance to learn is
multiplied by ``prerequisite_penalty``. Parameters come from a BKT fit with forgetting on ASSISTments 2009
train (see ``ASSISTMENTS_2009_DYNAMICS`` and ``parameters_from_bkt``). Everything is deterministic given
a seed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tessera.engine.tracing.bkt import BayesianKnowledgeTracing
from tessera.engine.tracing.interface import Response


@dataclass(frozen=True)
class CompetencyDynamics:
    """Hidden-skill dynamics of one competency (probabilities per practice item)."""

    prior: float
    learn: float
    guess: float
    slip: float
    forget: float = 0.0

    def __post_init__(self) -> None:
        for name in ("prior", "learn", "guess", "slip", "forget"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a probability in [0, 1], got {value}")


@dataclass(frozen=True)
class SimulationParameters:
    """A curriculum: competencies in teaching order, their dynamics and their prerequisites."""

    dynamics: Mapping[str, CompetencyDynamics]
    prerequisites: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    prerequisite_penalty: float = 0.3

    @property
    def competencies(self) -> list[str]:
        """Competencies in teaching order."""
        return list(self.dynamics)


# Skills at the 10th, 30th, 50th, 70th and 90th percentile of learning rate among the 67 skills with at least
# 500 answers, from BayesianKnowledgeTracing(fit_forgetting=True) fitted on assist2009_updated_train.csv.
# Used when the data file is not at hand; benchmarks/simulate.py refits from the file when it is.
ASSISTMENTS_2009_DYNAMICS: tuple[CompetencyDynamics, ...] = (
    CompetencyDynamics(prior=0.711, learn=0.071, guess=0.166, slip=0.320, forget=0.003),  # skill 2
    CompetencyDynamics(prior=0.569, learn=0.105, guess=0.267, slip=0.159, forget=0.028),  # skill 14
    CompetencyDynamics(prior=0.897, learn=0.160, guess=0.106, slip=0.250, forget=0.001),  # skill 68
    CompetencyDynamics(prior=0.622, learn=0.214, guess=0.399, slip=0.319, forget=0.014),  # skill 75
    CompetencyDynamics(prior=0.480, learn=0.346, guess=0.179, slip=0.259, forget=0.034),  # skill 86
)


def chain_curriculum(dynamics: Sequence[CompetencyDynamics], penalty: float = 0.3) -> SimulationParameters:
    """Competencies ``c0, c1, ...`` in order, each the prerequisite of the next.

    >>> curriculum = chain_curriculum(ASSISTMENTS_2009_DYNAMICS[:3])
    >>> curriculum.competencies, curriculum.prerequisites["c2"]
    (['c0', 'c1', 'c2'], ('c1',))
    """
    names = [f"c{position}" for position in range(len(dynamics))]
    prerequisites = {name: (names[position - 1],) for position, name in enumerate(names) if position}
    return SimulationParameters(dict(zip(names, dynamics, strict=True)), prerequisites, penalty)


def parameters_from_bkt(
    model: BayesianKnowledgeTracing, competencies: Sequence[str], penalty: float = 0.3
) -> SimulationParameters:
    """Dynamics of the given fitted competencies, chained as prerequisites in the order given."""
    dynamics = [
        CompetencyDynamics(p.prior, p.learn, p.guess, p.slip, p.forget)
        for p in (model.parameters[name] for name in competencies)
    ]
    return chain_curriculum(dynamics, penalty)


class SimulatedLearner:
    """One synthetic learner; its hidden state is visible to oracles through :meth:`knows`.

    Examples
    --------
    >>> curriculum = chain_curriculum(ASSISTMENTS_2009_DYNAMICS)
    >>> first = [SimulatedLearner(curriculum, seed=7).answer("c0") for _ in range(1)]
    >>> first == [SimulatedLearner(curriculum, seed=7).answer("c0")]
    True
    """

    def __init__(self, parameters: SimulationParameters, seed: int) -> None:
        self.parameters = parameters
        self._random = random.Random(seed)
        self._known = {
            name: self._random.random() < dynamics.prior for name, dynamics in parameters.dynamics.items()
        }

    def knows(self, competency: str) -> bool:
        """The hidden truth: does the learner know ``competency`` right now."""
        return self._known[competency]

    def answer(self, competency: str) -> int:
        """Answer one practice item (1 correct, 0 wrong), then maybe learn or forget."""
        if competency not in self._known:
            raise ValueError(f"unknown competency {competency!r} for this simulated curriculum")
        dynamics = self.parameters.dynamics[competency]
        draw = self._random.random()
        correct = int(draw >= dynamics.slip) if self._known[competency] else int(draw < dynamics.guess)
        if self._known[competency]:
            self._known[competency] = self._random.random() >= dynamics.forget
        else:
            ready = all(self._known[name] for name in self.parameters.prerequisites.get(competency, ()))
            chance = dynamics.learn * (1.0 if ready else self.parameters.prerequisite_penalty)
            self._known[competency] = self._random.random() < chance
        return correct

    def rest(self, days: float) -> None:
        """Time away from practice: each known competency is forgotten with its ``forget`` chance per day.

        ``forget`` is fitted per practice opportunity; counting a day as one opportunity is a simple reading
        of it that lets generated histories forget between sessions (a learner back after two weeks has
        forgotten more than one back the next day).

        >>> learner = SimulatedLearner(chain_curriculum(ASSISTMENTS_2009_DYNAMICS), seed=3)
        >>> before = sum(learner.knows(name) for name in learner.parameters.competencies)
        >>> learner.rest(1000)
        >>> sum(learner.knows(name) for name in learner.parameters.competencies) <= before
        True
        """
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        for name, known in self._known.items():
            if known:
                kept = (1.0 - self.parameters.dynamics[name].forget) ** days
                self._known[name] = self._random.random() < kept


def cohort_seeds(size: int, seed: int) -> list[int]:
    """Seeds of a cohort, so every policy can replay the very same learners.

    >>> cohort_seeds(3, seed=1) == cohort_seeds(3, seed=1)
    True
    """
    generator = random.Random(seed)
    return [generator.randrange(2**31) for _ in range(size)]


def practice_log(
    parameters: SimulationParameters, size: int, seed: int, min_items: int = 2, max_items: int = 15
) -> list[Response]:
    """Answers of a cohort that practises each competency, in order, for a random number of items.

    Used to fit a learner model on simulated data (never the cohort a policy is then evaluated on).

    >>> log = practice_log(chain_curriculum(ASSISTMENTS_2009_DYNAMICS[:2]), size=3, seed=0)
    >>> log == practice_log(chain_curriculum(ASSISTMENTS_2009_DYNAMICS[:2]), size=3, seed=0)
    True
    >>> sorted({response.competency for response in log})
    ['c0', 'c1']
    """
    lengths = random.Random(seed + 1)
    responses = []
    for number, learner_seed in enumerate(cohort_seeds(size, seed)):
        learner = SimulatedLearner(parameters, learner_seed)
        for competency in parameters.competencies:
            for _ in range(lengths.randint(min_items, max_items)):
                responses.append(Response(f"sim-{number}", competency, learner.answer(competency)))
    return responses
