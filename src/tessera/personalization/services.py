"""What the writes of the learner's own part of personalization share (profile, library, goals,
confidence): only a learner of the school has them there.

The writes live in the sub-packages' ``services`` modules: keyword-only, transactional, raising
:mod:`tessera.schools.errors`: :class:`NotFound` when the user may not see the object (so nothing leaks),
:class:`PermissionDenied` when they may see it but not do this.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tessera.personalization import permissions
from tessera.schools.errors import PermissionDenied
from tessera.schools.models import School, User


def _require_learner(learner: User, school: School) -> None:
    if not permissions.is_learner_in(learner, school.pk):
        raise PermissionDenied(
            _("Only a learner of this school has a profile, goals and a library here."),
            code="personalization.not_a_learner",
        )
