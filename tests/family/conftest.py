"""Helpers for the family feed tests: committing events, and reading a server-sent event stream."""

from __future__ import annotations

import asyncio
import gc
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import AsyncClient

from tessera.family.feed.services import feed_event_record
from tessera.family.models import FeedEvent
from tessera.schools.models import School, User
from tests.practice.conftest import practice  # noqa: F401 (the practice fixture, for the outbox tests)


def commit_events(school: School, learner: User, count: int, *, start: int = 1) -> list[int]:
    """Commit ``count`` mastery events of ``learner``, each in its own transaction; their ids."""
    ids = []
    for n in range(start, start + count):
        with transaction.atomic():
            event = feed_event_record(
                school=school,
                learner=learner,
                kind=FeedEvent.Kind.COMPETENCY_MASTERED,
                payload={"competency": f"Competency {n}", "answers": n},
            )
        ids.append(event.pk)
    return ids


@dataclass
class Block:
    """One block of a text/event-stream body: an event, a comment or a retry hint."""

    id: int | None
    data: dict[str, Any] | None
    comment: str | None
    raw: str


def parse_block(raw: str) -> Block:
    event_id, data, comment = None, None, None
    for line in raw.split("\n"):
        if line.startswith(":"):
            comment = line[1:].strip()
        elif line.startswith("id: "):
            event_id = int(line[4:])
        elif line.startswith("data: "):
            data = json.loads(line[6:])
    return Block(event_id, data, comment, raw)


class SSEReader:
    """Reads a streaming response of the async test client block by block, each read with a timeout."""

    def __init__(self, response: Any) -> None:
        self.response = response
        self.iterator = response.streaming_content.__aiter__()
        self.buffer = ""

    async def block(self, timeout: float = 5.0) -> Block | None:
        """The next block, or None when the stream has ended."""
        while "\n\n" not in self.buffer:
            try:
                chunk = await asyncio.wait_for(self.iterator.__anext__(), timeout)
            except StopAsyncIteration:
                return None
            self.buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        raw, self.buffer = self.buffer.split("\n\n", 1)
        return parse_block(raw)

    async def events(self, count: int, timeout: float = 5.0) -> list[Block]:
        """The next ``count`` events, skipping comments and retry hints."""
        found: list[Block] = []
        while len(found) < count:
            block = await self.block(timeout)
            assert block is not None, f"the stream ended after {len(found)} of {count} events"
            if block.id is not None:
                found.append(block)
        return found

    async def until_keep_alive(self, timeout: float = 5.0) -> list[Block]:
        """Everything sent before the next heartbeat comment (events there would be unexpected)."""
        before: list[Block] = []
        while True:
            block = await self.block(timeout)
            assert block is not None, "the stream ended before a heartbeat"
            if block.comment == "keep-alive":
                return before
            if block.id is not None:
                before.append(block)

    async def close(self) -> None:
        """Drop the connection. Under a server, Django's ASGI handler cancels the response when the client
        goes away, which ends the view's generator; here the test client's wrappers hold it, so drop
        them and let the event loop finalize it (as it does any abandoned async generator)."""
        await self.iterator.aclose()
        self.iterator = self.response = None
        for _ in range(5):
            gc.collect()
            await asyncio.sleep(0.01)


async def open_feed(
    user: User, school: School, learner: User, last_event_id: str | None = None, *, query: bool = False
) -> tuple[int, SSEReader | None]:
    """Sign ``user`` in and open the feed of ``learner`` in ``school``: (status code, reader or None)."""
    client = AsyncClient()
    await client.aforce_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/family/feed/{school.pk}/{learner.pk}/stream"
    headers = {}
    if last_event_id is not None:
        if query:
            url += f"?last_event_id={last_event_id}"
        else:
            headers["Last-Event-ID"] = last_event_id
    response = await client.get(url, headers=headers)
    reader = SSEReader(response) if response.status_code == 200 and response.streaming else None
    return response.status_code, reader


@pytest.fixture
def fast_heartbeat(settings: Any) -> float:
    settings.FAMILY_FEED_HEARTBEAT_SECONDS = 0.2
    return 0.2


@pytest.fixture
def slow_heartbeat(settings: Any) -> float:
    """A heartbeat far longer than any wait of the test: what arrives came through a notification."""
    settings.FAMILY_FEED_HEARTBEAT_SECONDS = 60
    return 60
