"""The OpenAPI docs work under the strict Content-Security-Policy: every asset is served by Tessera."""

from __future__ import annotations

import re

from django.test import Client


def test_api_docs_load_only_self_hosted_assets(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    page = client.get("/api/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
    assert assets, "the docs page should load its scripts and styles"
    assert all(url.startswith("/static/") for url in assets), assets
    assert client.get(assets[0]).status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/classes" in schema["paths"]
