"""ASGI entry point used by `make run` (uvicorn) and production servers.

Django's own ASGI handler gives every request a thread of its own for its synchronous code (asgiref's
``ThreadSensitiveContext``): a thread is started per request, and that thread's database connection is
opened and closed with it (a persistent one would never be reused). On the answer benchmark that was about
half of a worker's CPU (SQLite as `make run`: 19.7 ms per answer, 57 answers/s; with one thread: 9.4 ms,
101 answers/s). So, unless ``ASGI_THREAD_PER_REQUEST=1``, each worker runs the synchronous code of all its
requests in one thread, as a classic WSGI worker does, with one persistent database connection (or one
from the pool at a time); scale out with more workers (``WORKERS``). Asynchronous code is unaffected: the
family feed's open streams wait on the event loop, and their reads run in asgiref's thread pool.
"""

import os

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessera.config.settings.local")


class OneThreadASGIHandler(ASGIHandler):
    """Django's handler without the per-request thread: synchronous code runs in the worker's one
    thread for synchronous work (asgiref's single-thread executor)."""

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)


django.setup(set_prefix=False)
application = ASGIHandler() if settings.ASGI_THREAD_PER_REQUEST else OneThreadASGIHandler()
