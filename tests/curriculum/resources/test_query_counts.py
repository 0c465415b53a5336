"""The resource lists (page and API) and the upload list cost the same number of queries for any number
of rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.curriculum.files import services as file_services
from tessera.curriculum.resources import services
from tessera.curriculum.resources.services import ResourceInput
from tests.curriculum.documents import small_framework
from tests.curriculum.files.uploads import pdf


def _grow(world, framework, count: int) -> None:  # type: ignore[no-untyped-def]
    competencies = list(framework.competencies.all()[:2])
    for n in range(count):
        sheet, _snippet = file_services.file_add(actor=world.a.teacher, school=world.a.school, upload=pdf())
        services.resource_create(
            actor=world.a.teacher,
            framework=framework,
            data=ResourceInput(
                title=f"Sheet {n}", kind="worksheet", form="file", file=sheet, competencies=competencies
            ),
        )


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_do_not_grow_with_their_rows(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    urls = [
        f"/school/{world.a.school.pk}/frameworks/{framework.pk}/resources/",
        f"/api/frameworks/{framework.pk}/resources",
        f"/school/{world.a.school.pk}/files/",
        f"/api/schools/{world.a.school.pk}/curriculum-files",
    ]
    _grow(world, framework, 2)
    small = [_queries(client, url) for url in urls]
    _grow(world, framework, 10)
    assert [_queries(client, url) for url in urls] == small
