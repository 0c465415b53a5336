"""The ASGI application `make run` and production serve: a worker's synchronous code runs in one thread
that keeps its database connection from request to request (tessera/config/asgi.py), instead of a thread
and a new connection per request; a synchronous view is reached with one hand-over to that thread, and the
family feed's stream (an asynchronous view) still goes through Django's ASGI handler."""

from __future__ import annotations

import json
import threading
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.core.signals import request_started
from django.db.backends.signals import connection_created
from django.test import Client

from tessera.config import asgi
from tests.config.test_sync_chain import crossings_of
from tests.conftest import PASSWORD
from tests.curriculum.documents import small_framework

pytestmark = pytest.mark.django_db(transaction=True)


async def _request(
    path: str, *, method: str = "GET", body: bytes = b"", headers: tuple[tuple[bytes, bytes], ...] = ()
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Serve one request through the ASGI application as a server would: status, headers and body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(asgi.application, scope)
    # The body in two parts, as a slow phone's request arrives.
    half = len(body) // 2
    await communicator.send_input({"type": "http.request", "body": body[:half], "more_body": True})
    await communicator.send_input({"type": "http.request", "body": body[half:], "more_body": False})
    start = await communicator.receive_output(timeout=10)
    content = b""
    while True:
        part = await communicator.receive_output(timeout=10)
        content += part.get("body", b"")
        if not part.get("more_body"):
            break
    await communicator.wait(timeout=10)
    return int(start["status"]), start["headers"], content


async def _get(path: str) -> int:
    return (await _request(path))[0]


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


def _signed_in_headers(user: Any) -> tuple[tuple[bytes, bytes], ...]:
    """A browser's headers for the API: its session and CSRF cookies, the CSRF header, JSON."""
    client = Client()
    token = client.get("/accounts/login/").cookies["csrftoken"].value
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    return (
        (b"cookie", cookies.encode()),
        (b"x-csrftoken", token.encode()),
        (b"content-type", b"application/json"),
    )


def test_an_api_request_is_handed_to_the_thread_once_with_its_whole_body(world: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    competency = small_framework(world.a.school).competencies.get(code="add")
    headers = _signed_in_headers(world.a.learner)
    body = json.dumps({"competency_id": competency.pk}).encode()
    replies: list[tuple[int, list[tuple[bytes, bytes]], bytes]] = []
    crossings = (
        crossings_of(
            lambda: replies.append(
                async_to_sync(_request)("/api/practice/sessions", method="POST", body=body, headers=headers)
            )
        )
        - 1
    )  # the test's own async_to_sync around the request
    status, response_headers, content = replies[0]
    assert status == 201, content
    assert json.loads(content)["competency_id"] == competency.pk  # the body arrived whole
    assert (b"content-type", b"application/json; charset=utf-8") in response_headers
    assert crossings == 1, f"{crossings} hand-overs between the event loop and the thread for one request"


def test_every_cookie_a_response_sets_reaches_the_browser(world: Any, settings: Any) -> None:
    """Signing in sets the session and a fresh CSRF cookie: two Set-Cookie headers, neither lost."""
    settings.ALLOWED_HOSTS = ["testserver"]
    page = Client().get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    form = urlencode(
        {"username": world.a.learner.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    status, headers, content = async_to_sync(_request)(
        "/accounts/login/",
        method="POST",
        body=form.encode(),
        headers=(
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"cookie", f"csrftoken={token}".encode()),
        ),
    )
    cookies = [value.split(b"=", 1)[0] for name, value in headers if name == b"set-cookie"]
    assert status == 302, content
    assert b"sessionid" in cookies and b"csrftoken" in cookies


def test_the_family_feed_stream_still_goes_through_djangos_asgi_handler(world: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    handled: list[str] = []
    original = asgi.application.asynchronous.handle

    async def noting(scope: Any, receive: Any, send: Any) -> None:
        handled.append(scope["path"])
        await original(scope, receive, send)

    stream = f"/family/feed/{world.a.school.pk}/{world.a.learner.pk}/stream"
    with mock.patch.object(asgi.application.asynchronous, "handle", noting):
        assert async_to_sync(_get)(stream) == 302  # nobody signed in: to the sign-in page
        assert async_to_sync(_get)("/api/me") == 401
    assert handled == [stream]
