"""Middleware of signed-in requests: the person's own language choice wins over the browser's (runs after
LocaleMiddleware), and a session ends after its idle or absolute timeout; responses to a signed-in person
are never stored by a browser or a shared cache."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from tessera.schools.sessions.expiry import session_end_reason, session_ended_message, session_touch


def user_language(user: object) -> str | None:
    """The language a signed-in user chose, or None (then Accept-Language / the default applies)."""
    language = getattr(user, "language", "") if getattr(user, "is_authenticated", False) else ""
    return language if language in dict(settings.LANGUAGES) else None


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = user_language(request.user)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if language is not None:
            response.headers["Content-Language"] = language
        return response


class SessionExpiryMiddleware:
    """Ends a signed-in session past its idle or absolute timeout (see
    :mod:`tessera.schools.sessions.expiry`): the request is signed out, a page goes to the sign-in page with
    a message saying so, an API call gets a JSON 401 saying so. Every response to a signed-in person is
    ``Cache-Control: no-store, private`` (static files are served before this middleware). Runs after
    MessageMiddleware and the user's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        reason = session_end_reason(request.session)
        if reason is not None:
            message = session_ended_message(reason, request.session)
            logout(request)
            response: HttpResponse
            if request.path.startswith("/api/"):
                response = JsonResponse({"detail": message}, status=401)
            else:
                messages.info(request, message)
                response = redirect_to_login(request.get_full_path())
        else:
            session_touch(request.session)
            response = self.get_response(request)
        add_never_cache_headers(response)
        return response
