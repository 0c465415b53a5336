"""Forms of the learner's own pages. Lengths follow the model's limits; services check again."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Resource
from tessera.personalization.models import LONG_TEXT, SHORT_TEXT, Goal, LearningPreference
from tessera.personalization.selectors import CONFIDENCE_LABELS, PROMPTS

TOPICS_TEXT = 500


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


class ProfileForm(forms.Form):
    strengths = _text(_("My strengths"), _("What I am good at."))
    challenges = _text(_("My challenges"), _("What I find hard."))
    interests = forms.CharField(
        label=_("My interests"),
        required=False,
        max_length=TOPICS_TEXT,
        help_text=_("Topics, separated by commas, e.g. football, music, cooking."),
    )
    passions = _text(_("My passions"))
    aspirations = _text(_("My aspirations"), _("What I want to do or become."))
    learning_preferences = forms.MultipleChoiceField(
        label=_("How I learn best"),
        required=False,
        choices=LearningPreference.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(label=_("Languages I speak"), required=False, max_length=SHORT_TEXT)
    accessibility = _text(_("Accessibility preferences"), _("e.g. larger text, read-aloud, extra time."))
    reading_level = forms.IntegerField(
        label=_("Reading level (grade)"), required=False, min_value=0, max_value=13, help_text=_("0 to 13.")
    )

    def clean_interests(self) -> list[str]:
        raw = self.cleaned_data.get("interests") or ""
        return [topic.strip() for topic in raw.split(",") if topic.strip()]

    @staticmethod
    def initial_from(profile: Any) -> dict[str, Any]:
        if profile is None:
            return {}
        return {
            "strengths": profile.strengths,
            "challenges": profile.challenges,
            "interests": ", ".join(profile.interests),
            "passions": profile.passions,
            "aspirations": profile.aspirations,
            "learning_preferences": profile.learning_preferences,
            "languages": profile.languages,
            "accessibility": profile.accessibility,
            "reading_level": profile.reading_level,
        }


class SharingForm(forms.Form):
    """The learner's three choices; reflections only with goals (a reflection is about a goal)."""

    profile = forms.BooleanField(label=_("Share my profile with my family"), required=False)
    goals = forms.BooleanField(label=_("Share my goals with my family"), required=False)
    reflections = forms.BooleanField(
        label=_("Share my reflections with my family"),
        required=False,
        help_text=_("Your reflections are about your goals, so they can only be shared with your goals."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reflections") and not data.get("goals"):
            self.add_error(
                "reflections",
                _(
                    "Your reflections are about your goals: share your goals too, "
                    "or keep your reflections private."
                ),
            )
        return data


class SharingPolicyForm(forms.Form):
    """A school administrator's sharing rules (:class:`PersonalizationPolicy`)."""

    learner_chooses_sharing_from_age = forms.IntegerField(
        label=_("Learners choose from the age of"),
        min_value=5,
        max_value=25,
        help_text=_(
            "From this age a learner chooses whether their family sees their profile, goals and reflections. "
            "Below it, the school shares them."
        ),
    )
    always_share_practice = forms.BooleanField(
        label=_("Practice progress (competencies mastered)"), required=False
    )
    always_share_assessment = forms.BooleanField(label=_("Assessment grades"), required=False)
    always_share_feedback = forms.BooleanField(label=_("Teacher feedback on assessments"), required=False)
    always_share_support = forms.BooleanField(
        label=_("Support sessions"),
        required=False,
        help_text=_(
            "Sessions logged by specialists and para-professionals; none are recorded in Tessera yet."
        ),
    )


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
