"""How sure a learner says they are about a competency: a self-assessment, compared with the evidence
(calibration)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from tessera.curriculum.models import Competency
from tessera.personalization.fields import USER
from tessera.schools.models import TenantModel


class ConfidenceRating(TenantModel):
    """How sure the learner says they are about a competency (1 not yet … 4 I could teach it)."""

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    confidence = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=1) & Q(confidence__lte=4), name="confidence_one_to_four"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} rates {self.competency_id}: {self.confidence}"
