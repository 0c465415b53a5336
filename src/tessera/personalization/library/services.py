"""Writes of the learner's library: saving a resource of their school's frameworks, and removing it.

Keyword-only, transactional, raising :mod:`tessera.schools.errors`: :class:`NotFound` for a resource the
learner may not see.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tessera.curriculum import permissions as curriculum_permissions
from tessera.curriculum.models import Resource
from tessera.personalization.library.models import SavedResource
from tessera.personalization.services import _require_learner
from tessera.schools.errors import NotFound
from tessera.schools.models import School, User


def _resource_for(learner: User, school: School, resource_id: int) -> Resource:
    frameworks = curriculum_permissions.frameworks_visible_to(learner).filter(
        Q(school=school) | Q(school__isnull=True)
    )
    resource = Resource.objects.filter(pk=resource_id, framework__in=frameworks).first()
    if resource is None:
        raise NotFound(_("No such resource."), code="personalization.resource_not_found")
    return resource


@transaction.atomic
def resource_save(*, learner: User, school: School, resource_id: int) -> SavedResource:
    """Save a resource to the learner's library (saving it again changes nothing)."""
    _require_learner(learner, school)
    resource = _resource_for(learner, school, resource_id)
    saved, _created = SavedResource.objects.get_or_create(school=school, learner=learner, resource=resource)
    return saved


@transaction.atomic
def resource_unsave(*, learner: User, school: School, resource_id: int) -> bool:
    """Remove it from the library; returns whether it was there."""
    _require_learner(learner, school)
    resource = _resource_for(learner, school, resource_id)
    deleted, _count = SavedResource.objects.filter(school=school, learner=learner, resource=resource).delete()
    return deleted > 0
