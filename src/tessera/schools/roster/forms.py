"""Forms of the roster pages. They parse and check input; the services do the writes."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from tessera.schools import permissions, selectors
from tessera.schools.models import (
    AcademicTerm,
    Guardianship,
    Membership,
    School,
    SupportAssignment,
    TeachingAssignment,
    User,
)
from tessera.schools.text import validate_plain_text

Role = Membership.Role
GRADE_CHOICES = [("", _("—"))] + [(str(n), _("Kindergarten") if n == 0 else str(n)) for n in range(14)]


class DateInput(forms.DateInput):
    input_type = "date"


class MembershipChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.name} ({obj.user.username})"


class SupporterChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.name} ({obj.get_role_display()})"


class TermForm(forms.Form):
    name = forms.CharField(label=_("Term name"), max_length=100, help_text=_("For example 2026-2027."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("A term must end after it starts."))
        return data


class TermEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DateInput,
        help_text=_("Later extends the term; a day already past ends it now."),
    )


class ClassForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=120)
    subject = forms.CharField(label=_("Subject"), max_length=80)
    grade_level = forms.TypedChoiceField(
        label=_("Grade level"), choices=GRADE_CHOICES[1:], coerce=int, initial="7"
    )
    term = forms.ModelChoiceField(label=_("Term"), queryset=AcademicTerm.objects.none(), empty_label=None)

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = AcademicTerm.objects.filter(school=school)
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]
        self.fields["term"].initial = terms.first()  # the newest term
        if not terms.exists():
            self.fields["term"].help_text = _("Create a term first.")


class EnrolForm(forms.Form):
    learner = MembershipChoiceField(label=_("Learner"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        learners = selectors.school_members(school, Role.LEARNER)
        self.fields["learner"].queryset = learners  # type: ignore[attr-defined]


class TeacherAssignForm(forms.Form):
    teacher = MembershipChoiceField(label=_("Teacher"), queryset=Membership.objects.none())
    kind = forms.ChoiceField(label=_("Teaching role"), choices=TeachingAssignment.Kind.choices)

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teachers = selectors.school_members(school, Role.TEACHER)
        self.fields["teacher"].queryset = teachers  # type: ignore[attr-defined]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or username"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any role")), *Role.choices, ("guardian", _("Guardian"))],
    )


class AccountFields(forms.Form):
    """Name, username and e-mail of a new account."""

    first_name = forms.CharField(label=_("Given name"), max_length=150, validators=[validate_plain_text])
    last_name = forms.CharField(label=_("Family name"), max_length=150, validators=[validate_plain_text])
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only. Used to sign in."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)


class PersonForm(AccountFields):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    grade_level = forms.TypedChoiceField(
        label=_("Grade level"),
        choices=GRADE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Learners only."),
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput)
    specialty = forms.ChoiceField(
        label=_("Specialty"),
        choices=Membership.Specialty.choices,
        required=False,
        help_text=_("Specialists only."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == Role.LEARNER and data.get("grade_level") is None:
            self.add_error("grade_level", _("A learner needs a grade level."))
        if role != Role.LEARNER and data.get("grade_level") is not None:
            self.add_error("grade_level", _("Only learners have a grade level."))
        if role != Role.SPECIALIST and data.get("specialty"):
            self.add_error("specialty", _("Only specialists have a specialty."))
        birth = data.get("birth_date")
        if birth and birth > datetime.date.today():
            self.add_error("birth_date", _("A birth date cannot be in the future."))
        return data


class SupportAssignForm(forms.Form):
    staff = SupporterChoiceField(
        label=_("Specialist, para-professional or mentor"), queryset=Membership.objects.none()
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supporters = selectors.school_members(school, *SupportAssignment.Role.values)
        self.fields["staff"].queryset = supporters  # type: ignore[attr-defined]


class GuardianLinkForm(forms.Form):
    username = forms.CharField(
        label=_("Guardian's username"), max_length=150, help_text=_("An account that already exists.")
    )
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Guardianship.Relationship.choices)

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_username(self) -> User:
        """Only accounts this school already knows: any other account looks the same as no account."""
        username = self.cleaned_data["username"].strip()
        guardian = (
            permissions.accounts_known_to(self.school)
            .filter(username__iexact=username, is_active=True)
            .first()
        )
        if guardian is None:
            raise forms.ValidationError(
                _(
                    "No one with that username is known to this school. Create a guardian account below, "
                    "or send the guardian an invitation."
                )
            )
        return guardian


class GuardianCreateForm(AccountFields):
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Guardianship.Relationship.choices)


class ImportForm(forms.Form):
    users = forms.FileField(
        label=_("People (users.csv)"), help_text=_("UTF-8 CSV, at most 2 MB and 20,000 rows.")
    )
    enrollments = forms.FileField(
        label=_("Enrolments (enrollments.csv)"), required=False, help_text=_("Optional.")
    )
