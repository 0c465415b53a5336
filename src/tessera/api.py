"""The one JSON API (OpenAPI docs at /api/docs). Each app contributes a router.

Every error is JSON with a ``detail`` message saying what is wrong, and never changes anything.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from tessera.schools.api import router as schools_router
from tessera.schools.errors import DomainError

api = NinjaAPI(
    title="Tessera API",
    version="1",
    description="Schools, people, learning and progress. Sign in on the site; the API uses the session.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload"))
        problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg")))
    return api.create_response(request, {"detail": "; ".join(problems), "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Sign in first."}, status=401)


api.add_router("", schools_router)
api.add_router("", "tessera.schools.invitation_api.router")
api.add_router("", "tessera.schools.roster_api.router")
api.add_router("", "tessera.curriculum.api.router")
api.add_router("", "tessera.practice.api.router")
