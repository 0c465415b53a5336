"""Whether text a person typed is only text: one rule for names on the roster, profiles, goals,
proposals and messages, the API's plain-text fields, framework files and typed answers (PostgreSQL refuses
a NUL character; other control characters are no one's writing and can hide or reorder what others read).
The lowest app that needs it owns it; the others ask it here."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tessera.schools.errors import DomainError


def has_control_characters(text: str, *, allow_line_breaks: bool = True) -> bool:
    """Whether ``text`` holds control characters: any, or (by default, for text of several lines) any but
    line breaks and tabs."""
    allowed = "\n\r\t" if allow_line_breaks else ""
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in text)


def validate_plain_text(value: str) -> None:
    """A form field's validator: refuse control characters (line breaks and tabs are fine)."""
    if has_control_characters(value or ""):
        raise ValidationError(_("This contains characters that are not text."), code="control_characters")


def text_checked(value: str, *, what: str, limit: int, required: bool = True) -> str:
    """``value`` stripped, for a service to store; a :class:`DomainError` naming ``what`` (translated by
    the caller) when it is blank (and required), longer than ``limit`` characters, or not plain text."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(_("Write the %(what)s.") % {"what": what}, code="schools.text_required")
    if len(cleaned) > limit:
        raise DomainError(
            _("The %(what)s is too long: at most %(limit)d characters, not %(length)d.")
            % {"what": what, "limit": limit, "length": len(cleaned)},
            code="schools.text_too_long",
        )
    if has_control_characters(cleaned):
        raise DomainError(
            _("The %(what)s contains characters that are not text.") % {"what": what},
            code="schools.text_not_plain",
        )
    return cleaned
