"""Forms of the learner's profile and of their sharing choices. Lengths follow the model's limits; services
check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.personalization.fields import SHORT_TEXT
from tessera.personalization.forms import _text
from tessera.personalization.profile.models import LearningPreference

TOPICS_TEXT = 500


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
