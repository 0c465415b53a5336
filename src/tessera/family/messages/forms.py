"""Forms for a message and an announcement: they parse and report errors; the rules live in
:func:`tessera.family.messages.services.text_check`."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from tessera.family.messages.models import MESSAGE_MAX_LENGTH
from tessera.family.messages.services import text_check
from tessera.schools.errors import DomainError
from tessera.schools.models import SchoolClass


def _checked(text: str, field: str, max_length: int = MESSAGE_MAX_LENGTH) -> str:
    try:
        return text_check(text, field=field, max_length=max_length)
    except DomainError as error:
        raise forms.ValidationError(error.message, code=error.code) from error


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        strip=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=lambda: uuid.uuid4().hex)

    def clean_text(self) -> str:
        return _checked(self.cleaned_data["text"], "message")


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, strip=False)
    text = forms.CharField(
        label=_("Announcement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MESSAGE_MAX_LENGTH,
        strip=False,
    )
    school_class = forms.ModelChoiceField(
        label=_("To"), queryset=SchoolClass.objects.none(), required=False, empty_label=_("The whole school")
    )

    def __init__(self, *args: object, school_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["school_class"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = SchoolClass.objects.filter(school_id=school_id).order_by("name", "pk")

    def clean_title(self) -> str:
        return _checked(self.cleaned_data["title"], "title", 200)

    def clean_text(self) -> str:
        return _checked(self.cleaned_data["text"], "announcement")
