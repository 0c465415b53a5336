"""Files only the server's own account may read: the var/ folder (0700) and the SQLite database (0600)."""

from __future__ import annotations

import os
from pathlib import Path


def private_directory(path: Path) -> None:
    """Create ``path`` (and its parents) if missing; make it 0700 when this account owns it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid():
        path.chmod(0o700)


def private_file(path: Path) -> None:
    """Create ``path`` empty (0600) if missing, or make it 0600; SQLite's -wal and -shm files take the
    database file's permissions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_RDONLY, 0o600)
    os.close(descriptor)
    if path.stat().st_uid == os.getuid():
        path.chmod(0o600)
