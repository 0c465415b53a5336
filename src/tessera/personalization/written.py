"""Checking text a person wrote (a question, a proposal, a message): stripped, not blank, not too long, and
nothing but text (PostgreSQL refuses a NUL character; other control characters are no one's writing)."""

from __future__ import annotations

import unicodedata

from tessera.schools.errors import DomainError


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds control characters other than line breaks and tabs."""
    return any(unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in text)


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
