"""Uploaded files kept by Tessera (evaluations' attachments, curriculum images and documents): the one
place that checks a file by its first bytes (never by its name or declared type) and its size, and writes
it under a random name, readable by the server's account only, removing it again when the row that names
it is not created."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile

T = TypeVar("T")

# content type -> (first bytes, extension)
KNOWN_TYPES: Mapping[str, tuple[bytes, str]] = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "image/gif": (b"GIF8", ".gif"),
}


def upload_too_large(upload: UploadedFile, limit: int) -> bool:
    return upload.size is None or upload.size > limit


def upload_type(upload: UploadedFile, allowed: Iterable[str]) -> str | None:
    """The content type ``upload``'s first bytes show, among ``allowed`` (keys of ``KNOWN_TYPES``)."""
    head = upload.read(16)
    upload.seek(0)
    return next((kind for kind in allowed if head.startswith(KNOWN_TYPES[kind][0])), None)


def upload_keep(folder: Path, upload: UploadedFile, content_type: str, row: Callable[[str], T]) -> T:
    """Write ``upload`` into ``folder`` under a random name (mode 0600) and return ``row(stored_name)``, the
    database row naming it; if making the row fails, the file is removed and the error raised again. (A
    rollback of an enclosing transaction after this returns leaves an orphan, removed by a periodic sweep.)"""
    stored_name = f"{uuid.uuid4().hex}{KNOWN_TYPES[content_type][1]}"
    path = folder / stored_name
    try:
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        path.chmod(0o600)
        return row(stored_name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
