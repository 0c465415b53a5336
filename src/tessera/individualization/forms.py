"""Forms of the individualization pages. They parse and bound input; the services check permissions and the
rules (an objective without a target, an extended time out of range, a file of the wrong type...)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tessera.individualization.models import (
    LONG_TEXT,
    SHORT_TEXT,
    Accommodation,
    Area,
    Evaluation,
    PlanMember,
    PlanObjective,
    SupportPlan,
)
from tessera.schools.models import User

DATE = forms.DateInput(attrs={"type": "date"})
OBJECTIVE_SLOTS = 3


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ObjectiveChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.description)


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=Evaluation.Kind.choices)
    evaluated_on = forms.DateField(label=_("Date of the evaluation"), widget=DATE)
    areas = forms.MultipleChoiceField(
        label=_("Areas evaluated"), choices=Area.choices, widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label=_("Findings"), max_length=LONG_TEXT, widget=forms.Textarea)
    recommendations = forms.CharField(
        label=_("Recommendations"), max_length=LONG_TEXT, required=False, widget=forms.Textarea
    )
    attachment = forms.FileField(
        label=_("Report (optional)"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file; it is kept private and served only to the plan's readers."),
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    participants = forms.CharField(
        label=_("Participants"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who took part, and in what role."),
    )
    decisions = forms.CharField(label=_("Decisions"), max_length=LONG_TEXT, widget=forms.Textarea)


class SignForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read this version of the plan and I sign it."))

    def __init__(self, *args: Any, guardian: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if guardian:
            self.fields["confirm"].label = _("I have read this plan and I consent to it.")


class SupportLogForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the session"), widget=DATE)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600)
    objective = ObjectiveChoiceField(
        label=_("Objective worked on"), queryset=PlanObjective.objects.none(), required=False
    )
    what_was_done = forms.CharField(
        label=_("What was done"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measured = forms.FloatField(
        label=_("Measure (optional)"),
        required=False,
        help_text=_("The objective's measure in this session, in its unit; it adds a point to its progress."),
    )

    def __init__(self, *args: Any, objectives: QuerySet[PlanObjective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives  # type: ignore[attr-defined]
        self.fields["held_on"].initial = timezone.localdate()
        if not objectives.exists():
            del self.fields["objective"]
            del self.fields["measured"]


ACCOMMODATION_HELP = {
    Accommodation.Kind.EXTENDED_TIME: _("Choose the factor below."),
    Accommodation.Kind.FEWER_OPTIONS: _("Choose how many options below."),
    Accommodation.Kind.ALTERNATIVE_RESPONSE: _("Say how below."),
}


class PlanForm(forms.Form):
    """A plan, or an amendment of the plan in force: its period, present levels, team, up to three
    objectives, the typed accommodations, modifications and the minutes of one-on-one support."""

    kind = forms.ChoiceField(label=_("Kind of plan"), choices=SupportPlan.Kind.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    amend = forms.BooleanField(
        label=_("This is an amendment of the plan in force"),
        required=False,
        help_text=_("It keeps the plan's period and takes effect from its own date, today or later."),
    )
    effective_from = forms.DateField(label=_("Takes effect from"), required=False, widget=DATE)
    change_summary = forms.CharField(
        label=_("What changes (for an amendment)"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    present_levels = forms.CharField(
        label=_("Present levels"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Team members who sign"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The plan takes effect when every one of them has signed; a guardian's signature is consent."
        ),
    )
    accommodations = forms.MultipleChoiceField(
        label=_("Accommodations (how the learner works)"),
        choices=Accommodation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    factor = forms.TypedChoiceField(
        label=_("Extended time factor"),
        choices=[("", "—")] + [(str(f), f"\u00d7 {f}") for f in Accommodation.EXTENDED_TIME_FACTORS],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )
    options = forms.TypedChoiceField(
        label=_("Fewer answer options: how many"),
        choices=[("", "—"), ("2", "2"), ("3", "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    mode = forms.CharField(label=_("Alternative response: how"), max_length=20, required=False)
    pausable = forms.MultipleChoiceField(
        label=_("The learner may turn off for a day"),
        choices=Accommodation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modifications = forms.CharField(
        label=_("Modifications (what is expected), one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    service_minutes = forms.IntegerField(
        label=_("One-on-one support: minutes per week"), min_value=1, max_value=3000, required=False
    )
    service_provider = PersonChoiceField(label=_("Given by"), queryset=User.objects.none(), required=False)

    def __init__(
        self, *args: Any, people: Iterable[tuple[User, str]], staff: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.roles = {user.pk: role for user, role in people}
        members = self.fields["members"]
        members.queryset = User.objects.filter(pk__in=self.roles)  # type: ignore[attr-defined]
        members.label_from_instance = lambda u: f"{u.name} ({self.role_label(u.pk)})"  # type: ignore[attr-defined]
        self.fields["service_provider"].queryset = staff  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=365)
        for slot in range(1, OBJECTIVE_SLOTS + 1):
            self.fields[f"o{slot}_description"] = forms.CharField(
                label=_("Objective %(n)s") % {"n": slot}, max_length=SHORT_TEXT, required=False
            )
            self.fields[f"o{slot}_area"] = forms.ChoiceField(
                label=_("Area of objective %(n)s") % {"n": slot}, choices=Area.choices, required=False
            )
            self.fields[f"o{slot}_baseline"] = forms.FloatField(
                label=_("Baseline of objective %(n)s") % {"n": slot}, required=False
            )
            self.fields[f"o{slot}_target"] = forms.FloatField(
                label=_("Target of objective %(n)s") % {"n": slot}, required=False
            )
            self.fields[f"o{slot}_unit"] = forms.CharField(
                label=_("Unit of objective %(n)s") % {"n": slot}, max_length=40, initial="%", required=False
            )
            self.fields[f"o{slot}_target_date"] = forms.DateField(
                label=_("Date to reach objective %(n)s by") % {"n": slot}, widget=DATE, required=False
            )
            self.fields[f"o{slot}_measured_how"] = forms.CharField(
                label=_("How objective %(n)s is measured") % {"n": slot},
                max_length=SHORT_TEXT,
                required=False,
            )
            self.fields[f"o{slot}_frequency"] = forms.ChoiceField(
                label=_("How often objective %(n)s is measured") % {"n": slot},
                choices=PlanObjective.Frequency.choices,
                required=False,
            )

    def role_label(self, user_id: int) -> str:
        return str(PlanMember.Role(self.roles[user_id]).label)

    def objective_slots(self) -> list[list[forms.BoundField]]:
        names = (
            "description",
            "area",
            "baseline",
            "target",
            "unit",
            "target_date",
            "measured_how",
            "frequency",
        )
        return [[self[f"o{slot}_{name}"] for name in names] for slot in range(1, OBJECTIVE_SLOTS + 1)]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.declared_fields]
