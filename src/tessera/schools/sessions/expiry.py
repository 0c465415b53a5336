"""How long a signed-in session lasts: an idle timeout and an absolute one, kept in the session itself.

School devices are shared, so a session ends after a while without requests (``SESSION_IDLE_MINUTES_STAFF``,
30 by default, for anyone with a staff role in a school: administrators, teachers, specialists,
para-professionals, mentors; ``SESSION_IDLE_MINUTES``, 120, for learners and guardians) and, however
active, ``SESSION_MAX_HOURS`` (12) after signing in. The limits are written into the session when the
person signs in (:func:`session_start`), so anything holding a session, a page request or a long-lived
stream re-reading its session, asks one function whether it still holds: :func:`session_end_reason`
(or :func:`session_still_valid`). Only requests count as activity (:func:`session_touch`, called by
:class:`tessera.schools.middleware.SessionExpiryMiddleware`); an open stream is not a request.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, MutableMapping
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tessera.schools import selectors
from tessera.schools.models import User

SIGNED_IN_AT = "tessera.signed_in_at"
SEEN_AT = "tessera.seen_at"
IDLE_SECONDS = "tessera.idle_seconds"
# Activity is written back to the session at most this often (not on every request: one write less).
TOUCH_EVERY_SECONDS = 60

EndReason = Literal["idle", "absolute", "unknown"]


def clock() -> float:
    """Seconds since the epoch (a function of its own, so tests can move time forward)."""
    return time.time()


def idle_seconds_for(user: User) -> int:
    staff = selectors.holds_staff_role(user)
    minutes = settings.SESSION_IDLE_MINUTES_STAFF if staff else settings.SESSION_IDLE_MINUTES
    return int(minutes * 60)


def session_start(session: MutableMapping[str, Any], user: User) -> None:
    """Stamp a new signed-in session with its start, its last activity and its idle limit."""
    now = clock()
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session[IDLE_SECONDS] = idle_seconds_for(user)


def session_end_reason(session: Mapping[str, Any]) -> EndReason | None:
    """Why a signed-in session has ended, or None while it is still valid.

    ``"unknown"`` for a session without the stamps of :func:`session_start` (signed in before they
    existed, or written by hand): it is treated as ended.
    """
    try:
        signed_in_at = float(session[SIGNED_IN_AT])
        seen_at = float(session[SEEN_AT])
        idle_seconds = float(session[IDLE_SECONDS])
    except (KeyError, TypeError, ValueError):
        return "unknown"
    now = clock()
    if now - signed_in_at >= settings.SESSION_MAX_HOURS * 3600:
        return "absolute"
    if now - seen_at >= idle_seconds:
        return "idle"
    return None


def session_still_valid(session: Mapping[str, Any]) -> bool:
    return session_end_reason(session) is None


def session_touch(session: MutableMapping[str, Any]) -> None:
    """Count a request as activity (written back at most every ``TOUCH_EVERY_SECONDS``)."""
    now = clock()
    if now - float(session.get(SEEN_AT, 0)) >= TOUCH_EVERY_SECONDS:
        session[SEEN_AT] = now


def session_ended_message(reason: EndReason, session: Mapping[str, Any]) -> str:
    """What the person is told on their next request, in the language active for it."""
    if reason == "idle":
        minutes = round(float(session[IDLE_SECONDS]) / 60)
        return _("Your session ended after %(minutes)d minutes without activity. Sign in again.") % {
            "minutes": minutes
        }
    if reason == "absolute":
        return _("Your session ended %(hours)s hours after you signed in. Sign in again.") % {
            "hours": f"{settings.SESSION_MAX_HOURS:g}"
        }
    return _("Your session has ended. Sign in again.")


@receiver(user_logged_in, dispatch_uid="tessera.schools.session_expiry")
def _stamp_on_sign_in(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request.session, user)
