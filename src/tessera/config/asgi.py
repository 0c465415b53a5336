"""ASGI entry point used by `make run` (uvicorn) and production servers.

Django's own ASGI handler gives every request a thread of its own for its synchronous code (asgiref's
``ThreadSensitiveContext``): a thread is started per request, and that thread's database connection is
opened and closed with it (a persistent one would never be reused). On the answer benchmark that was about
half of a worker's CPU (SQLite as `make run`: 19.7 ms per answer, 57 answers/s; with one thread: 9.4 ms,
101 answers/s). So, unless ``ASGI_THREAD_PER_REQUEST=1``, each worker runs the synchronous code of all its
requests in one thread, as a classic WSGI worker does, with one persistent database connection (or one
from the pool at a time); scale out with more workers (``WORKERS``).

And a request for a synchronous view (every page and API endpoint but the family feed's stream) is handed
to that thread once: :class:`OneHopHandler` reads the body on the event loop, runs Django's WSGI handler in
the thread, and sends the response it collected. Django's ASGI handler crosses between the loop and the
thread six times per request (``tests/config/test_sync_chain.py``), a2wsgi's bridge four; one crossing
served 177-182 answers/s at 5.4-5.6 ms of CPU each (SQLite as `make run`), against 153 at 6.1 ms for Django's
handler and 161 at 5.6 ms for a2wsgi (2026-12-07). Asynchronous views (the feed's open streams) still go
through Django's ASGI handler and wait on the event loop; their reads run in the same thread.
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import django
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.urls import Resolver404, resolve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessera.config.settings.local")

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Any], Awaitable[None]]


class OneThreadASGIHandler(ASGIHandler):
    """Django's handler without the per-request thread: synchronous code runs in the worker's one
    thread for synchronous work (asgiref's single-thread executor)."""

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)


def wsgi_environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ (PEP 3333) of an ASGI HTTP request whose body has been read."""
    server_name, server_port = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "SERVER_NAME": server_name,
        "SERVER_PORT": str(server_port or 0),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = scope["client"][0], str(scope["client"][1])
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    environ["CONTENT_LENGTH"] = str(len(body))  # what was read, chunked requests included
    return environ


class OneHopHandler:
    """Synchronous views through Django's WSGI handler, with one hand-over to the worker's thread per
    request; asynchronous views through ``asynchronous`` (Django's ASGI handler).

    The response is collected in the thread and sent whole: Tessera's synchronous views answer pages,
    JSON and files of a few megabytes at most; anything that streams for long is an asynchronous view."""

    def __init__(self, asynchronous: ASGIHandler) -> None:
        self.asynchronous = asynchronous
        self.wsgi = WSGIHandler()
        self._respond_in_thread = sync_to_async(self._respond, thread_sensitive=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        if _is_asynchronous_view(scope["path"]):
            await self.asynchronous(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:  # the client went away before sending the whole request
            return
        status, headers, content = await self._respond_in_thread(wsgi_environ(scope, body))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    def _respond(self, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        started: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started["status"] = int(status.split(" ", 1)[0])
            # Django writes a Set-Cookie value with a leading space (SimpleCookie's output)
            started["headers"] = [
                (n.lower().encode("latin-1"), v.strip().encode("latin-1")) for n, v in headers
            ]
            return None

        chunks: Iterable[bytes] = self.wsgi(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()  # Django's request_finished: connections, caches
        return started["status"], started["headers"], content


def _is_asynchronous_view(path: str) -> bool:
    try:
        return asyncio.iscoroutinefunction(resolve(path).func)
    except Resolver404:
        return False


async def _read_body(receive: Receive) -> bytes | None:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return bytes(body)


django.setup(set_prefix=False)
application = ASGIHandler() if settings.ASGI_THREAD_PER_REQUEST else OneHopHandler(OneThreadASGIHandler())
