"""Forms of the sign-in pages (a learner's password, a class's sign-in cards). The services do the writes
and run the password validators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class LearnerPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ; type the same password twice."))
        return data


class SignInCardsForm(forms.Form):
    reset_existing = forms.BooleanField(
        label=_("Also give new passwords to learners who already have one"),
        required=False,
        help_text=_(
            "Their old passwords stop working at once; they will need the new password on their card."
        ),
    )
