"""The form of "How sure I feel"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.personalization.confidence.selectors import CONFIDENCE_LABELS


class ConfidenceForm(forms.Form):
    competency = forms.TypedChoiceField(label=_("Competency"), coerce=int)
    confidence = forms.TypedChoiceField(
        label=_("How sure do you feel?"),
        coerce=int,
        choices=list(CONFIDENCE_LABELS.items()),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, competencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        for c in competencies:
            groups.setdefault(c.domain.name, []).append((c.pk, c.name))
        self.fields["competency"].choices = [("", _("Choose a competency")), *groups.items()]  # type: ignore[attr-defined]
