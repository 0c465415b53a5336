"""Forms of the framework pages: what a teacher types. The rules (blank names, codes, cycles) are the
services'; the forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import CODE_LENGTH, NAME_LENGTH, TEXT_LENGTH, Competency, Domain

CODE_HELP = _("Optional: letters, digits, “-”, “_” and “.”; made from the name when blank.")


class DomainForm(forms.Form):
    name = forms.CharField(label=_("Domain name"), max_length=NAME_LENGTH)
    code = forms.CharField(label=_("Code"), max_length=CODE_LENGTH, required=False, help_text=CODE_HELP)


class CompetencyForm(forms.Form):
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Competency name"), max_length=NAME_LENGTH)
    code = forms.CharField(label=_("Code"), max_length=CODE_LENGTH, required=False, help_text=CODE_HELP)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, domains: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains  # type: ignore[attr-defined]


class CompetencyEditForm(forms.Form):
    name = forms.CharField(label=_("Competency name"), max_length=NAME_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompetencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.name} ({obj.code})"


class PrerequisiteForm(forms.Form):
    prerequisite = CompetencyChoice(
        label=_("Comes before it"), queryset=Competency.objects.none(), empty_label=_("Choose a competency")
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prerequisite"].queryset = choices  # type: ignore[attr-defined]
