"""The interface every learner model implements, and the records it reads and returns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, Self, runtime_checkable

from tessera.engine.tracing.state import LearnerState


class Response(NamedTuple):
    """One answer, as logged: who answered, on which competency, and whether it was correct (1) or not (0)."""

    learner: str
    competency: str
    correct: int


@dataclass(frozen=True)
class Evidence:
    """One reason behind an estimate, in words for a teacher.

    ``effect`` is its change on the log-odds scale: positive raised the estimate, negative lowered it.
    """

    description: str
    effect: float

    @property
    def direction(self) -> str:
        """``"raised"`` or ``"lowered"``."""
        return "raised" if self.effect >= 0 else "lowered"

    def sentence(self) -> str:
        """The evidence as one sentence, e.g. ``"Answered the last 3 correctly: raised the estimate."``."""
        return f"{self.description}: {self.direction} the estimate."


@dataclass(frozen=True)
class Explanation:
    """An estimate and the evidence behind it, strongest first."""

    competency: str
    probability: float
    evidence: tuple[Evidence, ...]

    def sentences(self) -> list[str]:
        """Every piece of evidence as a teacher-readable sentence."""
        return [item.sentence() for item in self.evidence]


@runtime_checkable
class LearnerModel(Protocol):
    """What Tessera needs from a learner model (knowledge tracing).

    ``fit`` runs offline on a log of answers. Everything else is online and cheap: ``predict`` reads the
    state, ``update`` returns a new state after one answer (never mutating its input), ``explain`` says
    which evidence raised or lowered the estimate.
    """

    name: str

    def fit(
        self,
        responses: Iterable[Response],
        competencies: Iterable[str] = (),
        prerequisites: Mapping[str, Sequence[str]] | None = None,
    ) -> Self:
        """Fit the parameters on answers in time order; ``competencies`` may declare ones without data."""
        ...

    def initial_state(self) -> LearnerState:
        """The state of a learner who has answered nothing yet."""
        ...

    def predict(self, state: LearnerState, competency: str) -> float:
        """Probability that the learner answers the next item on ``competency`` correctly."""
        ...

    def update(self, state: LearnerState, competency: str, correct: int) -> LearnerState:
        """A new state after the learner answered one item on ``competency``."""
        ...

    def explain(self, state: LearnerState, competency: str) -> Explanation:
        """The estimate for ``competency`` and the evidence that raised or lowered it."""
        ...

    def attempts(self, state: LearnerState, competency: str) -> int:
        """How many answers on ``competency`` the state has seen (the amount of evidence)."""
        ...

    def to_json(self) -> str:
        """The fitted model as JSON (load it with the class's ``from_json``)."""
        ...
