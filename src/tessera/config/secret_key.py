"""Generate the secret key on first run and keep it in the local var/ folder."""

from __future__ import annotations

import secrets
from pathlib import Path


def load_or_create_secret_key(path: Path) -> str:
    """Return the key stored at ``path``, creating it (readable by the owner only) when missing."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
