"""The library's search form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Resource


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    competency = forms.TypedChoiceField(label=_("Competency"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Resource.Kind.choices]
    )

    def __init__(self, *args: Any, competencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["competency"]
        field.choices = [("", _("Any competency")), *((c.pk, c.name) for c in competencies)]
