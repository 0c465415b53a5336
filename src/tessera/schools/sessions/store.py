"""Whether a sign-in session still counts, and ending every session of an account.

A session stops counting when it is signed out (its row is gone), when the account's password changed
(the session's hash no longer matches; a password change through the site gives the browser that made it
a new session), or when the account is deactivated. Django checks this on each request; a long-lived
response (the family feed's server-sent events) asks :func:`session_is_current` at each heartbeat, as it
no longer holds the request; it also applies the idle and absolute time-outs, which the middleware applies
to requests.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends import db as db_backend
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from tessera.schools.models import User
from tessera.schools.sessions.expiry import session_still_valid


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(session_key)
    return store


def _stored_data(session_key: str) -> dict[str, Any]:
    """The session's data as stored. With ``cached_db`` sessions the database row is the truth (every
    write goes through to it, a sign-out deletes it) and is read directly: going through the cache would
    give each open feed a Redis client of its own (measured: 503 Redis clients for 1,000 feeds, was 3)."""
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db":
        return db_backend.SessionStore(session_key).load()
    return _store(session_key).load()


def session_is_current(*, session_key: str | None, user_id: int) -> bool:
    """Whether the session ``session_key`` is still a sign-in of user ``user_id``: it exists and has not
    expired, is within its idle and absolute time-outs (:mod:`tessera.schools.sessions.expiry`; an open
    stream is not activity), names that user, the account is active, and the password has not changed
    since."""
    if not session_key:
        return False
    data = _stored_data(session_key)  # {} when signed out, expired or unknown
    if str(data.get(SESSION_KEY)) != str(user_id) or not data.get(BACKEND_SESSION_KEY):
        return False
    if not session_still_valid(data):
        return False
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    session_hash = data.get(HASH_SESSION_KEY) or ""
    return bool(session_hash) and (
        constant_time_compare(session_hash, user.get_session_auth_hash())
        or any(constant_time_compare(session_hash, h) for h in user.get_session_auth_fallback_hash())
    )


def sessions_end_for(user: User) -> int:
    """Sign the account out everywhere: delete each of its sessions (row and cache). How many ended.

    Sessions are stored by key, not by user, so the unexpired ones are read; this runs only when an
    administrator deactivates an account. Should a session escape (another session engine), Django still
    refuses an inactive account's session on its next request.
    """
    if not settings.SESSION_ENGINE.endswith(("sessions.backends.db", "sessions.backends.cached_db")):
        return 0
    ended = 0
    unexpired = Session.objects.filter(expire_date__gt=timezone.now())
    for session in unexpired.iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            _store(session.session_key).delete(session.session_key)
            ended += 1
    return ended
