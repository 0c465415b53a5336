"""Resource services: a link, a file or a page for a school framework; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.curriculum.models import Resource, ResourceCompetency
from tessera.curriculum.resources import services
from tessera.curriculum.resources.services import ResourceInput
from tessera.schools.errors import DomainError, PermissionDenied
from tests.curriculum.documents import small_framework
from tests.curriculum.files.uploads import uploaded


def _data(framework, **changes: Any) -> ResourceInput:  # type: ignore[no-untyped-def]
    fields: dict[str, Any] = {
        "title": "Halves and quarters",
        "kind": "reading",
        "form": "page",
        "body": "A half is \\(\\frac{1}{2}\\).",
        "competencies": [framework.competencies.get(code="frac")],
        "reading_level": 4,
        "interest_topics": ["cooking"],
    }
    fields.update(changes)
    return ResourceInput(**fields)


def test_a_writer_adds_a_page_a_link_and_a_file(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    page = services.resource_create(actor=world.a.teacher, framework=framework, data=_data(framework))
    assert (page.form, page.code, page.school, page.author) == (
        "page",
        "halves-and-quarters",
        world.a.school,
        world.a.teacher,
    )
    assert [c.code for c in page.competencies.all()] == ["frac"]
    link = services.resource_create(
        actor=world.a.specialist,
        framework=framework,
        data=_data(framework, form="link", url="https://example.org/halves", body="ignored"),
    )
    assert (link.url, link.body, link.code) == ("https://example.org/halves", "", "halves-and-quarters-2")
    sheet = uploaded(world.a.school, world.a.teacher, document=True)
    file = services.resource_create(
        actor=world.a.admin,
        framework=framework,
        data=_data(framework, form="file", file=sheet, kind="worksheet"),
    )
    assert (file.file, file.media_type) == (sheet, "application/pdf")


def test_a_page_may_show_the_schools_upload(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    image = uploaded(world.a.school, world.a.teacher)
    body = f"Look: ![A circle cut in halves](file:{image.pk})"
    resource = services.resource_create(
        actor=world.a.teacher, framework=framework, data=_data(framework, body=body)
    )
    assert resource.body == body


def test_edit_changes_every_field_and_clears_the_other_forms(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    resource = services.resource_create(actor=world.a.teacher, framework=framework, data=_data(framework))
    services.resource_edit(
        actor=world.a.teacher,
        resource=resource,
        data=_data(
            framework,
            title="Percents",
            form="link",
            url="http://example.org/pct",
            competencies=[framework.competencies.get(code="pct"), framework.competencies.get(code="frac")],
            reading_level=None,
        ),
    )
    resource.refresh_from_db()
    assert (resource.title, resource.form, resource.url, resource.body, resource.reading_level) == (
        "Percents",
        "link",
        "http://example.org/pct",
        "",
        None,
    )
    assert resource.code == "halves-and-quarters"
    assert sorted(c.code for c in resource.competencies.all()) == ["frac", "pct"]


def test_delete_removes_the_resource_and_its_links(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    resource = services.resource_create(actor=world.a.teacher, framework=framework, data=_data(framework))
    services.resource_delete(actor=world.a.teacher, resource=resource)
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert not ResourceCompetency.objects.filter(resource_id=resource.pk).exists()


BAD = [
    ({"title": "  "}, "schools.text_required"),
    ({"kind": "podcast"}, "curriculum.resource_kind_invalid"),
    ({"form": "poster"}, "curriculum.resource_form_invalid"),
    ({"form": "link", "url": ""}, "curriculum.resource_url_missing"),
    ({"form": "link", "url": "javascript:alert(1)"}, "curriculum.resource_url_invalid"),
    ({"form": "link", "url": "ftp://example.org/a"}, "curriculum.resource_url_invalid"),
    ({"form": "link", "url": "https://example.org/" + "a" * 500}, "curriculum.resource_url_invalid"),
    ({"form": "file", "file": None}, "curriculum.resource_file_missing"),
    ({"form": "page", "body": ""}, "schools.text_required"),
    ({"body": "\\(\\frac{1}{2\\)"}, "curriculum.latex_invalid"),
    ({"body": "![](file:1)"}, "curriculum.image_without_alt"),
    ({"body": "![A cat](https://example.org/cat.png)"}, "curriculum.external_image"),
    ({"body": "Bad \x00 byte"}, "schools.text_not_plain"),
    ({"reading_level": 14}, "curriculum.reading_level_invalid"),
    ({"reading_level": -1}, "curriculum.reading_level_invalid"),
    ({"competencies": []}, "curriculum.resource_competency_required"),
    ({"interest_topics": [f"t{n}" for n in range(11)]}, "curriculum.too_many_topics"),
]


@pytest.mark.parametrize(("changes", "code"), BAD, ids=[code + str(n) for n, (_c, code) in enumerate(BAD)])
def test_bad_input_is_refused_and_changes_nothing(world, changes, code) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    before = Resource.objects.count()
    with pytest.raises(DomainError) as error:
        services.resource_create(actor=world.a.teacher, framework=framework, data=_data(framework, **changes))
    assert error.value.code == code
    assert Resource.objects.count() == before
    resource = services.resource_create(actor=world.a.teacher, framework=framework, data=_data(framework))
    with pytest.raises(DomainError) as error:
        services.resource_edit(actor=world.a.teacher, resource=resource, data=_data(framework, **changes))
    assert error.value.code == code
    resource.refresh_from_db()
    assert (resource.title, resource.form, resource.reading_level) == ("Halves and quarters", "page", 4)


def test_another_schools_upload_is_refused_in_a_page_and_as_a_file(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    theirs = uploaded(world.b.school, world.b.teacher)
    for data in (
        _data(framework, body=f"![A circle](file:{theirs.pk})"),
        _data(framework, form="file", file=theirs),
    ):
        with pytest.raises(DomainError) as error:
            services.resource_create(actor=world.a.teacher, framework=framework, data=data)
        assert error.value.code == "curriculum.file_of_other_school"
    assert not Resource.objects.filter(school=world.a.school).exclude(code="video-1").exists()


def test_a_competency_of_another_framework_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    other = small_framework(world.a.school, code="other", name="Other")
    with pytest.raises(DomainError) as error:
        services.resource_create(
            actor=world.a.teacher,
            framework=framework,
            data=_data(framework, competencies=[other.competencies.get(code="frac")]),
        )
    assert error.value.code == "curriculum.competency_other_framework"


def test_shared_frameworks_are_read_only_and_outsiders_may_not_write(world) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared", name="Shared")
    with pytest.raises(PermissionDenied) as error:
        services.resource_create(actor=world.a.admin, framework=shared, data=_data(shared))
    assert error.value.code == "curriculum.shared_framework_read_only"
    framework = small_framework(world.a.school)
    resource = Resource.objects.get(framework=framework)
    for person in (world.b.teacher, world.a.learner, world.a.para, world.a.guardian):
        with pytest.raises(PermissionDenied) as error:
            services.resource_create(actor=person, framework=framework, data=_data(framework))
        assert error.value.code == "curriculum.not_a_writer"
        with pytest.raises(PermissionDenied):
            services.resource_delete(actor=person, resource=resource)
    assert Resource.objects.filter(framework=framework).count() == 1
