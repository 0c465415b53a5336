"""Forms of the account pages: password reset by e-mail, guardian invitations and their acceptance.

Forms only check the shape of the input; the rules live in :mod:`tessera.schools.invitations`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from tessera.schools import permissions
from tessera.schools.models import Guardianship, User


class SignInForm(AuthenticationForm):
    """Django's sign-in form without autofocus: on a phone it would pop the keyboard over the page, and it
    would skip a keyboard or screen-reader user past the "Skip to content" link and the page heading."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class SelfServicePasswordResetForm(PasswordResetForm):
    """Django's reset form, minus the people who may not reset by e-mail (learners under 13).

    They get exactly the same answer as an unknown address, so the page never tells whether an account
    exists; the page itself tells every visitor that young learners ask their teacher.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        return (user for user in super().get_users(email) if permissions.self_service_allowed(user))


class CodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Invitation code"),
            max_length=40,
            help_text=_("The code from the school's e-mail, for example ABCD-EFGH-JKMN."),
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
            ),
            **kwargs,
        )


class GuardianInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Guardian's e-mail address"),
        max_length=254,
        help_text=_("The code is e-mailed here and shown to you once."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the learner"),
        choices=Guardianship.Relationship.choices,
        initial=Guardianship.Relationship.PARENT,
    )


class InvitationLinkForm(forms.Form):
    """For a guardian who is signed in already: the code is all that is needed."""

    code = CodeField()


class InvitationSignUpForm(UserCreationForm):  # type: ignore[type-arg]
    """For a new guardian: the code, their name, and a username and password (Django's validators)."""

    code = CodeField()

    class Meta:
        model = User
        fields = ("code", "first_name", "last_name", "username")
        field_classes = {"username": UsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class LanguageForm(forms.Form):
    """The language of one's own pages; blank follows the browser."""

    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=lambda: [("", _("Same as my browser")), *settings.LANGUAGES],
    )
