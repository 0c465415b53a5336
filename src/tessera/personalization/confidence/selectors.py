"""Reads of "How sure I feel": the learner's latest confidence per competency compared with the evidence
(calibration), in plain words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.curriculum.models import Competency
from tessera.engine.mastery import shown_percent
from tessera.personalization.confidence.models import ConfidenceRating

# The competencies a learner rates are those a goal may link (the page's choices).
from tessera.personalization.goals.selectors import goal_competencies as goal_competencies
from tessera.practice.selectors import learner_masteries, mastery_or_start
from tessera.schools.models import School, User


@dataclass
class CalibrationRow:
    competency: Competency
    confidence: int
    rated_at: datetime.datetime
    estimate: float | None
    mastered: bool
    message: str
    agrees: bool | None = field(default=None)


CONFIDENCE_LABELS = {
    1: gettext_lazy("Not yet: I need help"),
    2: gettext_lazy("A little unsure"),
    3: gettext_lazy("Fairly confident"),
    4: gettext_lazy("Confident: I could explain it to a friend"),
}


# From this estimate on, feeling unsure is under-confidence worth telling the learner about.
CLOSE_TO_MASTERY = 0.7


def calibration_message(
    name: str, confidence: int, estimate: float | None, mastered: bool
) -> tuple[str, bool | None]:
    """The learner's confidence compared with the evidence, in plain words; and whether they agree."""
    confident = confidence >= 3
    feel = _("You feel confident about %s") % name if confident else _("You feel unsure about %s") % name
    if estimate is None and not mastered:
        return _(
            "%s; you have not answered questions on it yet, so there is no evidence to compare."
        ) % feel, None
    percent = shown_percent(estimate or 0.0)
    if mastered and confident:
        return _("%s, and your answers agree: you have mastered it.") % feel, True
    if mastered:
        return _("%s, but your answers show you have mastered it.") % feel, False
    if confident:
        return _("%(feel)s; the evidence says not yet: %(p)d%%.") % {"feel": feel, "p": percent}, False
    if (estimate or 0) >= CLOSE_TO_MASTERY:
        return _("%(feel)s, but your answers show you know more than you think: %(p)d%%.") % {
            "feel": feel,
            "p": percent,
        }, False
    return _("%(feel)s, and the evidence agrees: not yet (%(p)d%%). Practice will help.") % {
        "feel": feel,
        "p": percent,
    }, True


def calibration_for(learner: User, school: School) -> list[CalibrationRow]:
    """The latest confidence per competency the learner rated, compared with the engine's estimate."""
    latest: dict[int, ConfidenceRating] = {}
    for rating in ConfidenceRating.objects.filter(school=school, learner=learner).select_related(
        "competency"
    ):
        latest.setdefault(rating.competency_id, rating)  # newest first
    found = learner_masteries(school_id=school.pk, learner_id=learner.pk, competency_ids=list(latest))
    rows = []
    for competency_id, rating in latest.items():
        mastery = mastery_or_start(found, learner_id=learner.pk, competency_id=competency_id)
        estimate = mastery.level if mastery.started else None
        mastered = mastery.mastered
        message, agrees = calibration_message(rating.competency.name, rating.confidence, estimate, mastered)
        rows.append(
            CalibrationRow(
                rating.competency, rating.confidence, rating.created_at, estimate, mastered, message, agrees
            )
        )
    return sorted(rows, key=lambda r: r.competency.name)
