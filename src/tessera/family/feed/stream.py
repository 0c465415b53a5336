"""The live feed of one child as server-sent events (``text/event-stream``).

The stream is an async iterator served by the ASGI server: an open feed costs a coroutine and a few
objects, not a thread. It

1. subscribes to the child's notifications first (so nothing committed from now on can slip by),
2. replays the outbox after ``Last-Event-ID`` (the header a reconnecting ``EventSource`` sends, or
   ``?last_event_id=``), from the start when it is above every event id (a restored database); without
   one, or with a malformed one, the recent window,
3. then waits: each notification, and each heartbeat (a ``: keep-alive`` comment every
   ``FAMILY_FEED_HEARTBEAT_SECONDS``), re-reads the outbox after the last id it sent. One cursor, ids
   in commit order per child (see :mod:`tessera.family.feed.models`): every event once, none twice, even
   when a notification is lost or repeated.

The guardianship is checked again before each batch of events and at every heartbeat: when it has been
revoked, the stream ends. At every heartbeat the stream also asks whether the session that opened it
still counts (:func:`tessera.schools.sessions.store.session_is_current`): after a sign-out, a password change
or the account's deactivation the stream ends there, instead of outliving the sign-in.

Only what the guardian may read is sent (:mod:`tessera.family.feed.selectors`): the topics the child shares
are applied in the read all streams of the child share, the events meant for one guardian per stream;
the cursor moves past the hidden events all the same.

No thread is held per open feed: the stream's reads run in the event loop's shared executor (a few
threads per process, each read returning its database connection when done), and the thread Django
keeps for each ASGI request's thread-sensitive work is released once the response starts
(:func:`release_request_thread`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from asgiref.sync import SyncToAsync, sync_to_async
from django.conf import settings
from django.core.cache import caches
from django.db import close_old_connections, connections
from django.utils import translation

from tessera.family.feed import fanout, selectors
from tessera.family.permissions import feed_followers
from tessera.schools.models import User
from tessera.schools.sessions.store import session_is_current

RETRY_MS = 3000
T = TypeVar("T")


async def release_request_thread() -> None:
    """With ``ASGI_THREAD_PER_REQUEST=1`` Django serves each ASGI request inside asgiref's
    ``ThreadSensitiveContext``: its first
    thread-sensitive call (a synchronous middleware, the session, the permission check) starts a thread,
    and that thread's database connection, which both live until the response has been sent, that is
    for as long as a feed stays open (a pool of 16 connections per worker would be empty after 16 feeds),
    and so does the request's Redis cache client. The stream needs none of them: they are given back and
    the thread ends here; Django starts another thread for the response's closing, ended with the request."""
    contexts = getattr(SyncToAsync, "thread_sensitive_context", None)
    executors = getattr(SyncToAsync, "context_to_thread_executor", None)
    if contexts is None or executors is None:
        return
    context = contexts.get(None)
    if context is None or context not in executors:
        # One thread per worker (tessera.config.asgi): no thread of the request's own to end, and the
        # database connection is the worker's; the request's cache clients are still its own.
        await sync_to_async(_release_request_caches)()
        return
    await sync_to_async(_release_request_resources)()  # in that thread, with the request's context
    executor = executors.pop(context, None)
    if executor is not None:
        executor.shutdown(wait=False)


def _release_request_resources() -> None:
    """Give back what the request's thread holds: its database connections (to the pool) and the Redis
    connections of the request's cache clients (Django makes a cache client per request context; a
    later use reconnects), and forget those clients (about 9 KB each, for as long as the feed is open)."""
    connections.close_all()
    _release_request_caches()


def _release_request_caches() -> None:
    for cache in caches.all(initialized_only=True):
        pools = getattr(getattr(cache, "_cache", None), "_pools", None)
        for pool in (pools or {}).values():
            pool.disconnect()
    for alias in caches:
        with contextlib.suppress(AttributeError):  # none made in this request
            del caches[alias]  # a later use in this context makes a new one


def _then_release_connection(function: Callable[..., T], kwargs: dict[str, Any], language: str | None) -> T:
    try:
        if language is None:
            return function(**kwargs)
        with translation.override(language):  # the sentences are built here, in the guardian's language
            return function(**kwargs)
    finally:
        close_old_connections()  # back to the pool (or closed): executor threads are shared


async def _read(function: Callable[..., T], *, language: str | None = None, **kwargs: Any) -> T:
    """Run a database read in the event loop's shared executor, not in a thread of this request
    (under ``language`` when given: executor threads do not carry the request's active language)."""
    read = partial(_then_release_connection, function, kwargs, language)
    return await sync_to_async(read, thread_sensitive=False)()


def parse_last_event_id(value: str | None) -> int | None:
    """The id a client last received, or None when absent or malformed (then: the recent window)."""
    if value is None:
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@dataclass(frozen=True)
class Snapshot:
    """Who may follow a child's feed, and the child's events after ``after_id``, read at ``started``."""

    followers: frozenset[int]
    page: selectors.FeedPage
    after_id: int
    started: float


def _snapshot_read(*, school_id: int, learner_id: int, after_id: int, started: float) -> Snapshot:
    followers = feed_followers(school_id=school_id, learner_id=learner_id)
    page = selectors.feed_after(school_id=school_id, learner_id=learner_id, after_id=after_id)
    return Snapshot(followers, page, after_id, started)


class SharedReads:
    """One read for all the streams of a child in one event loop that wake for the same notification.

    An event of a child followed by ten open feeds in a process wakes ten streams at once; instead of ten
    permission checks and ten reads, the first stream starts one read (the child's current followers and
    the events after its cursor) and the others join it, when it started after their notification (so it
    sees the announced event) and from a cursor no later than theirs; each keeps the events after its own
    cursor, and ends when it is no longer among the followers.
    """

    def __init__(self) -> None:
        self._reads: dict[tuple[asyncio.AbstractEventLoop, str, str | None], asyncio.Task[Snapshot]] = {}

    async def read(
        self,
        *,
        school_id: int,
        learner_id: int,
        after_id: int,
        not_before: float,
        language: str | None = None,
    ) -> Snapshot:
        loop = asyncio.get_running_loop()
        # Streams share a read only when they read in the same language (the sentences are in it).
        key = (loop, fanout.stream_key(school_id, learner_id), language)
        task = self._reads.get(key)
        snapshot_of = getattr(task, "snapshot_of", None)
        if task is None or snapshot_of is None or snapshot_of[0] < not_before or snapshot_of[1] > after_id:
            started = loop.time()
            task = loop.create_task(
                _read(
                    _snapshot_read,
                    language=language,
                    school_id=school_id,
                    learner_id=learner_id,
                    after_id=after_id,
                    started=started,
                )
            )
            task.snapshot_of = (started, after_id)  # type: ignore[attr-defined]
            self._reads[key] = task
            task.add_done_callback(
                lambda done: self._reads.pop(key, None) if self._reads.get(key) is done else None
            )
        snapshot = await asyncio.shield(task)
        if snapshot.after_id == after_id:
            return snapshot
        page = snapshot.page
        items = [item for item in page.items if item.id > after_id]
        mine = selectors.FeedPage(items, max(page.cursor, after_id), page.complete)
        return Snapshot(snapshot.followers, mine, after_id, snapshot.started)


shared_reads = SharedReads()


def sse_event(item: selectors.FeedItem) -> str:
    data = json.dumps(item.as_json(), ensure_ascii=False, separators=(",", ":"))
    return f"id: {item.id}\nevent: feed\ndata: {data}\n\n"


async def feed_events(
    *,
    user: User,
    session_key: str | None,
    school_id: int,
    learner_id: int,
    last_event_id: int | None,
    language: str | None = None,
) -> AsyncIterator[str]:
    """The body of a feed response (see the module's docstring); sentences in ``language`` (the request's).
    ``session_key`` is the session the request was signed in with: the stream lasts while it does."""
    heartbeat = settings.FAMILY_FEED_HEARTBEAT_SECONDS
    subscription = fanout.broadcaster.subscribe(fanout.stream_key(school_id, learner_id))
    try:
        await release_request_thread()
        await fanout.listen()
        yield f"retry: {RETRY_MS}\n\n"
        cursor: int
        complete: bool  # the events up to the cursor are sent (or hidden from this guardian)
        if last_event_id is None:
            items, cursor = await _read(
                selectors.feed_recent,
                language=language,
                guardian_id=user.pk,
                school_id=school_id,
                learner_id=learner_id,
            )
            for item in items:
                yield sse_event(item)
            complete = True
        else:  # an id above every event's (a restored database) replays from the start
            cursor = await _read(selectors.feed_resume_cursor, last_event_id=last_event_id)
            complete = False
        while True:
            while not complete:
                page = await _read(
                    selectors.feed_after,
                    language=language,
                    school_id=school_id,
                    learner_id=learner_id,
                    after_id=cursor,
                )
                for item in selectors.for_guardian(page.items, user.pk):
                    yield sse_event(item)
                # Past the hidden events too: ids are cursor positions, nothing is read or sent twice.
                cursor, complete = max(cursor, page.cursor), page.complete
            rung = await subscription.wait(heartbeat)
            if not rung:
                if not await _read(session_is_current, session_key=session_key, user_id=user.pk):
                    return  # signed out, password changed or account deactivated: the stream ends
                yield ": keep-alive\n\n"
            # Read after the last notification (it then sees the announced events); at a heartbeat, now.
            # The guardianship is checked in the same read, right before sending anything.
            not_before = subscription.rung_at if rung else asyncio.get_running_loop().time()
            snapshot = await shared_reads.read(
                school_id=school_id,
                learner_id=learner_id,
                after_id=cursor,
                not_before=not_before,
                language=language,
            )
            if user.pk not in snapshot.followers:
                return  # the guardianship was revoked: the stream ends
            for item in selectors.for_guardian(snapshot.page.items, user.pk):
                yield sse_event(item)
            cursor, complete = max(cursor, snapshot.page.cursor), snapshot.page.complete
    finally:
        fanout.broadcaster.unsubscribe(subscription)
        fanout.stop_listening_if_idle()
