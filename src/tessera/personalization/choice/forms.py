"""Forms for choice boards, proposals and class progression.

Forms parse and bound input (length limits as in the models); the services check permissions and the
rules of the domain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency, Framework, Resource
from tessera.personalization.choice.models import ChoiceOption, ClassProgression, Proposal
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT
from tessera.personalization.forms import OneTimeTokenForm
from tessera.schools.models import User


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class BoardForm(forms.Form):
    objective = forms.CharField(
        label=_("Objective"),
        max_length=SHORT_TEXT,
        help_text=_("What learners will be able to do, e.g. “compare fractions”."),
    )
    competency = forms.ModelChoiceField(
        label=_("Competency (optional)"), queryset=Competency.objects.none(), required=False
    )
    co_designed_with = PersonChoiceField(
        label=_("Co-designed with (optional)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A learner of the class who designed this board with you; their name is shown on it."),
    )

    def __init__(self, *args: Any, competencies: QuerySet[Competency], learners: QuerySet[User], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["competency"].queryset = competencies  # type: ignore[attr-defined]
        self.fields["co_designed_with"].queryset = learners  # type: ignore[attr-defined]


class OptionForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Kind of option"), choices=ChoiceOption.Purpose.choices)
    title = forms.CharField(label=_("Title"), max_length=SHORT_TEXT)
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resource = forms.ModelChoiceField(
        label=_("Resource (optional)"), queryset=Resource.objects.none(), required=False
    )

    def __init__(self, *args: Any, resources: QuerySet[Resource], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]


class PickForm(forms.Form):
    learn = forms.ModelChoiceField(
        label=_("How I will learn"),
        queryset=ChoiceOption.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    show = forms.ModelChoiceField(
        label=_("How I will show what I learned"),
        queryset=ChoiceOption.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, options: QuerySet[ChoiceOption], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["learn"].queryset = options.filter(purpose=ChoiceOption.Purpose.LEARN)  # type: ignore[attr-defined]
        self.fields["show"].queryset = options.filter(purpose=ChoiceOption.Purpose.SHOW)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("learn") and not data.get("show"):
            raise forms.ValidationError(_("Pick a way to learn, a way to show what you learned, or both."))
        return data


class ProposalForm(OneTimeTokenForm):
    title = forms.CharField(
        label=_("Your objective or activity"),
        max_length=SHORT_TEXT,
        help_text=_("e.g. “Work out the ratios in my favourite recipe”."),
    )
    description = forms.CharField(
        label=_("What you will do and why"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    competency = forms.ModelChoiceField(
        label=_("Competency it is about (optional)"), queryset=Competency.objects.none(), required=False
    )

    def __init__(self, *args: Any, competencies: QuerySet[Competency], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["competency"].queryset = competencies  # type: ignore[attr-defined]


DECISIONS = [
    (Proposal.Status.ACCEPTED, _("Accept")),
    (Proposal.Status.ADJUSTED, _("Accept with changes (say which)")),
    (Proposal.Status.DECLINED, _("Decline (say why)")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment for the learner"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you adjust or decline."),
    )


class ProgressionForm(forms.Form):
    mode = forms.ChoiceField(label=_("How the class moves on"), choices=ClassProgression.Mode.choices)
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.none(),
        required=False,
        help_text=_("Without chosen competencies, the class moves through all of it in teaching order."),
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies (optional)"),
        queryset=Competency.objects.none(),
        required=False,
        help_text=_("Choose some to use only those, in teaching order."),
    )

    def __init__(
        self, *args: Any, frameworks: QuerySet[Framework], competencies: QuerySet[Competency], **kw: Any
    ):
        super().__init__(*args, **kw)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["competencies"].queryset = competencies  # type: ignore[attr-defined]
