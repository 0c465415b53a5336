"""Password-reset links stay out of the server's log: the access log line of a request to one, and any
other record through the console handler, has the token replaced."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator

import pytest
from django.conf import settings


@pytest.fixture
def configured_log() -> Iterator[io.StringIO]:
    """The project's LOGGING, its console handler writing to a buffer (as it was, after)."""
    buffer = io.StringIO()
    logging.config.dictConfig(settings.LOGGING)
    for handler in logging.getLogger("uvicorn.access").handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def test_the_access_log_line_of_a_reset_link_has_no_token(configured_log: io.StringIO) -> None:
    access = logging.getLogger("uvicorn.access")
    path = "/accounts/password/reset/MTI/c3x9qz-8f3b2a1e0d9c8b7a6f5e4d3c2b1a0f9e/"
    # uvicorn's own call: client, method, path, HTTP version, status
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 302)
    access.info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/accounts/password/reset/sent/", "1.1", 200
    )
    written = configured_log.getvalue()
    assert "c3x9qz-8f3b2a1e0d9c8b7a6f5e4d3c2b1a0f9e" not in written and "MTI" not in written
    assert '"GET /accounts/password/reset/[redacted]/ HTTP/1.1" 302' in written
    assert "/accounts/password/reset/sent/" in written, "pages without a token are logged as they are"
