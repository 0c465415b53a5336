"""Keep Django's middleware chain synchronous under ASGI.

Django builds the chain from the bottom up and starts it asynchronous under ASGI: every middleware that
can run either way (Django's own, django-csp's, django-axes') then runs asynchronously, and each hop
between a synchronous part and an asynchronous one costs a hand-over between threads. With the chain of
``settings.MIDDLEWARE`` that was seven or eight hand-overs per request (py-spy on the answer benchmark:
most of a worker's CPU was asgiref's thread hand-over, not the view). This middleware, which can only run
synchronously, goes last: the whole chain is then synchronous, entered with one hand-over at the top, and
the view is reached with two (Django's asynchronous core calls a synchronous view in a thread). Asynchronous
views (the family feed's stream) still run on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SynchronousChainMiddleware:
    """Passes the request on, unchanged; what matters is that it cannot run asynchronously."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
