"""Forms for a class's groups. They parse and bound input; the services check permissions and the rules."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency, Resource
from tessera.differentiation.models import LONG_TEXT, SHORT_TEXT, Group, GroupRole, GroupTask
from tessera.schools.models import User


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CompetencyChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class GroupingForm(forms.Form):
    objective = forms.CharField(
        label=_("Objective"),
        max_length=SHORT_TEXT,
        help_text=_("What the groups work towards, e.g. “add fractions”."),
    )
    competencies = CompetencyChoiceField(
        label=_("Competencies"),
        queryset=Competency.objects.none(),
        help_text=_("The objective's competencies: learners are grouped by their mastery of them."),
    )
    group_count = forms.IntegerField(
        label=_("Number of groups"), min_value=1, max_value=12, required=False, initial=3
    )
    max_size = forms.IntegerField(
        label=_("Or: largest group size"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave the number of groups empty to make as few groups of at most this size as needed."),
    )

    def __init__(self, *args: Any, competencies: QuerySet[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = competencies  # type: ignore[attr-defined]


class KeepApartForm(forms.Form):
    learner = PersonChoiceField(label=_("Keep this learner"), queryset=User.objects.none())
    other = PersonChoiceField(label=_("apart from"), queryset=User.objects.none())

    def __init__(self, *args: Any, learners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("learner", "other"):
            self.fields[name].queryset = learners  # type: ignore[attr-defined]


class PlaceForm(forms.Form):
    learner = PersonChoiceField(label=_("Learner"), queryset=User.objects.none())
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    pin = forms.BooleanField(
        label=_("Pin: keep them in this group when regrouping"), required=False, initial=True
    )

    def __init__(self, *args: Any, learners: QuerySet[User], groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=SHORT_TEXT)
    instructions = forms.CharField(
        label=_("Instructions"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        choices=GroupTask.Tier.choices,
        initial=GroupTask.Tier.CORE,
        help_text=_("The same objective with more or less scaffolding."),
    )
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.none())
    resources = forms.ModelMultipleChoiceField(
        label=_("Resources (optional)"), queryset=Resource.objects.none(), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    check_questions = forms.IntegerField(
        label=_("Questions in the check at the end"), min_value=0, max_value=20, initial=5
    )
    check_minutes = forms.IntegerField(
        label=_("Minutes for the check"), min_value=1, max_value=120, initial=10
    )

    def __init__(
        self, *args: Any, competencies: QuerySet[Competency], resources: QuerySet[Resource], **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "starts_on": datetime.date.today(),
                "due_on": datetime.date.today() + datetime.timedelta(days=7),
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["competency"]
        field.queryset = competencies  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]  # one of the objective's: the first by default
        self.fields["resources"].queryset = resources  # type: ignore[attr-defined]


class GroupPlanForm(forms.Form):
    objective = forms.CharField(
        label=_("The group's objective"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("Empty: the grouping's objective."),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Resources for this group"), queryset=Resource.objects.none(), required=False
    )

    def __init__(self, *args: Any, resources: QuerySet[Resource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = resources  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    learner = PersonChoiceField(label=_("Learner"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("No role")), *GroupRole.Role.choices], required=False
    )

    def __init__(self, *args: Any, learners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    learner = PersonChoiceField(label=_("Learner"), queryset=User.objects.none(), widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, learners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners  # type: ignore[attr-defined]


class SubmissionForm(forms.Form):
    text = forms.CharField(label=_("My work"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4}))
