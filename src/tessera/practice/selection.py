"""Which item comes next: pure logic, no database.

Items are in reach when the chance of answering them correctly is in a target band (not too easy, not
too hard). The model estimates the chance per competency; an item's own difficulty (logit scale) shifts it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tessera.engine.tracing.logistic import logit, sigmoid

TARGET_BAND = (0.6, 0.85)


@dataclass(frozen=True)
class Candidate:
    item_id: int
    difficulty: float


def item_success(competency_estimate: float, difficulty: float) -> float:
    """Chance of a correct answer on an item: the competency's estimate shifted by the item's difficulty.

    >>> round(item_success(0.5, 0.0), 3), item_success(0.7, 1.0) < 0.7
    (0.5, True)
    """
    clipped = min(max(competency_estimate, 1e-6), 1 - 1e-6)
    return sigmoid(logit(clipped) - difficulty)


def item_choose(
    candidates: Sequence[Candidate],
    competency_estimate: float,
    last_seen: Mapping[int, int] | None = None,
    band: tuple[float, float] = TARGET_BAND,
) -> tuple[Candidate, float] | None:
    """The candidate to show next and its predicted success, or None when there is none.

    ``last_seen`` maps items the learner answered before to when (any increasing number, e.g. the id of
    their last answer to it). Items never answered come first; then the one answered longest ago, so a
    learner does not see the item whose worked feedback they have just read. Among equals, the one whose
    predicted success is closest to the band (inside it counts as distance 0), ties broken towards the
    band's middle, then by id so the choice is deterministic.

    >>> items = [Candidate(1, -3.0), Candidate(2, 0.0), Candidate(3, 3.0)]
    >>> item_choose(items, 0.7)[0].item_id
    2
    >>> item_choose(items, 0.7, last_seen={2: 10})[0].item_id in (1, 3)
    True
    >>> item_choose(items, 0.7, last_seen={1: 5, 2: 10, 3: 7})[0].item_id
    1
    >>> item_choose([], 0.7) is None
    True
    """
    if not candidates:
        return None
    seen = last_seen or {}
    low, high = band
    middle = (low + high) / 2

    def rank(candidate: Candidate) -> tuple[int, float, float, int]:
        chance = item_success(competency_estimate, candidate.difficulty)
        outside = max(low - chance, chance - high, 0.0)
        return (seen.get(candidate.item_id, -1), outside, abs(chance - middle), candidate.item_id)

    best = min(candidates, key=rank)
    return best, item_success(competency_estimate, best.difficulty)
