"""Domain errors raised by services, and the one mapper that turns them into an API body or a form error.

Every error carries a ``code`` and a ``message``; its class carries ``status``, the HTTP status the API
answers with.

``code``
    A stable, machine-readable name for what went wrong, for clients to branch on: lower-case words
    with underscores, in two parts joined by a dot, ``app.what`` (``^[a-z_]+\\.[a-z_]+$``), for example
    ``curriculum.prerequisite_cycle``, ``practice.item_not_offered``, ``family.quiet_hours_incomplete``.
    ``app`` is the app whose rule was broken (``schools``, ``curriculum``, ``practice``,
    ``personalization``, ``family``, ``events``, ``demo``); ``what`` names the rule, not the place it
    is checked, so the same error raised in several places uses the same code. A code is part of the
    API: never rename it or reuse it for a different error; add a new code instead.

``message``
    A sentence for people, in the language of the request (Tessera's middleware activates the user's
    language before the view runs). Mark it at the raise site with Django's ``gettext`` (not
    ``gettext_lazy``: it is translated when raised) imported as ``_``, so ``make messages`` extracts
    it, and fill named placeholders after translation::

        raise NotFound(_("No term %(term)s here.") % {"term": term_id}, code="schools.term_not_found")

    Never an f-string inside ``_()`` (the catalogue could not contain it). Words put into a sentence
    (``to=_("import its roster")``) are translated by the caller. Two kinds of message are not
    marked: programmer errors no user sees (recording an event outside its transaction, an unknown
    event kind: :mod:`tessera.events.log`, :mod:`tessera.family.feed.services`) stay in English, and
    Django's own validation messages (password validators), which Django translated already.

``tests/test_domain_errors.py`` checks every raise in ``src/tessera`` for both.

The mapper: :func:`api_body` is the JSON body of the API's error response (``detail`` and ``code``);
:func:`add_form_error` puts an error on a Django form, as a ``ValidationError`` with the code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

T = TypeVar("T")


class DomainError(Exception):
    """A request that breaks a rule of the domain. ``status`` is the HTTP status the API answers with,
    ``code`` the stable name of the rule, ``message`` the translated sentence saying what is wrong."""

    status = 400

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(DomainError):
    """The object does not exist or the user may not know it exists (always 404, never 403)."""

    status = 404


class PermissionDenied(DomainError):
    """The user may see the object but not do this to it."""

    status = 403


class Conflict(DomainError):
    status = 409


def api_body(error: DomainError) -> dict[str, Any]:
    """The API's JSON body for ``error``: ``detail`` (the message, in the request's language) and
    ``code``."""
    return {"detail": error.message, "code": error.code}


def add_form_error(form: forms.BaseForm, error: DomainError, field: str | None = None) -> None:
    """Show ``error`` on ``form``: under ``field``, or above the form (``None``); the ``ValidationError``
    keeps the code (``form.errors.as_data()``, ``form.has_error(field, code)``)."""
    form.add_error(field, ValidationError(error.message, code=error.code))


def refusal_page(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page saying why (``denied.html``): someone who may see the page but not do this."""
    return render(request, "denied.html", {"message": message}, status=403)


def form_write(
    form: forms.BaseForm, request: HttpRequest, write: Callable[[], T]
) -> tuple[T | None, HttpResponse | None]:
    """Run ``write`` for a valid ``form``: its result, or None with the form showing the domain error (or
    invalid), or the refusal page when the user may not do it."""
    if not form.is_valid():
        return None, None
    try:
        return write(), None
    except PermissionDenied as error:
        return None, refusal_page(request, error.message)
    except DomainError as error:
        add_form_error(form, error)
        return None, None
