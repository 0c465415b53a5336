"""The site's own pages around the app: its 404 page (also as `make run` serves it), its icon, and a
footer without the developers' API docs (linked from the README instead)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_page_is_the_apps_own_404_page(db: None) -> None:
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and 'href="/"' in page
    assert "URLconf" not in page and "tessera.config.urls" not in page  # not Django's debug page


def test_local_settings_keep_debug_off_unless_asked() -> None:
    """`make run` (local settings) shows no debug page listing the site's addresses unless DEBUG=1."""
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "tessera.config.settings.local"
    code = "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "False"
    env["DEBUG"] = "1"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "True"


def test_the_favicon_is_served_by_the_site(db: None) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    login = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/web/favicon.ico"' in login


def test_the_footer_does_not_link_the_api_docs_and_the_readme_does(db: None) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "/api/docs" not in page
    assert "/api/docs" in (ROOT / "README.md").read_text()
