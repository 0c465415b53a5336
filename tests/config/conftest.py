"""Settings modules read again under an environment a test sets, and put back afterwards."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[[], ModuleType]]:
    """``production()`` reads the production settings again with the environment the test set.

    The environment starts as a complete production one (a secret key, an SMTP backend, a var folder of
    the test's own); tests remove or change what they are about.
    """
    monkeypatch.setenv("SECRET_KEY", "a-test-secret-key-that-is-long-enough-for-production-use-0123456789")
    monkeypatch.setenv("EMAIL_BACKEND", SMTP)
    monkeypatch.setenv("TESSERA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'tessera.sqlite3'}")
    for name in ("PROXY_HANDLES_HTTPS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    base = importlib.import_module("tessera.config.settings.base")

    def reload() -> ModuleType:
        importlib.reload(base)
        sys.modules.pop("tessera.config.settings.production", None)
        return importlib.import_module("tessera.config.settings.production")

    yield reload
    monkeypatch.undo()
    importlib.reload(base)
    sys.modules.pop("tessera.config.settings.production", None)
