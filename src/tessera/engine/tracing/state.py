"""Learner state shared by every tracing model: a few numbers per learner and per learner-competency."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

StateNumbers = tuple[float, ...]


@dataclass(frozen=True)
class LearnerState:
    """What a tracing model remembers about one learner, small enough to store in two database rows.

    Parameters
    ----------
    model : str
        Name of the model that wrote the state; a state is only valid for that model family.
    learner : tuple of float
        A few numbers about the learner as a whole (for example a running ability estimate).
    competencies : mapping of str to tuple of float
        A few numbers per competency the learner has answered on.
    recent : tuple of str
        The competencies of the learner's last answers, most recent first (at most a few).

    Notes
    -----
    The state is immutable: models return a new ``LearnerState`` from ``update`` and share the unchanged
    entries with the old one. A service that keeps one row per learner-competency can build a state holding
    only the competency it is about to update (``state.restricted_to([competency])``), which keeps the
    update O(1) whatever the number of competencies the learner has seen.

    Examples
    --------
    >>> state = LearnerState("bkt", learner=(), competencies={"fractions": (0.4, 1.0, 0.0)})
    >>> LearnerState.from_json(state.to_json()) == state
    True
    """

    model: str
    learner: StateNumbers = ()
    competencies: Mapping[str, StateNumbers] = field(default_factory=dict)
    recent: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "competencies", MappingProxyType(dict(self.competencies)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LearnerState):
            return NotImplemented
        return (
            self.model == other.model
            and self.learner == other.learner
            and dict(self.competencies) == dict(other.competencies)
            and self.recent == other.recent
        )

    def __hash__(self) -> int:
        return hash((self.model, self.learner, tuple(sorted(self.competencies.items())), self.recent))

    def with_entry(
        self, learner: StateNumbers, competency: str, numbers: StateNumbers, recent: tuple[str, ...] = ()
    ) -> LearnerState:
        """Return a new state with new learner numbers, one competency entry replaced and new ``recent``."""
        current = self.competencies
        # mappingproxy.copy() copies the underlying dict at C speed; dict(proxy) walks it key by key.
        entries = current.copy() if isinstance(current, MappingProxyType) else dict(current)
        entries[competency] = numbers
        return LearnerState._from_trusted(self.model, learner, entries, recent)

    @classmethod
    def _from_trusted(
        cls, model: str, learner: StateNumbers, entries: dict[str, StateNumbers], recent: tuple[str, ...]
    ) -> LearnerState:
        """Build a state around a fresh dict that nobody else holds, skipping the defensive copy."""
        state = object.__new__(cls)
        object.__setattr__(state, "model", model)
        object.__setattr__(state, "learner", learner)
        object.__setattr__(state, "competencies", MappingProxyType(entries))
        object.__setattr__(state, "recent", recent)
        return state

    def restricted_to(self, competencies: list[str]) -> LearnerState:
        """Return the learner numbers plus only the given competency entries (those present)."""
        kept = {name: self.competencies[name] for name in competencies if name in self.competencies}
        return LearnerState(self.model, self.learner, kept, self.recent)

    def to_json(self) -> str:
        """Serialize to a JSON string (floats written with full precision, so the round-trip is exact)."""
        payload: dict[str, Any] = {
            "model": self.model,
            "learner": list(self.learner),
            "competencies": {name: list(numbers) for name, numbers in self.competencies.items()},
            "recent": list(self.recent),
        }
        return json.dumps(payload, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LearnerState:
        """Rebuild a state written by :meth:`to_json`; raises ``ValueError`` on a malformed document."""
        try:
            payload = json.loads(text)
            model = str(payload["model"])
            learner = tuple(float(number) for number in payload["learner"])
            competencies = {
                str(name): tuple(float(number) for number in numbers)
                for name, numbers in payload["competencies"].items()
            }
            recent = tuple(str(name) for name in payload.get("recent", []))
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"learner state JSON is malformed: {error}") from error
        return cls(model, learner, competencies, recent)

    def entry_size_bytes(self, competency: str) -> int:
        """Bytes of JSON needed to store one learner-competency entry."""
        return len(json.dumps({competency: list(self.competencies[competency])}, separators=(",", ":")))
