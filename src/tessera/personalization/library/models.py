"""The learner's library: the resources they saved."""

from __future__ import annotations

from django.db import models

from tessera.curriculum.models import Resource
from tessera.personalization.fields import USER
from tessera.schools.models import TenantModel


class SavedResource(TenantModel):
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "learner", "resource"], name="saved_resource_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} saved {self.resource_id}"
