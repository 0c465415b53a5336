"""The check a long-lived feed makes at each heartbeat gives the same answer with database sessions and with
cached database sessions (what production uses with Redis), and reads the database row for the latter."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from tessera.schools.sessions.store import session_is_current

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_a_signed_out_session_stops_counting(world: Any, settings: Any, engine: str) -> None:
    settings.SESSION_ENGINE = engine
    client = Client()
    client.force_login(world.a.guardian, backend="django.contrib.auth.backends.ModelBackend")
    key = client.session.session_key
    assert session_is_current(session_key=key, user_id=world.a.guardian.pk)
    assert not session_is_current(session_key=key, user_id=world.a.teacher.pk), "another person's"
    client.post("/accounts/logout/")
    assert not session_is_current(session_key=key, user_id=world.a.guardian.pk)


def test_with_cached_sessions_the_database_row_decides(world: Any, settings: Any) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client()
    client.force_login(world.a.guardian, backend="django.contrib.auth.backends.ModelBackend")
    key = client.session.session_key
    Session.objects.filter(session_key=key).delete()  # the row is gone; a stale cached copy may remain
    assert not session_is_current(session_key=key, user_id=world.a.guardian.pk)
    cache.clear()
