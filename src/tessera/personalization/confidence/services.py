"""Writes of "How sure I feel": the learner rates how sure they are about a competency.

Keyword-only, transactional, raising :mod:`tessera.schools.errors`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tessera.personalization.confidence.models import ConfidenceRating
from tessera.personalization.goals.services import goal_competencies_for
from tessera.personalization.services import _require_learner
from tessera.schools.errors import DomainError, NotFound
from tessera.schools.models import School, User


@transaction.atomic
def confidence_rate(
    *, learner: User, school: School, competency_id: int, confidence: int
) -> ConfidenceRating:
    """Record how sure the learner feels about a competency (1 not yet … 4 I could teach it)."""
    _require_learner(learner, school)
    if not 1 <= confidence <= 4:
        raise DomainError(
            _("Confidence is from 1 (not yet) to 4 (I could teach it)."),
            code="personalization.invalid_confidence",
        )
    competency = goal_competencies_for(learner, school).filter(pk=competency_id).first()
    if competency is None:
        raise NotFound(
            _("No such competency in your school's frameworks."), code="personalization.competency_not_found"
        )
    return ConfidenceRating.objects.create(
        school=school, learner=learner, competency=competency, confidence=confidence
    )
