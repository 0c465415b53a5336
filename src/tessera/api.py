"""The one JSON API (OpenAPI docs at /api/docs). Each app contributes a router.

Every error is JSON with a ``detail`` message saying what is wrong, and never changes anything: the
domain's errors, validation, a missing sign-in, and also the bodies Django refuses before an endpoint
runs (a multipart body without its boundary, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``), whether DEBUG
is on or off. The OpenAPI document lists these error responses for every operation (:class:`TesseraAPI`).
A domain error's body also has its stable ``code`` (:mod:`tessera.schools.errors`); clients branch on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from tessera.api_input import input_problems
from tessera.schools.api import router as schools_router
from tessera.schools.errors import DomainError, api_body

API_PREFIX = "/api/"
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail", "type": "string", "description": "What is wrong."},
        "code": {
            "title": "Code",
            "type": "string",
            "description": "The stable code of a broken domain rule, e.g. curriculum.prerequisite_cycle.",
        },
    },
    "required": ["detail"],
}
# Status → when the API answers it; listed for each operation unless the operation declares its own.
ERROR_RESPONSES = {
    400: "The request breaks a rule or its body cannot be read; nothing changed.",
    401: "Not signed in.",
    403: "You may see this but not do it.",
    404: "No such object, or one you may not see.",
    409: "It conflicts with what exists (already done, taken, decided).",
    413: "The request body is too large.",
    422: "A parameter or a field of the body is missing or invalid (``errors`` lists each).",
}
WRITES = {"post", "put", "patch", "delete"}

# Bodies Django refuses while reading them (``request.POST``, ``request.body``): the most specific first.
UNREADABLE_BODIES: tuple[type[Exception], ...] = (
    MultiPartParserError,
    UnreadablePostError,
    BadRequest,
    SuspiciousOperation,
)


def unreadable_body(exc: Exception) -> tuple[int, str] | None:
    """The status and message for a request body Django refused, or None for any other exception."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, f"The request body is too large: at most {limit} bytes, not counting uploaded files."
    if isinstance(exc, TooManyFieldsSent):
        return 400, f"Too many form fields: at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}."
    if isinstance(exc, TooManyFilesSent):
        return 400, f"Too many files: at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES}."
    if isinstance(exc, MultiPartParserError):
        return 400, (
            f"The multipart body cannot be read ({exc}). Send it as multipart/form-data with the boundary "
            "in the Content-Type header, as HTTP clients do when they encode a form."
        )
    if isinstance(exc, UNREADABLE_BODIES):
        return 400, "The request body cannot be read."
    return None


class TesseraAPI(NinjaAPI):
    """The API whose OpenAPI document lists, for every operation, the error responses and their shape."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"$ref": "#/components/schemas/Error"}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    if status == 401 and not operation.get("security"):
                        continue
                    if status in (409, 413) and method not in WRITES:
                        continue
                    if status == 413 and "requestBody" not in operation:
                        continue
                    existing = responses.get(status) or responses.get(str(status))
                    if existing is None:
                        content = {"application/json": {"schema": reference}}
                        responses[status] = {"description": description, "content": content}
        return schema


api = TesseraAPI(
    title="Tessera API",
    version="1",
    description="Schools, people, learning and progress. Sign in on the site; the API uses the session.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, api_body(exc), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": input_problems(exc.errors), "errors": exc.errors}, status=422
    )


def _unreadable_body_response(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    assert isinstance(exc, Exception)
    found = unreadable_body(exc)
    if found is None:
        raise exc
    status, message = found
    return api.create_response(request, {"detail": message}, status=status)


REFUSED_BODIES: tuple[type[Exception], ...] = (RequestDataTooBig, *UNREADABLE_BODIES)
for _refused in REFUSED_BODIES:
    api.add_exception_handler(_refused, _unreadable_body_response)


class UnreadableBodyMiddleware:
    """JSON for the API's unreadable bodies that surface before an endpoint's own handlers can answer:
    the session's CSRF check reads the form first. Other addresses keep Django's error pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        found = unreadable_body(exc)
        if found is None:
            return None
        status, message = found
        return JsonResponse({"detail": message}, status=status)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """An address under /api/ that names no endpoint: JSON like every other API error."""
    return JsonResponse(
        {"detail": f"No API endpoint at {request.path}. The endpoints are listed at /api/docs."}, status=404
    )


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Sign in first."}, status=401)


api.add_router("", schools_router)
api.add_router("", "tessera.schools.invitations.api.router")
api.add_router("", "tessera.schools.roster.api.router")
api.add_router("", "tessera.curriculum.api.router")
api.add_router("", "tessera.curriculum.items.api.router")
api.add_router("", "tessera.curriculum.resources.api.router")
api.add_router("", "tessera.curriculum.files.api.router")
api.add_router("", "tessera.curriculum.frameworks.api.router")
api.add_router("", "tessera.practice.api.router")
api.add_router("", "tessera.differentiation.api.router")
api.add_router("", "tessera.individualization.api.router")
