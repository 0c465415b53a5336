"""Classic Bayesian knowledge tracing: one hidden known / not-known state per learner and competency."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from tessera.engine.tracing.interface import Evidence, Explanation, Response
from tessera.engine.tracing.responses import group_by_learner, known_competencies
from tessera.engine.tracing.state import LearnerState
from tessera.engine.tracing.validation import (
    check_competency_known,
    check_fitted,
    check_state_model,
    checked_correctness,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
# Learner-competency numbers: probability the competency is known before the next answer, answers, correct.
KNOWN, ANSWERS, CORRECT = range(3)


@dataclass(frozen=True)
class BktParameters:
    """One competency's numbers: P(known at start), P(learn per item), P(guess), P(slip), P(forget)."""

    prior: float
    learn: float
    guess: float
    slip: float
    forget: float = 0.0

    def correct_probability(self, known: float) -> float:
        """Chance of a correct answer given the probability that the competency is known."""
        return known * (1.0 - self.slip) + (1.0 - known) * self.guess

    def after_answer(self, known: float, correct: int) -> float:
        """P(known before the next item) after one answer: Bayes' rule, then the chance to learn / forget."""
        if correct:
            evidence_known, evidence_unknown = known * (1.0 - self.slip), (1.0 - known) * self.guess
        else:
            evidence_known, evidence_unknown = known * self.slip, (1.0 - known) * (1.0 - self.guess)
        posterior = evidence_known / (evidence_known + evidence_unknown)
        return posterior * (1.0 - self.forget) + (1.0 - posterior) * self.learn


DEFAULT_PARAMETERS = BktParameters(prior=0.4, learn=0.1, guess=0.2, slip=0.1)


@dataclass(frozen=True)
class RaggedSequences:
    """Per (learner, competency) answer sequences stored time-major for vectorised forward-backward.

    Rows are sorted by length, longest first, so at time ``t`` the active rows are ``0 .. active[t]-1`` and
    their answers are ``correct[offsets[t]:offsets[t + 1]]``.
    """

    correct: FloatArray
    skill: IntArray
    offsets: IntArray
    active: IntArray
    row_skill: IntArray

    @classmethod
    def from_sequences(cls, sequences: list[tuple[int, list[int]]]) -> RaggedSequences:
        ordered = sorted(sequences, key=lambda item: -len(item[1]))
        lengths = np.array([len(answers) for _, answers in ordered], dtype=np.int64)
        row_skill = np.array([skill for skill, _ in ordered], dtype=np.int64)
        longest = int(lengths[0]) if len(lengths) else 0
        active = np.array([int(np.sum(lengths > t)) for t in range(longest)], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(active)]).astype(np.int64)
        correct = np.empty(int(offsets[-1]), dtype=np.float64)
        for t in range(longest):
            correct[offsets[t] : offsets[t + 1]] = [answers[t] for _, answers in ordered[: active[t]]]
        skill = np.concatenate([row_skill[:count] for count in active]) if longest else row_skill[:0]
        return cls(correct, skill, offsets, active, row_skill)


class BayesianKnowledgeTracing:
    """Classic BKT: per-competency prior, learn, guess and slip (optionally forget) fitted by EM.

    The expectation step is a forward-backward pass vectorised over every (learner, competency) sequence at
    once. Competencies with little data are pulled towards the average parameters (pseudo-counts), and a
    competency without data starts from its prerequisites' parameters, or the average ones.

    Parameters
    ----------
    iterations : int
        EM iterations.
    fit_forgetting : bool
        Also fit a per-competency chance to forget between items (classic BKT keeps it at zero).
    seed : int
        Seeds a small jitter of the starting parameters, so fits are reproducible.

    Examples
    --------
    >>> from tessera.engine.tracing import BayesianKnowledgeTracing, Response
    >>> log = [Response(f"l{i % 10}", "add", int(i > 30 or i % 3 == 0)) for i in range(200)]
    >>> model = BayesianKnowledgeTracing(seed=1).fit(log)
    >>> state = model.update(model.initial_state(), "add", 1)
    >>> model.predict(state, "add") > model.predict(model.initial_state(), "add")
    True
    """

    name = "bkt"

    def __init__(
        self, iterations: int = 30, fit_forgetting: bool = False, seed: int = 0, pseudo_counts: float = 5.0
    ) -> None:
        self.iterations = iterations
        self.fit_forgetting = fit_forgetting
        self.seed = seed
        self.pseudo_counts = pseudo_counts
        self.parameters: dict[str, BktParameters] = {}

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        responses: Iterable[Response],
        competencies: Iterable[str] = (),
        prerequisites: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        """Fit per-competency parameters by EM on answers in time order; returns ``self``."""
        sequences = group_by_learner(responses)
        names = known_competencies(sequences, competencies, prerequisites)
        index = {name: position for position, name in enumerate(names)}
        per_skill: dict[tuple[str, int], list[int]] = {}
        for learner, sequence in sequences.items():
            for competency, correct in sequence:
                per_skill.setdefault((learner, index[competency]), []).append(correct)
        if not per_skill:
            raise ValueError("cannot fit a learner model on an empty list of responses")
        data = RaggedSequences.from_sequences([(skill, answers) for (_, skill), answers in per_skill.items()])
        table = self._expectation_maximisation(data, len(names))
        has_data = np.bincount(data.row_skill, minlength=len(names)) > 0
        self.parameters = {
            name: BktParameters(*(float(value) for value in table[index[name]]))
            for name in names
            if has_data[index[name]]
        }
        fallback = self._average_parameters()
        for name in names:
            if name not in self.parameters:
                sources = [
                    self.parameters[p] for p in (prerequisites or {}).get(name, ()) if p in self.parameters
                ]
                self.parameters[name] = self._mean_of(sources) if sources else fallback
        return self

    def _expectation_maximisation(self, data: RaggedSequences, n_skills: int) -> FloatArray:
        rng = np.random.default_rng(self.seed)
        start = np.array(
            [
                DEFAULT_PARAMETERS.prior,
                DEFAULT_PARAMETERS.learn,
                DEFAULT_PARAMETERS.guess,
                DEFAULT_PARAMETERS.slip,
                0.01 if self.fit_forgetting else 0.0,
            ]
        )
        table = np.tile(start, (n_skills, 1)) * (1.0 + 0.05 * rng.uniform(-1, 1, size=(n_skills, 5)))
        for _ in range(self.iterations):
            known, after_learn, after_forget = self._smoothed_known(data, table)
            table = self._maximise(data, table, known, after_learn, after_forget, n_skills)
        return table

    @staticmethod
    def _smoothed_known(
        data: RaggedSequences, table: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Forward-backward: P(known at each answer | whole sequence) and expected learn / forget events."""
        prior, learn, guess, slip, forget = (table[:, column] for column in range(5))
        skill, correct, offsets, active = data.skill, data.correct, data.offsets, data.active
        predicted = np.empty_like(correct)
        filtered = np.empty_like(correct)
        for t, count in enumerate(active):
            span = slice(offsets[t], offsets[t + 1])
            rows_skill = skill[span]
            if t == 0:
                belief = prior[rows_skill]
            else:
                previous = filtered[offsets[t - 1] : offsets[t - 1] + count]
                belief = previous * (1.0 - forget[rows_skill]) + (1.0 - previous) * learn[rows_skill]
            belief = np.clip(belief, 1e-6, 1.0 - 1e-6)
            answer = correct[span]
            if_known = np.where(answer == 1.0, 1.0 - slip[rows_skill], slip[rows_skill])
            if_unknown = np.where(answer == 1.0, guess[rows_skill], 1.0 - guess[rows_skill])
            predicted[span] = belief
            filtered[span] = belief * if_known / (belief * if_known + (1.0 - belief) * if_unknown)
        smoothed = filtered.copy()
        learned = np.zeros_like(correct)
        forgot = np.zeros_like(correct)
        for t in range(len(active) - 2, -1, -1):
            count_next = active[t + 1]
            here = slice(offsets[t], offsets[t] + count_next)
            there = slice(offsets[t + 1], offsets[t + 2])
            rows_skill = skill[here]
            now, next_known, next_belief = filtered[here], smoothed[there], predicted[there]
            known_to_known = now * (1.0 - forget[rows_skill]) * next_known / next_belief
            unknown_to_known = (1.0 - now) * learn[rows_skill] * next_known / next_belief
            known_to_unknown = now * forget[rows_skill] * (1.0 - next_known) / (1.0 - next_belief)
            smoothed[here] = known_to_known + known_to_unknown
            learned[here] = unknown_to_known
            forgot[here] = known_to_unknown
        return np.clip(smoothed, 0.0, 1.0), learned, forgot

    def _maximise(
        self,
        data: RaggedSequences,
        table: FloatArray,
        known: FloatArray,
        learned: FloatArray,
        forgot: FloatArray,
        n_skills: int,
    ) -> FloatArray:
        def total(values: FloatArray) -> FloatArray:
            return np.bincount(data.skill, weights=values, minlength=n_skills).astype(np.float64)

        first = slice(0, int(data.offsets[1])) if len(data.offsets) > 1 else slice(0, 0)
        has_next = np.zeros_like(known)
        for t in range(len(data.active) - 1):
            has_next[data.offsets[t] : data.offsets[t] + data.active[t + 1]] = 1.0
        unknown = 1.0 - known
        m = self.pseudo_counts
        prior_sum = np.bincount(data.skill[first], weights=known[first], minlength=n_skills)
        starts = np.bincount(data.skill[first], minlength=n_skills)
        mean = table.mean(axis=0)
        new = np.empty_like(table)
        new[:, 0] = (prior_sum + m * mean[0]) / (starts + m)
        new[:, 1] = (total(learned) + m * mean[1]) / (total(unknown * has_next) + m)
        new[:, 2] = (total(unknown * data.correct) + m * mean[2]) / (total(unknown) + m)
        new[:, 3] = (total(known * (1.0 - data.correct)) + m * mean[3]) / (total(known) + m)
        if self.fit_forgetting:
            new[:, 4] = (total(forgot) + m * mean[4]) / (total(known * has_next) + m)
        else:
            new[:, 4] = 0.0
        bounds_low = np.array([1e-3, 1e-3, 1e-3, 1e-3, 0.0])
        bounds_high = np.array([0.999, 0.5, 0.4, 0.4, 0.2])
        clipped: FloatArray = np.clip(new, bounds_low, bounds_high)
        return clipped

    def _average_parameters(self) -> BktParameters:
        return self._mean_of(list(self.parameters.values())) if self.parameters else DEFAULT_PARAMETERS

    @staticmethod
    def _mean_of(parameters: list[BktParameters]) -> BktParameters:
        values = np.array([[p.prior, p.learn, p.guess, p.slip, p.forget] for p in parameters]).mean(axis=0)
        return BktParameters(*(float(value) for value in values))

    # ------------------------------------------------------------------ persistence
    def to_json(self) -> str:
        """The fitted parameters as JSON, to store after an offline fit and load in the web process."""
        check_fitted(bool(self.parameters), self.name)
        payload = {
            "model": self.name,
            "options": [self.iterations, self.fit_forgetting, self.seed, self.pseudo_counts],
            "parameters": {name: list(astuple(values)) for name, values in self.parameters.items()},
        }
        return json.dumps(payload, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Self:
        """Load a model written by :meth:`to_json`; raises ``ValueError`` if the document is not one.

        >>> from tessera.engine.tracing import Response
        >>> model = BayesianKnowledgeTracing().fit([Response("a", "add", 1), Response("a", "add", 0)])
        >>> BayesianKnowledgeTracing.from_json(model.to_json()).parameters == model.parameters
        True
        """
        try:
            payload: dict[str, Any] = json.loads(text)
            if payload["model"] != cls.name:
                raise ValueError(f"document holds model {payload['model']!r}, not {cls.name!r}")
            iterations, fit_forgetting, seed, pseudo_counts = payload["options"]
            model = cls(int(iterations), bool(fit_forgetting), int(seed), float(pseudo_counts))
            model.parameters = {
                str(name): BktParameters(*(float(value) for value in values))
                for name, values in payload["parameters"].items()
            }
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"model JSON is malformed: {error}") from error
        return model

    # ------------------------------------------------------------------ online use
    def initial_state(self) -> LearnerState:
        """The state of a learner with no answers yet."""
        return LearnerState(self.name, (), {})

    def predict(self, state: LearnerState, competency: str) -> float:
        """Probability that the next answer on ``competency`` is correct."""
        parameters = self._checked_parameters(state, competency)
        return parameters.correct_probability(self.known_probability(state, competency))

    def known_probability(self, state: LearnerState, competency: str) -> float:
        """Probability that the learner knows ``competency`` (the classic BKT mastery estimate)."""
        parameters = self._checked_parameters(state, competency)
        entry = state.competencies.get(competency)
        return parameters.prior if entry is None else entry[KNOWN]

    def update(self, state: LearnerState, competency: str, correct: int) -> LearnerState:
        """A new state after one answer; ``state`` is left untouched."""
        correct = checked_correctness(correct)
        parameters = self._checked_parameters(state, competency)
        entry = state.competencies.get(competency, (parameters.prior, 0.0, 0.0))
        known = parameters.after_answer(entry[KNOWN], correct)
        new_entry = (known, entry[ANSWERS] + 1.0, entry[CORRECT] + correct)
        return state.with_entry(state.learner, competency, new_entry, state.recent)

    def attempts(self, state: LearnerState, competency: str) -> int:
        """Number of answers on ``competency`` in the state."""
        self._checked_parameters(state, competency)
        entry = state.competencies.get(competency)
        return 0 if entry is None else int(entry[ANSWERS])

    def explain(self, state: LearnerState, competency: str) -> Explanation:
        """The estimate and the answers that raised or lowered it, compared with the competency's start."""
        parameters = self._checked_parameters(state, competency)
        entry = state.competencies.get(competency, (parameters.prior, 0.0, 0.0))
        right, wrong = int(entry[CORRECT]), int(entry[ANSWERS] - entry[CORRECT])
        change = _logit(entry[KNOWN]) - _logit(parameters.prior)
        from_right = right * math.log((1.0 - parameters.slip) / parameters.guess)
        from_wrong = wrong * math.log(parameters.slip / (1.0 - parameters.guess))
        evidence = [
            Evidence(f"{right} correct answer(s) on {competency}", from_right),
            Evidence(f"{wrong} wrong answer(s) on {competency}", from_wrong),
            Evidence(
                f"Learning from practice on {competency} (and a typical start of {parameters.prior:.0%})",
                change - from_right - from_wrong,
            ),
        ]
        evidence = [item for item in evidence if item.effect != 0.0 or entry[ANSWERS] == 0]
        evidence.sort(key=lambda item: -abs(item.effect))
        return Explanation(competency, self.predict(state, competency), tuple(evidence))

    def _checked_parameters(self, state: LearnerState, competency: str) -> BktParameters:
        check_fitted(bool(self.parameters), self.name)
        check_state_model(state, self.name)
        check_competency_known(competency, self.parameters, self.name)
        return self.parameters[competency]


def _logit(probability: float) -> float:
    clipped = min(max(probability, 1e-9), 1.0 - 1e-9)
    return math.log(clipped / (1.0 - clipped))
