"""What the models of personalization's sub-packages share: the limits of their text, the user model and
the one-time token of the form that created a row."""

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
