"""Spaced review of mastered competencies, scheduled by FSRS (the ``fsrs`` library, not our own).

Each mastered competency of a learner has one FSRS card. It is rated *Good* when the competency is
mastered (the first time, or again after a lapse) and at each correct review, and *Again* when a review is
answered wrong. There are no learning steps: what FSRS would repeat after minutes is already covered by
practice until the mastery rule holds, so the first review comes days later. Fuzzing is off so a schedule
can be explained and tested.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler(desired_retention=0.9, learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def review_schedule(
    card: dict[str, Any] | None, *, remembered: bool, at: datetime
) -> tuple[dict[str, Any], datetime]:
    """Rate the card (a new one when ``card`` is None) and return it with the next review's due time (UTC;
    ``at`` may be in any time zone).

    >>> from datetime import UTC, datetime
    >>> start = datetime(2026, 9, 1, tzinfo=UTC)
    >>> card, due = review_schedule(None, remembered=True, at=start)
    >>> (due - start).days >= 1
    True
    >>> later, due_after = review_schedule(card, remembered=True, at=due)
    >>> due_after - due > due - start
    True
    >>> _, due_lapsed = review_schedule(later, remembered=False, at=due_after)
    >>> due_lapsed - due_after < due_after - due
    True
    """
    current = Card.from_dict(card) if card else Card(card_id=1)  # type: ignore[arg-type]
    rating = Rating.Good if remembered else Rating.Again
    reviewed, _ = SCHEDULER.review_card(current, rating, review_datetime=at.astimezone(UTC))
    return dict(reviewed.to_dict()), reviewed.due
