"""What the models of personalization's sub-packages share: the limits of their text, the user model,
the one-time token of the form that created a row, and the school of a many-to-many's through rows (taken
from the row that owns them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SHORT_TEXT = 200
LONG_TEXT = 2000
USER = settings.AUTH_USER_MODEL


def submission_token() -> models.UUIDField[Any, Any]:
    """The one-time token of the form that created the row (unique per learner, null for rows made
    without a form and for rows older than the token): a form sent twice stores one row."""
    return models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The one-time token of the form that created it: a double submit stores it once."),
    )


class _SchoolFromOwner(models.QuerySet[Any]):
    """The rows of a many-to-many's through model that carries ``school_id``: rows that the many-to-many
    manager creates (``goal.competencies.set(...)`` / ``.add(...)`` bulk-create them through
    ``_default_manager.using(db)``, without ``save()``) take the school of the row that owns them (the
    through model's ``school_from`` field), so callers need no ``through_defaults``."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        owner_field = self.model.school_from
        missing = {getattr(o, f"{owner_field}_id") for o in objs if o.school_id is None}
        if missing:
            owner = self.model._meta.get_field(owner_field).related_model
            schools = dict(owner._default_manager.filter(pk__in=missing).values_list("pk", "school_id"))
            for o in objs:
                if o.school_id is None:
                    o.school_id = schools[getattr(o, f"{owner_field}_id")]
        return super().bulk_create(objs, *args, **kwargs)
