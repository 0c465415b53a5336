"""Forms for the learning network and peer help.

Forms parse and bound input (length limits as in the models); the services check permissions and the
rules of the domain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tessera.personalization.choice.forms import PersonChoiceField
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT
from tessera.personalization.network.models import NetworkConnection
from tessera.personalization.network.services import MESSAGE_LIMIT
from tessera.schools.models import User


class InviteForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    member = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("They are"), choices=NetworkConnection.Kind.choices)

    def __init__(self, *args: Any, people: QuerySet[User], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["member"].queryset = people  # type: ignore[attr-defined]


class HelpOptInForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    open_to_help = forms.BooleanField(
        label=_("I am open to helping peers with what I have mastered"),
        required=False,
        help_text=_("Peers who are stuck may then see your name and shared interests, and ask you."),
    )


class AskForm(forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    helper = forms.IntegerField(widget=forms.HiddenInput)
    competency = forms.IntegerField(widget=forms.HiddenInput)
    question = forms.CharField(
        label=_("Your question"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most %(limit)d characters.") % {"limit": MESSAGE_LIMIT},
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Why are you reporting this message?"), max_length=SHORT_TEXT)
