"""The form of the school's sharing rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
