"""What the API accepts: clean text fields and bounded pagination, shared by every router.

Text is stripped, must not be blank, and must not contain control characters (PostgreSQL refuses NUL
bytes, and nobody means to type them); page numbers are bounded so a huge one is a 422, not a 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, StringConstraints

from tessera.schools.models import User
from tessera.schools.text import has_control_characters

MAX_PAGE = 1_000_000


def no_control_characters(value: str) -> str:
    if has_control_characters(value, allow_line_breaks=False):
        raise ValueError("must not contain control characters")
    return value


def input_problems(errors: Iterable[Mapping[str, Any]]) -> str:
    """Validation errors (pydantic's, as ninja passes them on) as one line: ``where: what; ...``, where
    is the field's path without ninja's ``body``/``payload`` prefix."""
    problems = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload"))
        problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg")))
    return "; ".join(problems)


PlainText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(no_control_characters),
]
"""A one-line text field: stripped, not blank, no control characters. Give the maximum length at the
use site: ``name: PlainText = Field(max_length=120)``."""


class BoundedPageNumberPagination(PageNumberPagination):
    """Ninja's page-number pagination with an upper bound on the page number and page size."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=500)


def request_user(request: HttpRequest) -> User:
    """The signed-in user of an API request (every router but the public ones requires a session)."""
    user = request.user
    assert isinstance(user, User)
    return user
