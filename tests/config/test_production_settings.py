"""Production refuses to start in a way that would leak secrets (no SECRET_KEY, mail written to the log),
redirects to HTTPS and sends HSTS unless a proxy does, and keeps the SQLite file to the server's account.
Local settings still start with no configuration at all, and mail to the console there."""

from __future__ import annotations

import importlib
import stat
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_production_refuses_to_start_without_a_secret_key(production, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        production()


def test_production_refuses_to_start_without_a_mail_backend(production, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("EMAIL_BACKEND")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND is not set"):
        production()


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem"])
def test_production_refuses_mail_that_ends_up_in_the_log_or_on_disk(production, monkeypatch, backend) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EMAIL_BACKEND", f"django.core.mail.backends.{backend}.EmailBackend")
    with pytest.raises(ImproperlyConfigured, match=f"EMAIL_BACKEND=django.core.mail.backends.{backend}"):
        production()


def test_production_redirects_to_https_and_sends_hsts_by_default(production) -> None:  # type: ignore[no-untyped-def]
    settings = production()
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SECURE_HSTS_SECONDS >= 180 * 24 * 3600
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.DEBUG is False


def test_behind_a_proxy_that_handles_https_django_leaves_it_to_the_proxy(production, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PROXY_HANDLES_HTTPS", "1")
    settings = production()
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SESSION_COOKIE_SECURE is True  # cookies still travel over HTTPS only


def test_the_sqlite_file_and_the_var_folder_are_the_servers_alone(production, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = production()
    database = Path(settings.DATABASES["default"]["NAME"])
    assert database.exists()
    assert mode(database) == 0o600
    assert mode(tmp_path / "var") == 0o700


def test_an_existing_world_readable_sqlite_file_is_made_private(production, tmp_path) -> None:  # type: ignore[no-untyped-def]
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    (var / "tessera.sqlite3").touch()
    (var / "tessera.sqlite3").chmod(0o644)
    production()
    assert mode(var / "tessera.sqlite3") == 0o600
    assert mode(var) == 0o700


def test_local_settings_start_with_nothing_configured(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ("SECRET_KEY", "EMAIL_BACKEND", "DATABASE_URL", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TESSERA_VAR_DIR", str(tmp_path / "var"))
    base = importlib.import_module("tessera.config.settings.base")
    try:
        importlib.reload(base)
        sys.modules.pop("tessera.config.settings.local", None)
        local = importlib.import_module("tessera.config.settings.local")
        assert local.DEBUG is False  # the debug pages list the site's addresses: DEBUG=1 turns them on
        assert local.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
        assert len(local.SECRET_KEY) >= 50
        assert mode(tmp_path / "var" / "secret_key") == 0o600
        assert mode(tmp_path / "var" / "tessera.sqlite3") == 0o600
    finally:
        monkeypatch.undo()
        importlib.reload(base)
        sys.modules.pop("tessera.config.settings.local", None)
