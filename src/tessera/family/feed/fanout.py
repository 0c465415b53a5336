"""Fan-out of "this child has new events" notifications to the open feed streams.

A notification carries no event, only the child's key (school and learner): a stream that is notified
re-reads the outbox after the last id it sent, so a lost or duplicated notification never loses or
repeats an event, and nothing but the database decides what a guardian sees.

- Without ``REDIS_URL`` (one process): :class:`Broadcaster`, a registry of the streams open in this
  process. :func:`publish` runs in the committing thread (``transaction.on_commit``) and wakes each
  stream in its event loop with ``call_soon_threadsafe``; no thread waits per connection.
- With ``REDIS_URL`` (several processes or servers): :func:`publish` sends the key on a Redis pub/sub
  channel per school and learner (``tessera:feed:<school>:<learner>``); each process runs one listener
  per event loop (``redis.asyncio``, one connection subscribed to the ``tessera:feed:*`` pattern, however
  many streams are open) that hands what it hears to the local broadcaster. When the listener
  (re)connects it wakes every local stream, which re-reads the outbox: nothing published while Redis was
  unreachable is lost, only delayed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from functools import cache

import redis
import redis.asyncio as aredis
from django.conf import settings

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "tessera:feed:"


def stream_key(school_id: int, learner_id: int) -> str:
    return f"{school_id}:{learner_id}"


class Subscription:
    """One open stream's doorbell: set from any thread, awaited in the stream's event loop."""

    def __init__(self, key: str, loop: asyncio.AbstractEventLoop) -> None:
        self.key = key
        self.loop = loop
        self._event = asyncio.Event()
        self.rung_at = 0.0  # loop time of the last ring: a read after it sees what was announced

    def ring(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: the stream is gone
            self.loop.call_soon_threadsafe(self._set)

    def _set(self) -> None:
        self.rung_at = self.loop.time()
        self._event.set()

    async def wait(self, timeout: float) -> bool:
        """Wait until rung or ``timeout`` seconds pass; True when rung. Clears the bell."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True


def _ring_all(group: list[Subscription]) -> None:
    for subscription in group:
        subscription._set()


class Broadcaster:
    """The streams open in this process, by child key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, set[Subscription]] = {}

    def subscribe(self, key: str) -> Subscription:
        subscription = Subscription(key, asyncio.get_running_loop())
        with self._lock:
            self._subscriptions.setdefault(key, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            subscribers = self._subscriptions.get(subscription.key)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscriptions[subscription.key]

    def notify(self, key: str) -> None:
        """Ring every stream of ``key``: those of one event loop in one callback, so they all wake with the
        same ring time and can share one read (:class:`tessera.family.feed.stream.SharedReads`)."""
        with self._lock:
            subscribers = list(self._subscriptions.get(key, ()))
        by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
        for subscription in subscribers:
            by_loop.setdefault(subscription.loop, []).append(subscription)
        for loop, group in by_loop.items():
            with contextlib.suppress(RuntimeError):  # the loop has closed: its streams are gone
                loop.call_soon_threadsafe(_ring_all, group)

    def notify_all(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        with self._lock:
            subscribers = [s for group in self._subscriptions.values() for s in group]
        for subscription in subscribers:
            if loop is None or subscription.loop is loop:
                subscription.ring()

    def count(self, loop: asyncio.AbstractEventLoop) -> int:
        with self._lock:
            return sum(1 for group in self._subscriptions.values() for s in group if s.loop is loop)


broadcaster = Broadcaster()


@cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def publish(school_id: int, learner_id: int) -> None:
    """Tell every open stream of this child, in any process, that it has new events (after a commit)."""
    key = stream_key(school_id, learner_id)
    url = settings.REDIS_URL
    if not url:
        broadcaster.notify(key)
        return
    try:
        _redis_client(url).publish(CHANNEL_PREFIX + key, "1")
    except redis.RedisError:
        # The event is committed in the outbox: streams find it at their next heartbeat.
        logger.warning("Could not publish a feed notification to Redis", exc_info=True)


class RedisListener:
    """One Redis subscription per event loop, shared by every stream of that loop."""

    def __init__(self, url: str, loop: asyncio.AbstractEventLoop) -> None:
        self.url = url
        self.loop = loop
        self.ready = asyncio.Event()
        self.task = loop.create_task(self._run())

    async def _run(self) -> None:
        while True:
            client = aredis.Redis.from_url(self.url)
            pubsub = client.pubsub()
            try:
                await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                async for message in pubsub.listen():
                    if message["type"] == "psubscribe":
                        self.ready.set()
                        broadcaster.notify_all(self.loop)  # anything published while we were away
                    elif message["type"] == "pmessage":
                        channel = message["channel"]
                        if isinstance(channel, bytes):
                            channel = channel.decode()
                        broadcaster.notify(channel.removeprefix(CHANNEL_PREFIX))
            except (redis.RedisError, OSError):
                logger.warning("Feed listener lost Redis; reconnecting in 1 s", exc_info=True)
                self.ready.clear()
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                    await client.aclose()


_listeners: dict[asyncio.AbstractEventLoop, RedisListener] = {}
_listeners_lock = threading.Lock()


async def listen(ready_timeout: float = 2.0) -> None:
    """Make sure this event loop hears Redis notifications (no-op without ``REDIS_URL``); waits up to
    ``ready_timeout`` seconds for the subscription to be confirmed, so a stream that replays the outbox
    next hears what is committed after it."""
    url = settings.REDIS_URL
    if not url:
        return
    loop = asyncio.get_running_loop()
    with _listeners_lock:
        listener = _listeners.get(loop)
        if listener is None or listener.task.done():
            listener = _listeners[loop] = RedisListener(url, loop)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(listener.ready.wait(), ready_timeout)


def stop_listening_if_idle() -> None:
    """Stop this loop's Redis listener when no stream of the loop is open any more."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if broadcaster.count(loop):
        return
    with _listeners_lock:
        listener = _listeners.pop(loop, None)
    if listener is not None:
        listener.task.cancel()
