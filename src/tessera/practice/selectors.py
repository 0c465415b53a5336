"""The one answer to "how well does this learner master this competency": every page, the API, goals,
recommendations, peer help and the family pages read it here, never from practice's tables.

The figure is the mastery tracker's (:class:`tessera.engine.mastery.MasteryTracker`), stored on the
learner's row by the answer that moved it (:func:`tessera.practice.services.answer_submit`), so it is the
same number on every page and it changes only when the learner answers on that competency. *Mastered* is the
mastery rule's verdict, kept until a spaced review shows it is lost (see ``README.md``, "Mastery").

Callers scope first (who may see which learner); these reads take ids and cost one query whatever the
number of learners and competencies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tessera.curriculum.models import Competency
from tessera.engine.mastery import shown_percent
from tessera.practice.models import LearnerCompetencyState


@dataclass(frozen=True)
class Mastery:
    """One learner's mastery of one competency in one school."""

    learner_id: int
    competency_id: int
    level: float | None = None
    attempts: int = 0
    mastered_at: datetime | None = None
    review_due_at: datetime | None = None
    last_answered_at: datetime | None = None

    @property
    def mastered(self) -> bool:
        return self.mastered_at is not None

    @property
    def started(self) -> bool:
        return self.attempts > 0

    @property
    def percent(self) -> int | None:
        """The figure as people see it (:func:`tessera.engine.mastery.shown_percent`), or None before any
        answer."""
        return None if self.level is None or not self.attempts else shown_percent(self.level)

    def review_due(self, now: datetime) -> bool:
        return self.review_due_at is not None and self.review_due_at <= now


def _mastery(row: LearnerCompetencyState) -> Mastery:
    return Mastery(
        learner_id=row.learner_id,
        competency_id=row.competency_id,
        level=row.mastery_level,
        attempts=row.attempts,
        mastered_at=row.mastered_at,
        review_due_at=row.review_due_at,
        last_answered_at=row.last_answered_at,
    )


def masteries_of(
    *, school_id: int, learner_ids: Iterable[int], competency_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], Mastery]:
    """Mastery by ``(learner_id, competency_id)`` of the learners in ``school_id`` (of ``competency_ids``
    when given); pairs without an answer are absent (use :func:`mastery_or_start`)."""
    rows = LearnerCompetencyState.objects.filter(school_id=school_id, learner_id__in=list(learner_ids))
    if competency_ids is not None:
        rows = rows.filter(competency_id__in=list(competency_ids))
    return {(row.learner_id, row.competency_id): _mastery(row) for row in rows}


def learner_masteries(
    *, school_id: int, learner_id: int, competency_ids: Iterable[int] | None = None
) -> dict[int, Mastery]:
    """One learner's mastery by competency id (of ``competency_ids`` when given)."""
    found = masteries_of(school_id=school_id, learner_ids=[learner_id], competency_ids=competency_ids)
    return {competency_id: mastery for (_, competency_id), mastery in found.items()}


def mastery_or_start(found: dict[int, Mastery], *, learner_id: int, competency_id: int) -> Mastery:
    """The learner's mastery of the competency from ``found``, or "not started"."""
    return found.get(competency_id) or Mastery(learner_id=learner_id, competency_id=competency_id)


def in_progress_of(*, school_id: int, learner_id: int, limit: int) -> list[tuple[Competency, Mastery]]:
    """The learner's competencies practised and not mastered, most recently answered first."""
    rows = (
        LearnerCompetencyState.objects.filter(
            school_id=school_id, learner_id=learner_id, mastered_at__isnull=True, attempts__gt=0
        )
        .select_related("competency")
        .order_by("-last_answered_at", "-pk")[:limit]
    )
    return [(row.competency, _mastery(row)) for row in rows]
