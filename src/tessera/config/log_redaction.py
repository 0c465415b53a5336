"""Keep secrets that travel in addresses out of the server's log.

A password-reset link carries its token in the path (``/accounts/password/reset/<uid>/<token>/``), and the
ASGI server logs every request's path (uvicorn's access log, on under ``make run``): anyone who reads the
log could set the account's password while the link is valid. Every record that reaches the console
handler has such tokens replaced before it is written.
"""

from __future__ import annotations

import logging
import re

RESET_LINK = re.compile(r"(/password/reset/)(?!sent/|complete/)[^/\s\"?]+/[^/\s\"?]+/")
REDACTED = r"\1[redacted]/"


class SecretPathFilter(logging.Filter):
    """Replace password-reset tokens in a record's message (the record is rewritten, never dropped)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = RESET_LINK.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
