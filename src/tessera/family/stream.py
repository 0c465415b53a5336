"""The live feed of one child as server-sent events (``text/event-stream``).

The stream is an async iterator served by the ASGI server: an open feed costs a coroutine and a few
objects, not a thread. It

1. subscribes to the child's notifications first (so nothing committed from now on can slip by),
2. replays the outbox after ``Last-Event-ID`` (the header a reconnecting ``EventSource`` sends, or
   ``?last_event_id=``); without one, or with a malformed one, the recent window,
3. then waits: each notification, and each heartbeat (a ``: keep-alive`` comment every
   ``FAMILY_FEED_HEARTBEAT_SECONDS``), re-reads the outbox after the last id it sent. One cursor, ids
   in commit order per child (see :mod:`tessera.family.models`): every event once, none twice, even
   when a notification is lost or repeated.

The guardianship is checked again before each batch of events and at every heartbeat: when it has been
revoked, the stream ends.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings

from tessera.family import fanout, selectors
from tessera.family.permissions import can_follow_feed
from tessera.schools.models import User

RETRY_MS = 3000


def parse_last_event_id(value: str | None) -> int | None:
    """The id a client last received, or None when absent or malformed (then: the recent window)."""
    if value is None:
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def sse_event(item: selectors.FeedItem) -> str:
    data = json.dumps(item.as_json(), ensure_ascii=False, separators=(",", ":"))
    return f"id: {item.id}\nevent: feed\ndata: {data}\n\n"


async def feed_events(
    *, user: User, school_id: int, learner_id: int, last_event_id: int | None
) -> AsyncIterator[str]:
    """The body of a feed response (see the module's docstring)."""
    may_follow = sync_to_async(can_follow_feed)
    heartbeat = settings.FAMILY_FEED_HEARTBEAT_SECONDS
    subscription = fanout.broadcaster.subscribe(fanout.stream_key(school_id, learner_id))
    try:
        await fanout.listen()
        yield f"retry: {RETRY_MS}\n\n"
        if last_event_id is None:
            items, last_event_id = await sync_to_async(selectors.feed_recent)(
                school_id=school_id, learner_id=learner_id
            )
        else:
            items = await sync_to_async(selectors.feed_after)(
                school_id=school_id, learner_id=learner_id, after_id=last_event_id
            )
        while True:
            while items:
                for item in items:
                    yield sse_event(item)
                    last_event_id = max(last_event_id, item.id)
                if len(items) < selectors.FEED_BATCH:
                    break
                items = await sync_to_async(selectors.feed_after)(
                    school_id=school_id, learner_id=learner_id, after_id=last_event_id
                )
            if not await subscription.wait(heartbeat):
                yield ": keep-alive\n\n"
            # Checked right before reading (a yield may have waited on a slow client for a while).
            if not await may_follow(user, school_id=school_id, learner_id=learner_id):
                return  # the guardianship was revoked: the stream ends
            items = await sync_to_async(selectors.feed_after)(
                school_id=school_id, learner_id=learner_id, after_id=last_event_id
            )
    finally:
        fanout.broadcaster.unsubscribe(subscription)
        fanout.stop_listening_if_idle()
