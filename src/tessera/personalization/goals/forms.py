"""Forms of the learner's goals (with a one-time token: a goal form sent twice sets one goal), steps and
reflections, and of teachers' comments. Lengths follow the models' limits; services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT
from tessera.personalization.forms import OneTimeTokenForm, _text
from tessera.personalization.goals.models import Goal
from tessera.personalization.goals.selectors import PROMPTS


class GoalForm(OneTimeTokenForm):
    title = forms.CharField(label=_("My goal"), max_length=SHORT_TEXT)
    why = _text(_("Why it matters to me"))
    competencies = forms.TypedMultipleChoiceField(
        label=_("Linked competencies"),
        required=False,
        coerce=int,
        help_text=_("Optional. Leave empty for a personal goal; its progress then comes from its steps."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, competencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        for c in competencies:
            groups.setdefault(c.domain.name, []).append((c.pk, c.name))
        self.fields["competencies"].choices = list(groups.items())  # type: ignore[attr-defined]


class StepForm(forms.Form):
    title = forms.CharField(label=_("New step"), max_length=SHORT_TEXT)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Goal.Status.choices)


class ReflectionForm(forms.Form):
    prompt = forms.ChoiceField(label=_("Prompt"), choices=[(str(p), p) for p in PROMPTS])
    text = forms.CharField(
        label=_("My reflection"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    milestone = forms.CharField(required=False, max_length=SHORT_TEXT, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
