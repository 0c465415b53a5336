"""Every role against every endpoint and page: allowed, forbidden, not found, and across schools."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import get_resolver

from tessera.api import api
from tessera.schools import permissions
from tests.permission_matrix.case import ROLES, Case

PUBLIC_PAGES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "favicon",
    "invitation-accept",
}


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("cases_"):
            cases.extend(importlib.import_module(f"tests.permission_matrix.{module.name}").CASES)
    return cases


CASES = all_cases()


def _request(case: Case, client, url: str, world):  # type: ignore[no-untyped-def]
    if case.method == "GET":
        return client.get(url)
    body = case.payload(world) if case.payload else {}
    if case.is_api:
        return client.generic(case.method, url, data=json.dumps(body), content_type="application/json")
    return client.post(url, data=body)


def mismatches_for(case: Case, world) -> list[str]:  # type: ignore[no-untyped-def]
    """Run ``case`` as every role; each request runs in a savepoint that is rolled back, so a write
    allowed for one role does not change what the next role sees. Returns what did not match."""
    mismatches = []
    for role in ROLES:
        client = Client()
        user = world.person(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        url = case.url(world)
        with transaction.atomic():
            response = _request(case, client, url, world)
            transaction.set_rollback(True)
        expected = case.expected_status(role)
        if response.status_code != expected:
            mismatches.append(
                f"{role}: expected {expected}, got {response.status_code} "
                f"{b'(a stream)' if response.streaming else response.content[:200]!r}"
            )
        elif case.is_api and expected >= 400 and "detail" not in response.json():
            mismatches.append(f"{role}: API error {expected} does not say what is wrong")
        elif (
            case.streaming
            and expected == case.ok
            and not (response.streaming and response["Content-Type"].startswith("text/event-stream"))
        ):
            mismatches.append(f"{role}: expected an event stream, got {response['Content-Type']}")
    return mismatches


@pytest.mark.parametrize("case", CASES, ids=[c.route for c in CASES])
def test_every_role_gets_expected_status(case: Case, world) -> None:  # type: ignore[no-untyped-def]
    mismatches = mismatches_for(case, world)
    assert not mismatches, f"{case.method} {case.route}:\n" + "\n".join(mismatches)


def test_a_deliberately_broken_filter_is_caught(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """If the class filter let every signed-in user see every class, the matrix must notice."""
    monkeypatch.setattr(permissions, "_class_visibility", lambda user: Q())
    case = next(c for c in CASES if c.route == "GET /api/classes/{class_id}")
    mismatches = mismatches_for(case, world)
    assert any(m.startswith("b_teacher: expected 404, got 200") for m in mismatches), mismatches
    assert any(m.startswith("other_learner: expected 404, got 200") for m in mismatches), mismatches


def _api_routes() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def _page_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if getattr(pattern, "namespace", None) == "api":
                    continue
                walk(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names - PUBLIC_PAGES


def test_every_endpoint_and_page_has_a_case() -> None:
    covered = {c.route for c in CASES}
    missing = (_api_routes() | _page_routes()) - covered
    assert not missing, f"endpoints or pages without a permission case: {sorted(missing)}"
