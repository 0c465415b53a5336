"""Checking text a person wrote (a question, a proposal, a message): stripped, not blank, not too long."""

from __future__ import annotations

from tessera.schools.errors import DomainError


def text_checked(value: str, *, what: str, limit: int, required: bool = True) -> str:
    """``value`` stripped; a :class:`DomainError` naming ``what`` when it is blank (and required) or longer
    than ``limit`` characters."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(f"Write the {what}.")
    if len(cleaned) > limit:
        raise DomainError(f"The {what} is too long: at most {limit} characters, not {len(cleaned)}.")
    return cleaned
