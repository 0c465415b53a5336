"""Checking text a person wrote (a question, a proposal, a message): stripped, not blank, not too long, and
nothing but text (the rule is :func:`tessera.schools.text.has_control_characters`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tessera.schools.errors import DomainError
from tessera.schools.text import has_control_characters


def text_checked(value: str, *, what: str, limit: int, required: bool = True) -> str:
    """``value`` stripped; a :class:`DomainError` naming ``what`` (translated by the caller) when it is
    blank (and required), longer than ``limit`` characters, or holds control characters."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(_("Write the %(what)s.") % {"what": what}, code="personalization.text_required")
    if len(cleaned) > limit:
        raise DomainError(
            _("The %(what)s is too long: at most %(limit)d characters, not %(length)d.")
            % {"what": what, "limit": limit, "length": len(cleaned)},
            code="personalization.text_too_long",
        )
    if has_control_characters(cleaned):
        raise DomainError(
            _("The %(what)s contains characters that are not text.") % {"what": what},
            code="personalization.text_not_plain",
        )
    return cleaned
