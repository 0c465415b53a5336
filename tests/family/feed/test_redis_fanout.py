"""Fan-out through Redis pub/sub (several server processes): a real Redis at REDIS_URL, else
127.0.0.1:6379; skipped, saying why, when none answers."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from tessera.family.feed import fanout
from tests.family.conftest import commit_events, open_feed
from tests.test_services_reachable import DEFAULT_REDIS_URL, _reachable

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_url(settings: Any) -> str:
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    reason = _reachable(url, 6379)
    if reason:
        pytest.skip(f"Redis not reachable: {reason}; start redis-server or set REDIS_URL")
    settings.REDIS_URL = url
    return url


def test_events_reach_an_open_stream_through_redis(world: Any, redis_url: str, slow_heartbeat: float) -> None:
    a = world.a
    published: list[tuple[int, int]] = []
    real_publish = fanout.publish

    def spy(school_id: int, learner_id: int) -> None:
        published.append((school_id, learner_id))
        real_publish(school_id, learner_id)

    @async_to_sync
    async def run() -> None:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        await feed.block()  # the retry hint: the stream is subscribed and listening
        assert asyncio.get_running_loop() in fanout._listeners, "a Redis listener serves this event loop"
        ids = await sync_to_async(commit_events)(a.school, a.learner, 3)
        assert [e.id for e in await feed.events(3, timeout=5)] == ids  # the heartbeat is 60 s
        await feed.close()
        assert asyncio.get_running_loop() not in fanout._listeners, "stopped with the last stream"

    fanout.publish = spy  # type: ignore[assignment]
    try:
        run()
    finally:
        fanout.publish = real_publish  # type: ignore[assignment]
    assert published == [(a.school.pk, a.learner.pk)] * 3


def test_a_notification_published_by_another_process_wakes_the_stream(
    world: Any, redis_url: str, slow_heartbeat: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event is committed without a notification here; another process's publish (a raw Redis
    PUBLISH on the child's channel) makes the stream re-read the outbox and find it."""
    import redis

    a = world.a
    monkeypatch.setattr(fanout, "publish", lambda school_id, learner_id: None)

    @async_to_sync
    async def run() -> None:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        await feed.block()
        ids = await sync_to_async(commit_events)(a.school, a.learner, 1)
        channel = fanout.CHANNEL_PREFIX + fanout.stream_key(a.school.pk, a.learner.pk)
        await sync_to_async(lambda: redis.Redis.from_url(redis_url).publish(channel, "1"))()
        assert [e.id for e in await feed.events(1, timeout=5)] == ids
        await feed.close()

    run()
