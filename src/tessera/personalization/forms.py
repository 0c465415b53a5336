"""What the forms of personalization's sub-packages share: a text area bounded by the models' limit, and
the hidden one-time token that makes a form sent twice store once. Lengths follow the models' limits;
services check again."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict

from tessera.personalization.fields import LONG_TEXT


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=LONG_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OneTimeTokenForm(forms.Form):
    """A form that carries a hidden one-time token, new each time the form is shown empty: services
    store what a token sends once, so a form sent twice (a double tap) adds one row."""

    # Not required: a page shown before the token existed still works (without the double-submit guard).
    token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def token_renew(self) -> None:
        """Give this bound form a new token: sending it again is then a new submission (after a
        :class:`~tessera.schools.errors.Conflict`, when its token was already used for something else)."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["token"] = uuid.uuid4().hex
        self.data = data
