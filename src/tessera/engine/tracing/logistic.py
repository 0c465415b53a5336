"""The primary learner model: a logistic model over recency-weighted evidence, with online abilities.

It belongs to the PFA / R-PFA / Elo / "Best-LR" family of knowledge-tracing models: the log-odds of the
next answer being correct is a weighted sum of a few numbers that are updated in O(1) per answer. Weights
are fitted offline by L-BFGS; per-competency terms are shrunk towards the global ones so that competencies
with little data fall back to the population (cold start).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple, Self

import numpy as np

from tessera.engine.tracing.interface import Evidence, Explanation, Response
from tessera.engine.tracing.regression import fit_logistic
from tessera.engine.tracing.responses import group_by_learner, known_competencies
from tessera.engine.tracing.state import LearnerState, StateNumbers
from tessera.engine.tracing.validation import (
    check_competency_known,
    check_fitted,
    check_state_model,
    checked_correctness,
)

NO_ANSWER = -1.0
# Learner numbers: answers so far, online ability, decayed successes / failures, recent and long-run
# residuals (answer minus competency base rate) with their decayed weights, last two answers (1, 0 or -1).
(COUNT, ABILITY, SUCCESSES, FAILURES, RECENT_RESIDUAL, RECENT_WEIGHT, LONG_RESIDUAL, LONG_WEIGHT, LAST,
 SECOND_LAST) = range(10)  # fmt: skip
INITIAL_LEARNER: StateNumbers = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, NO_ANSWER, NO_ANSWER)
# Learner-competency numbers: attempts, decayed successes / failures at a short and a long memory, last
# answer on it, learner step of that answer, online ability on this competency.
(ATTEMPTS, SHORT_SUCCESSES, SHORT_FAILURES, LONG_SUCCESSES, LONG_FAILURES, LAST_ON_COMPETENCY, LAST_STEP,
 COMPETENCY_ABILITY) = range(8)  # fmt: skip
INITIAL_ENTRY: StateNumbers = (0.0, 0.0, 0.0, 0.0, 0.0, NO_ANSWER, 0.0, 0.0)
SLOPE_COLUMNS = (0, 2, 3, 4, 7, 10, 21)
N_FEATURES = 24
EVIDENCE_GROUPS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("ability", (0, 17, 18, 19, 20)),
    ("practice", (1, 2, 3, 4, 5, 6, 7, 16)),
    ("last_on_competency", (8, 9)),
    ("latest_answers", (10, 11, 12, 13, 14, 15)),
    ("sequence", (21, 22, 23)),
)


@dataclass(frozen=True)
class EvidenceSettings:
    """Hyperparameters of :class:`LogisticEvidenceModel` (one configuration for every dataset).

    Memories are per-answer decay factors: 0.7 forgets fast, 0.97 remembers long.
    """

    ability_step: float = 0.4
    ability_step_decay: float = 0.02
    competency_step: float = 0.3
    short_memory: float = 0.7
    long_memory: float = 0.95
    learner_memory: float = 0.9
    recent_residual_memory: float = 0.7
    long_residual_memory: float = 0.97
    rate_prior_strength: float = 5.0
    sequence_prior_strength: float = 10.0
    intercept_shrinkage: float = 3.0
    slope_shrinkage: float = 20.0
    weight_shrinkage: float = 1.0
    max_iterations: int = 400


class CompetencyTerms(NamedTuple):
    """Fitted numbers of one competency."""

    base_rate: float
    difficulty: float
    intercept: float
    slopes: tuple[float, ...]
    has_data: bool


class SequenceLift(NamedTuple):
    """How much answering right after a given answer on another competency shifts the log-odds."""

    lift: float
    log_count: float


def sigmoid(log_odds: float) -> float:
    """Logistic function, safe for large magnitudes."""
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    exponential = math.exp(log_odds)
    return exponential / (1.0 + exponential)


def logit(probability: float) -> float:
    """Log-odds of a probability strictly between 0 and 1."""
    return math.log(probability / (1.0 - probability))


def sequence_lift(successes: float, count: float, base_rate: float, prior_strength: float) -> float:
    """Smoothed log-odds shift of the success rate observed in a context over the competency's base rate."""
    rate = (successes + prior_strength * base_rate) / (count + prior_strength)
    return logit(rate) - logit(base_rate)


def feature_vector(
    learner: StateNumbers,
    entry: StateNumbers,
    same_as_last: bool,
    base_rate: float,
    lag_one: SequenceLift | None,
    lag_two: SequenceLift | None,
) -> list[float]:
    """The 24 numbers the model weighs, read from the learner state in O(1)."""
    attempts = entry[ATTEMPTS]
    has_attempts = 1.0 if attempts > 0 else 0.0
    last_here = entry[LAST_ON_COMPETENCY]
    last, second_last = learner[LAST], learner[SECOND_LAST]
    same = 1.0 if same_as_last else 0.0
    gap = learner[COUNT] - entry[LAST_STEP] if attempts > 0 else 0.0
    return [
        learner[ABILITY],
        entry[COMPETENCY_ABILITY],
        math.log1p(attempts),
        entry[SHORT_SUCCESSES],
        entry[SHORT_FAILURES],
        entry[LONG_SUCCESSES],
        entry[LONG_FAILURES],
        (entry[SHORT_SUCCESSES] + base_rate) / (entry[SHORT_SUCCESSES] + entry[SHORT_FAILURES] + 1.0),
        1.0 if last_here == 1.0 else 0.0,
        1.0 if last_here == 0.0 else 0.0,
        1.0 if last == 1.0 else 0.0,
        1.0 if last == 0.0 else 0.0,
        same if last == 1.0 else 0.0,
        same if last == 0.0 else 0.0,
        1.0 if second_last == 1.0 else 0.0,
        1.0 if second_last == 0.0 else 0.0,
        math.log1p(gap) * has_attempts,
        (learner[SUCCESSES] + 1.4) / (learner[SUCCESSES] + learner[FAILURES] + 2.0),
        math.log1p(learner[COUNT]),
        learner[RECENT_RESIDUAL] / (learner[RECENT_WEIGHT] + 1.0),
        learner[LONG_RESIDUAL] / (learner[LONG_WEIGHT] + 3.0),
        lag_one.lift if lag_one else 0.0,
        lag_one.log_count if lag_one else 0.0,
        lag_two.lift if lag_two else 0.0,
    ]


def advanced_numbers(
    settings: EvidenceSettings,
    learner: StateNumbers,
    entry: StateNumbers,
    terms: CompetencyTerms,
    correct: int,
) -> tuple[StateNumbers, StateNumbers]:
    """Learner and competency numbers after one answer: a handful of float operations."""
    expected = sigmoid(learner[ABILITY] + entry[COMPETENCY_ABILITY] - terms.difficulty)
    surprise = correct - expected
    wrong = 1 - correct
    short, long = settings.short_memory, settings.long_memory
    residual = correct - terms.base_rate
    recent_memory, long_memory = settings.recent_residual_memory, settings.long_residual_memory
    new_learner = (
        learner[COUNT] + 1.0,
        learner[ABILITY]
        + settings.ability_step / (1.0 + settings.ability_step_decay * learner[COUNT]) * surprise,
        learner[SUCCESSES] * settings.learner_memory + correct,
        learner[FAILURES] * settings.learner_memory + wrong,
        learner[RECENT_RESIDUAL] * recent_memory + residual,
        learner[RECENT_WEIGHT] * recent_memory + 1.0,
        learner[LONG_RESIDUAL] * long_memory + residual,
        learner[LONG_WEIGHT] * long_memory + 1.0,
        float(correct),
        learner[LAST],
    )
    new_entry = (
        entry[ATTEMPTS] + 1.0,
        entry[SHORT_SUCCESSES] * short + correct,
        entry[SHORT_FAILURES] * short + wrong,
        entry[LONG_SUCCESSES] * long + correct,
        entry[LONG_FAILURES] * long + wrong,
        float(correct),
        learner[COUNT],
        entry[COMPETENCY_ABILITY]
        + settings.competency_step / (1.0 + settings.ability_step_decay * entry[ATTEMPTS]) * surprise,
    )
    return new_learner, new_entry


class LogisticEvidenceModel:
    """Primary learner model: logistic regression over recency-weighted evidence with online abilities.

    The log-odds that the next answer on a competency is correct adds up: an online (Elo-style) ability of
    the learner overall and on this competency; recency-weighted counts of correct and wrong answers on
    this competency (two memories, so older evidence fades); the last answer on it and the last two answers
    overall; time since it was last practised; and how learners usually did on this competency right after
    the answer just given on the previous one (transfer between related competencies). Each competency
    has its own intercept and its own weights on the practice counts, shrunk towards the global ones.

    Parameters
    ----------
    settings : EvidenceSettings, optional
        Hyperparameters; the defaults were tuned on a validation split of the training learners.
    seed : int, optional
        Accepted for a uniform interface; fitting is deterministic (L-BFGS from zero).

    Examples
    --------
    >>> from tessera.engine.tracing import LogisticEvidenceModel, Response
    >>> log = [Response(f"l{i % 20}", "add" if i % 3 else "sub", int(i % 5 != 0)) for i in range(300)]
    >>> model = LogisticEvidenceModel().fit(log)
    >>> state = model.update(model.initial_state(), "add", 1)
    >>> 0.0 <= model.predict(state, "add") <= 1.0
    True
    >>> right, wrong = model.update(state, "add", 1), model.update(state, "add", 0)
    >>> model.predict(right, "add") > model.predict(wrong, "add")
    True
    """

    name = "logistic-evidence"

    def __init__(self, settings: EvidenceSettings | None = None, seed: int = 0) -> None:
        self.settings = settings or EvidenceSettings()
        self.seed = seed
        self._terms: dict[str, CompetencyTerms] = {}
        self._weights: tuple[float, ...] = ()
        self._feature_means: tuple[float, ...] = ()
        self._global_intercept = 0.0
        self._lag_one: dict[tuple[str, float, str], SequenceLift] = {}
        self._lag_two: dict[tuple[str, float, str], SequenceLift] = {}
        self._fitted = False

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        responses: Iterable[Response],
        competencies: Iterable[str] = (),
        prerequisites: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        """Fit on answers in time order (per learner); returns ``self``.

        ``competencies`` declares competencies without answers yet; their predictions start from their
        prerequisites' fitted terms when ``prerequisites`` (competency -> its prerequisites) is given, else
        from the global ones.
        """
        settings = self.settings
        sequences = group_by_learner(responses)
        names = known_competencies(sequences, competencies, prerequisites)
        base_rates = self._base_rates(sequences, names, prerequisites)
        lag_counts = self._lag_counts(sequences)
        plain_terms = {
            name: CompetencyTerms(rate, -logit(rate), 0.0, (), False) for name, rate in base_rates.items()
        }
        index = {name: position for position, name in enumerate(names)}
        rows: list[list[float]] = []
        competency_rows: list[int] = []
        outcomes: list[float] = []
        for sequence in sequences.values():
            learner, entries, recent = INITIAL_LEARNER, dict[str, StateNumbers](), tuple[str, ...]()
            for competency, correct in sequence:
                terms = plain_terms[competency]
                lags = (
                    self._left_out_lift(
                        lag_counts, recent, learner, competency, correct, terms.base_rate, lag
                    )
                    for lag in (1, 2)
                )
                entry = entries.get(competency, INITIAL_ENTRY)
                same = bool(recent) and recent[0] == competency
                rows.append(feature_vector(learner, entry, same, terms.base_rate, *lags))
                competency_rows.append(index[competency])
                outcomes.append(float(correct))
                learner, entries[competency] = advanced_numbers(settings, learner, entry, terms, correct)
                recent = (competency, *recent[:1])
        if not rows:
            raise ValueError("cannot fit a learner model on an empty list of responses")
        fitted = fit_logistic(
            np.asarray(rows, dtype=np.float64),
            np.asarray(competency_rows, dtype=np.int64),
            np.asarray(outcomes, dtype=np.float64),
            len(names),
            SLOPE_COLUMNS,
            settings.intercept_shrinkage,
            settings.slope_shrinkage,
            settings.weight_shrinkage,
            settings.max_iterations,
        )
        self._global_intercept = fitted.intercept
        self._weights = tuple(float(weight) for weight in fitted.weights)
        self._feature_means = tuple(float(mean) for mean in fitted.feature_means)
        data_names = {competency for sequence in sequences.values() for competency, _ in sequence}
        self._terms = {
            name: CompetencyTerms(
                base_rates[name],
                -logit(base_rates[name]),
                float(fitted.competency_intercepts[index[name]]),
                tuple(float(slope) for slope in fitted.competency_slopes[index[name]]),
                name in data_names,
            )
            for name in names
        }
        self._borrow_from_prerequisites(prerequisites or {})
        self._lag_one, self._lag_two = (
            {
                key: SequenceLift(
                    sequence_lift(successes, count, base_rates[key[2]], settings.sequence_prior_strength),
                    math.log1p(count),
                )
                for key, (successes, count) in counts.items()
                if count >= 2
            }
            for counts in lag_counts
        )
        self._fitted = True
        return self

    def _base_rates(
        self,
        sequences: Mapping[str, list[tuple[str, int]]],
        names: list[str],
        prerequisites: Mapping[str, Sequence[str]] | None,
    ) -> dict[str, float]:
        successes = dict.fromkeys(names, 0.0)
        counts = dict.fromkeys(names, 0.0)
        for sequence in sequences.values():
            for competency, correct in sequence:
                successes[competency] += correct
                counts[competency] += 1.0
        overall = (sum(successes.values()) + 1.0) / (sum(counts.values()) + 2.0)
        strength = self.settings.rate_prior_strength
        rates = {name: (successes[name] + strength * overall) / (counts[name] + strength) for name in names}
        for name in names:
            with_data = [rates[p] for p in (prerequisites or {}).get(name, ()) if counts.get(p, 0.0) > 0]
            if counts[name] == 0 and with_data:
                rates[name] = sum(with_data) / len(with_data)
        return rates

    @staticmethod
    def _lag_counts(
        sequences: Mapping[str, list[tuple[str, int]]],
    ) -> tuple[dict[tuple[str, float, str], list[float]], dict[tuple[str, float, str], list[float]]]:
        lag_one: dict[tuple[str, float, str], list[float]] = {}
        lag_two: dict[tuple[str, float, str], list[float]] = {}
        for sequence in sequences.values():
            for step in range(1, len(sequence)):
                competency, correct = sequence[step]
                for lag, counts in ((1, lag_one), (2, lag_two)):
                    if step >= lag:
                        before, answer = sequence[step - lag]
                        tally = counts.setdefault((before, float(answer), competency), [0.0, 0.0])
                        tally[0] += correct
                        tally[1] += 1.0
        return lag_one, lag_two

    def _left_out_lift(
        self,
        lag_counts: tuple[dict[tuple[str, float, str], list[float]], ...],
        recent: tuple[str, ...],
        learner: StateNumbers,
        competency: str,
        correct: int,
        base_rate: float,
        lag: int,
    ) -> SequenceLift | None:
        """The lag feature while fitting, leaving the answer being predicted out of its own statistics."""
        if len(recent) < lag:
            return None
        answer = learner[LAST] if lag == 1 else learner[SECOND_LAST]
        successes, count = lag_counts[lag - 1][(recent[lag - 1], answer, competency)]
        successes, count = successes - correct, count - 1.0
        if count < 1:
            return None
        strength = self.settings.sequence_prior_strength
        return SequenceLift(sequence_lift(successes, count, base_rate, strength), math.log1p(count))

    def _borrow_from_prerequisites(self, prerequisites: Mapping[str, Sequence[str]]) -> None:
        for name, terms in list(self._terms.items()):
            sources = [self._terms[p] for p in prerequisites.get(name, ()) if p in self._terms]
            sources = [source for source in sources if source.has_data]
            if terms.has_data or not sources:
                continue
            intercept = sum(source.intercept for source in sources) / len(sources)
            slopes = tuple(float(value) for value in np.mean([source.slopes for source in sources], axis=0))
            self._terms[name] = terms._replace(intercept=intercept, slopes=slopes)

    def relabelled(self, names: Mapping[str, str]) -> Self:
        """A copy that knows each competency ``new`` of ``names`` (``new -> old``) by this model's terms of
        ``old``: a stand-in for a competency set the model was not fitted on, until it is. The sequence
        lifts (one competency answered just before another) are between this model's competencies, so the
        copy has none.

        >>> from tessera.engine.tracing import Response
        >>> model = LogisticEvidenceModel().fit([Response("a", "add", 1), Response("a", "add", 0)])
        >>> copy = model.relabelled({"sum": "add", "plus": "add"})
        >>> copy.predict(copy.initial_state(), "sum") == model.predict(model.initial_state(), "add")
        True
        """
        check_fitted(self._fitted, self.name)
        copy = type(self)(self.settings, self.seed)
        copy._global_intercept = self._global_intercept
        copy._weights = self._weights
        copy._feature_means = self._feature_means
        copy._terms = {new: self._terms[old] for new, old in names.items()}
        copy._fitted = True
        return copy

    # ------------------------------------------------------------------ persistence
    def to_json(self) -> str:
        """The fitted model as JSON, to store after an offline fit and load in the web process."""
        check_fitted(self._fitted, self.name)
        payload = {
            "model": self.name,
            "settings": asdict(self.settings),
            "intercept": self._global_intercept,
            "weights": self._weights,
            "feature_means": self._feature_means,
            "competencies": {name: list(terms) for name, terms in self._terms.items()},
            "lags": [
                [[before, answer, competency, *lift] for (before, answer, competency), lift in table.items()]
                for table in (self._lag_one, self._lag_two)
            ],
        }
        return json.dumps(payload, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Self:
        """Load a model written by :meth:`to_json`; raises ``ValueError`` if the document is not one.

        >>> from tessera.engine.tracing import Response
        >>> model = LogisticEvidenceModel().fit([Response("a", "add", 1), Response("a", "add", 0)])
        >>> copy = LogisticEvidenceModel.from_json(model.to_json())
        >>> copy.predict(copy.initial_state(), "add") == model.predict(model.initial_state(), "add")
        True
        """
        try:
            payload: dict[str, Any] = json.loads(text)
            if payload["model"] != cls.name:
                raise ValueError(f"document holds model {payload['model']!r}, not {cls.name!r}")
            model = cls(EvidenceSettings(**payload["settings"]))
            model._global_intercept = float(payload["intercept"])
            model._weights = tuple(float(weight) for weight in payload["weights"])
            model._feature_means = tuple(float(mean) for mean in payload["feature_means"])
            model._terms = {
                name: CompetencyTerms(
                    float(rate), float(difficulty), float(intercept), tuple(slopes), bool(has_data)
                )
                for name, (rate, difficulty, intercept, slopes, has_data) in payload["competencies"].items()
            }
            model._lag_one, model._lag_two = (
                {
                    (str(before), float(answer), str(competency)): SequenceLift(float(lift), float(count))
                    for before, answer, competency, lift, count in table
                }
                for table in payload["lags"]
            )
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"model JSON is malformed: {error}") from error
        model._fitted = True
        return model

    # ------------------------------------------------------------------ online use
    def initial_state(self) -> LearnerState:
        """The state of a learner with no answers yet."""
        return LearnerState(self.name, INITIAL_LEARNER, {})

    def predict(self, state: LearnerState, competency: str) -> float:
        """Probability that the next answer on ``competency`` is correct."""
        return sigmoid(self._log_odds(state, competency))

    def update(self, state: LearnerState, competency: str, correct: int) -> LearnerState:
        """A new state after one answer; ``state`` is left untouched."""
        correct = checked_correctness(correct)
        terms = self._checked_terms(state, competency)
        entry = state.competencies.get(competency, INITIAL_ENTRY)
        learner, new_entry = advanced_numbers(self.settings, state.learner, entry, terms, correct)
        return state.with_entry(learner, competency, new_entry, (competency, *state.recent[:1]))

    def attempts(self, state: LearnerState, competency: str) -> int:
        """Number of answers on ``competency`` in the state."""
        self._checked_terms(state, competency)
        return int(state.competencies.get(competency, INITIAL_ENTRY)[ATTEMPTS])

    def explain(self, state: LearnerState, competency: str) -> Explanation:
        """The estimate and the evidence behind it, compared with an average moment in the training data."""
        terms = self._checked_terms(state, competency)
        features = self._features(state, competency, terms)
        weights = self._effective_weights(terms)
        evidence = [
            Evidence(
                self._describe(group, state, competency),
                sum(weights[j] * (features[j] - self._feature_means[j]) for j in columns),
            )
            for group, columns in EVIDENCE_GROUPS
        ]
        evidence.append(Evidence(self._describe_difficulty(terms, competency), terms.intercept))
        evidence.sort(key=lambda item: -abs(item.effect))
        return Explanation(competency, self.predict(state, competency), tuple(evidence))

    # ------------------------------------------------------------------ internals
    def _checked_terms(self, state: LearnerState, competency: str) -> CompetencyTerms:
        check_fitted(self._fitted, self.name)
        check_state_model(state, self.name)
        check_competency_known(competency, self._terms, self.name)
        return self._terms[competency]

    def _features(self, state: LearnerState, competency: str, terms: CompetencyTerms) -> list[float]:
        recent, learner = state.recent, state.learner
        lag_one = self._lag_one.get((recent[0], learner[LAST], competency)) if recent else None
        lag_two = (
            self._lag_two.get((recent[1], learner[SECOND_LAST], competency)) if len(recent) > 1 else None
        )
        entry = state.competencies.get(competency, INITIAL_ENTRY)
        same = bool(recent) and recent[0] == competency
        return feature_vector(learner, entry, same, terms.base_rate, lag_one, lag_two)

    def _effective_weights(self, terms: CompetencyTerms) -> list[float]:
        weights = list(self._weights)
        for column, slope in zip(SLOPE_COLUMNS, terms.slopes, strict=False):
            weights[column] += slope
        return weights

    def _log_odds(self, state: LearnerState, competency: str) -> float:
        terms = self._checked_terms(state, competency)
        features = self._features(state, competency, terms)
        total = self._global_intercept + terms.intercept
        for weight, value in zip(self._weights, features, strict=True):
            total += weight * value
        for column, slope in zip(SLOPE_COLUMNS, terms.slopes, strict=False):
            total += slope * features[column]
        return total

    def _describe(self, group: str, state: LearnerState, competency: str) -> str:
        learner = state.learner
        entry = state.competencies.get(competency, INITIAL_ENTRY)
        if group == "ability":
            share = (learner[SUCCESSES] + 1e-9) / (learner[SUCCESSES] + learner[FAILURES] + 2e-9)
            if learner[COUNT] == 0:
                return "No answers from this learner yet (a new learner starts at the average)"
            count = int(learner[COUNT])
            plural = "s" if count != 1 else ""
            return f"Overall record: {count} answer{plural}, about {share:.0%} of the recent ones correct"
        if group == "practice":
            if entry[ATTEMPTS] == 0:
                return f"No practice on {competency} yet"
            share = entry[LONG_SUCCESSES] / (entry[LONG_SUCCESSES] + entry[LONG_FAILURES])
            count = int(entry[ATTEMPTS])
            return (
                f"Practice on {competency}: {count} answer{'s' if count != 1 else ''}, about {share:.0%} "
                "correct, recent answers counting more"
            )
        if group == "last_on_competency":
            if entry[ATTEMPTS] == 0:
                return f"No earlier answer on {competency}"
            verdict = "correct" if entry[LAST_ON_COMPETENCY] == 1.0 else "wrong"
            return f"The last answer on {competency} was {verdict}"
        if group == "latest_answers":
            if not state.recent:
                return "No recent answers"
            verdict = "correct" if learner[LAST] == 1.0 else "wrong"
            return f"The learner's most recent answer (on {state.recent[0]}) was {verdict}"
        if not state.recent:
            return "No answer just before on a related competency"
        verdict = "correctly" if learner[LAST] == 1.0 else "wrongly"
        return f"How learners usually do on {competency} right after answering {state.recent[0]} {verdict}"

    @staticmethod
    def _describe_difficulty(terms: CompetencyTerms, competency: str) -> str:
        if not terms.has_data:
            return f"{competency} has no answers in the training data yet (treated as average)"
        ease = "easier" if terms.intercept >= 0 else "harder"
        return f"{competency} is {ease} than average for learners at the same point"
