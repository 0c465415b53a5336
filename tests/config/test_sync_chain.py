"""Under ASGI a request crosses between the event loop and a thread at most six times, Django's own
minimum for a synchronous view: the two receivers of ``request_started``, into the synchronous middleware
chain, back into Django's asynchronous core, into the view, and the response's closing. An asynchronous
stretch in the middle of the chain adds crossings (nine in all before tessera.config.sync_chain), and each
costs CPU on every one of a school's answers."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from asgiref.sync import AsyncToSync, SyncToAsync, async_to_sync
from django.test import AsyncClient

from tessera.schools.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def crossings_of(request: Any) -> int:
    """How many times serving ``request`` (a coroutine function of an AsyncClient) hands over between the
    event loop and a thread."""
    counted = {"n": 0}
    sync_to_async_call, async_to_sync_call = SyncToAsync.__call__, AsyncToSync.__call__

    async def counting_sync_to_async(self: SyncToAsync, *args: Any, **kwargs: Any) -> Any:
        counted["n"] += 1
        return await sync_to_async_call(self, *args, **kwargs)

    def counting_async_to_sync(self: AsyncToSync, *args: Any, **kwargs: Any) -> Any:
        counted["n"] += 1
        return async_to_sync_call(self, *args, **kwargs)

    with (
        mock.patch.object(SyncToAsync, "__call__", counting_sync_to_async),
        mock.patch.object(AsyncToSync, "__call__", counting_async_to_sync),
    ):
        request()
    return counted["n"]


def test_an_api_request_crosses_threads_at_most_six_times(world: Any) -> None:
    learner: User = world.a.learner
    client = AsyncClient()
    async_to_sync(client.aforce_login)(learner, backend="django.contrib.auth.backends.ModelBackend")
    seen: dict[str, Any] = {}

    @async_to_sync
    async def ask() -> None:
        seen["response"] = await client.get("/api/me")

    crossings = crossings_of(ask) - 1  # the test's own async_to_sync around the request
    assert seen["response"].status_code == 200, seen["response"].content
    assert json.loads(seen["response"].content)["username"] == learner.username
    assert crossings <= 6, f"{crossings} hand-overs between the event loop and threads for one request"
