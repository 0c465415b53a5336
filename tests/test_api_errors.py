"""Every error of the API is JSON with a ``detail`` message, also for bodies Django itself refuses
(a multipart body without a boundary, a body over DATA_UPLOAD_MAX_MEMORY_SIZE), with DEBUG on (as under
``make run``) and off (production); and the OpenAPI document lists the error responses."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from tests.conftest import World

NO_BOUNDARY = "multipart/form-data"


def _json_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_a_multipart_body_without_a_boundary_is_a_json_400(
    world: World, client_for: Any, debug: bool
) -> None:
    client = client_for(world.a.admin)
    client.raise_request_exception = False
    with override_settings(DEBUG=debug):
        response = client.post(
            f"/api/schools/{world.a.school.pk}/frameworks/import-csv",
            data=b"code=x",
            content_type=NO_BOUNDARY,
        )
    assert "boundary" in _json_error(response, 400)


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_a_body_over_the_size_limit_is_a_json_413(world: World, client_for: Any, debug: bool) -> None:
    client = client_for(world.a.admin)
    client.raise_request_exception = False
    with override_settings(DEBUG=debug, DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        json_body = client.post(
            f"/api/schools/{world.a.school.pk}/classes",
            data={"name": "x" * 500},
            content_type="application/json",
        )
        form_body = client.post(
            f"/api/schools/{world.a.school.pk}/frameworks/import-csv", data={"code": "x" * 500}
        )
    assert "too large" in _json_error(json_body, 413)
    assert "too large" in _json_error(form_body, 413)


def test_a_bad_body_is_json_also_when_the_csrf_check_reads_it(world: World) -> None:
    """With CSRF enforced (a browser's session), the check reads the form before the endpoint does."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world.a.admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        f"/api/schools/{world.a.school.pk}/frameworks/import-csv", data=b"code=x", content_type=NO_BOUNDARY
    )
    assert response.status_code in (400, 403)
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    assert response.json()["detail"]


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_an_unknown_api_address_is_a_json_404(db: None, debug: bool) -> None:
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=debug):
        response = client.get("/api/no-such-thing")
    _json_error(response, 404)


def test_the_openapi_document_lists_the_error_responses(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    error = schema["components"]["schemas"]["Error"]
    assert "detail" in error["properties"] and error["required"] == ["detail"]
    create_class = schema["paths"]["/api/schools/{school_id}/classes"]["post"]["responses"]
    for status in ("400", "401", "403", "404", "409", "413", "422"):
        assert status in create_class, status
    listed = create_class["404"]["content"]["application/json"]["schema"]
    assert listed == {"$ref": "#/components/schemas/Error"}
    # every operation says what its errors look like; an endpoint's own 400 schema is kept
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "401" in responses and "404" in responses, (method, path)
    framework_import = schema["paths"]["/api/schools/{school_id}/frameworks/import"]["post"]["responses"]
    assert framework_import["400"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ImportErrorsOut"
    )
