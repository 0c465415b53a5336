"""An open family feed lasts only as long as the sign-in that opened it: after signing out, a password
change (from any device) or the account's deactivation, the stream ends at its next heartbeat.

Real streams, as in test_stream.py: Django's async test client, the feed view and its generator, real
sign-out and password-change views, committed rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.test import AsyncClient

from tessera.schools import services
from tessera.schools.sessions import expiry as session_expiry
from tests.conftest import PASSWORD
from tests.family.conftest import SSEReader, commit_events

pytestmark = pytest.mark.django_db(transaction=True)


async def _signed_in_feed(user: Any, school: Any, learner: Any) -> tuple[AsyncClient, SSEReader]:
    client = AsyncClient()
    await client.aforce_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = await client.get(f"/family/feed/{school.pk}/{learner.pk}/stream")
    assert response.status_code == 200
    return client, SSEReader(response)


async def _ends_without_events(feed: SSEReader) -> None:
    """The stream ends at its next heartbeat (allowing for one already on its way) and sends no event
    before it does."""
    for _ in range(3):
        block = await feed.block(timeout=3)
        if block is None:
            return
        assert block.id is None, "an event was sent after the sign-in ended"
    pytest.fail("the stream went on after the sign-in ended")


def test_signing_out_ends_the_open_feed(world: Any, fast_heartbeat: float) -> None:
    a = world.a
    commit_events(a.school, a.learner, 1)

    @async_to_sync
    async def run() -> None:
        client, feed = await _signed_in_feed(a.guardian, a.school, a.learner)
        assert len(await feed.until_keep_alive()) == 1
        await feed.until_keep_alive()  # still open across heartbeats while signed in
        response = await client.post("/accounts/logout/")
        assert response.status_code == 302
        await _ends_without_events(feed)

    run()


def test_a_password_change_on_another_device_ends_the_open_feed(world: Any, fast_heartbeat: float) -> None:
    a = world.a

    @async_to_sync
    async def run() -> None:
        _, feed = await _signed_in_feed(a.guardian, a.school, a.learner)
        await feed.until_keep_alive()
        phone = AsyncClient()
        await phone.aforce_login(a.guardian, backend="django.contrib.auth.backends.ModelBackend")
        new = "a brand new passphrase 42"
        changed = await phone.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert changed.status_code == 302, changed.content[:300]
        await _ends_without_events(feed)
        home = await phone.get("/family/")  # the device that changed it stays signed in
        assert home.status_code == 200

    run()


def test_a_password_change_in_the_same_browser_ends_the_stream_and_it_can_reconnect(
    world: Any, fast_heartbeat: float
) -> None:
    """Changing the password gives the browser a new session: the old stream ends, and the EventSource's
    reconnect (with the new session cookie) is let in."""
    a = world.a

    @async_to_sync
    async def run() -> None:
        client, feed = await _signed_in_feed(a.guardian, a.school, a.learner)
        await feed.until_keep_alive()
        new = "a brand new passphrase 42"
        changed = await client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert changed.status_code == 302
        await _ends_without_events(feed)
        again = await client.get(f"/family/feed/{a.school.pk}/{a.learner.pk}/stream")
        assert again.status_code == 200
        reconnected = SSEReader(again)
        await reconnected.until_keep_alive()
        await reconnected.close()

    run()


def test_deactivating_the_account_ends_the_open_feed_and_its_sessions(
    world: Any, fast_heartbeat: float
) -> None:
    a = world.a

    @async_to_sync
    async def run() -> None:
        client, feed = await _signed_in_feed(a.guardian, a.school, a.learner)
        await feed.until_keep_alive()
        ended = await sync_to_async(services.account_deactivate)(
            actor=a.admin, school=a.school, user=a.guardian
        )
        assert ended == 1
        await sync_to_async(commit_events)(a.school, a.learner, 1)
        await _ends_without_events(feed)
        assert (await client.get("/family/")).status_code == 302  # to the sign-in page

    run()


def test_an_open_feed_ends_when_the_session_times_out(
    world: Any, fast_heartbeat: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Watching the feed is not activity: the guardian's idle time-out ends it at the next heartbeat."""
    a = world.a
    commit_events(a.school, a.learner, 1)

    @async_to_sync
    async def run() -> None:
        _, feed = await _signed_in_feed(a.guardian, a.school, a.learner)
        assert len(await feed.until_keep_alive()) == 1
        later = session_expiry.clock() + settings.SESSION_IDLE_MINUTES * 60 + 1
        monkeypatch.setattr(session_expiry, "clock", lambda: later)
        await _ends_without_events(feed)

    run()
