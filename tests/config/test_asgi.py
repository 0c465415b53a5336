"""The ASGI application `make run` and production serve: a worker's synchronous code runs in one thread
that keeps its database connection from request to request (tessera/config/asgi.py), instead of a thread
and a new connection per request."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.core.signals import request_started
from django.db.backends.signals import connection_created

from tessera.config import asgi

pytestmark = pytest.mark.django_db(transaction=True)


async def _get(path: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(asgi.application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=10)
    while (await communicator.receive_output(timeout=10)).get("more_body"):
        pass
    await communicator.wait(timeout=10)
    return int(start["status"])


def test_requests_share_one_thread_and_one_database_connection(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    threads: list[int] = []
    connections: list[object] = []

    def on_request(**kwargs: Any) -> None:
        threads.append(threading.get_ident())

    def on_connection(connection: object, **kwargs: Any) -> None:
        connections.append(connection)

    request_started.connect(on_request)
    connection_created.connect(on_connection)
    try:
        statuses = [async_to_sync(_get)("/api/me") for _ in range(4)]
    finally:
        request_started.disconnect(on_request)
        connection_created.disconnect(on_connection)
    assert statuses == [401] * 4  # a real answer from the app: nobody is signed in
    assert len(threads) == 4 and len(set(threads)) == 1, "one thread for every request's synchronous code"
    assert len(connections) <= 1, "the worker's connection is kept from request to request"
