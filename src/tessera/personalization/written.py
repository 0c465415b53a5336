"""Checking text a person wrote (a question, a proposal, a message): stripped, not blank, not too long, and
nothing but text (the rule is :func:`tessera.schools.text.has_control_characters`)."""

from __future__ import annotations

from tessera.schools.errors import DomainError
from tessera.schools.text import has_control_characters


def text_checked(value: str, *, what: str, limit: int, required: bool = True) -> str:
    """``value`` stripped; a :class:`DomainError` naming ``what`` when it is blank (and required), longer
    than ``limit`` characters, or holds control characters."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(f"Write the {what}.")
    if len(cleaned) > limit:
        raise DomainError(f"The {what} is too long: at most {limit} characters, not {len(cleaned)}.")
    if has_control_characters(cleaned):
        raise DomainError(f"The {what} contains characters that are not text.")
    return cleaned
