"""Curriculum files: the upload page and API (content checked, size-limited, alt text for images), who may
open a file, and texts that name another school's upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.curriculum.files import services
from tessera.curriculum.models import CurriculumFile
from tessera.schools.errors import DomainError, PermissionDenied
from tests.curriculum.files.uploads import PNG, pdf, png, uploaded


def _page(school_id: int) -> str:
    return f"/school/{school_id}/files/"


def _api(school_id: int) -> str:
    return f"/api/schools/{school_id}/curriculum-files"


def _stored_files(private_files) -> list[str]:  # type: ignore[no-untyped-def]
    folder = private_files / "curriculum"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_upload_page_answers_with_the_snippet_and_lists_recent_uploads(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.teacher)
    response = client.post(_page(world.a.school.pk), {"file": png(), "alt": "A circle [cut] in halves"})
    assert response.status_code == 200
    stored = CurriculumFile.objects.get()
    assert (stored.school, stored.content_type, stored.uploaded_by) == (
        world.a.school,
        "image/png",
        world.a.teacher,
    )
    page = response.content.decode()
    assert f'value="![A circle (cut) in halves](file:{stored.pk})"' in page
    assert f"<code>![what it shows](file:{stored.pk})</code>" in page  # in the list of recent uploads
    document = client.post(_page(world.a.school.pk), {"file": pdf("Worksheet 3.pdf")})
    assert document.status_code == 200
    assert "[Worksheet 3.pdf](file:" in document.content.decode()


def test_upload_list_is_paginated(world, client_for) -> None:  # type: ignore[no-untyped-def]
    for n in range(21):
        services.file_add(actor=world.a.teacher, school=world.a.school, upload=pdf(f"sheet-{n}.pdf"))
    client = client_for(world.a.teacher)
    first = client.get(_page(world.a.school.pk)).content.decode()
    assert "sheet-20.pdf" in first and "sheet-0.pdf" not in first and "Page 1 of 2" in first
    assert "sheet-0.pdf" in client.get(_page(world.a.school.pk) + "?page=2").content.decode()


def test_an_image_without_alt_text_is_refused_and_nothing_is_kept(world, client_for, private_files) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.a.teacher).post(_page(world.a.school.pk), {"file": png(), "alt": "  "})
    assert response.status_code == 400
    assert "alt text" in response.content.decode()
    with pytest.raises(DomainError) as error:
        services.file_add(actor=world.a.teacher, school=world.a.school, upload=png(), alt="")
    assert error.value.code == "curriculum.image_without_alt"
    assert not CurriculumFile.objects.exists() and _stored_files(private_files) == []


def test_a_png_that_is_text_is_refused_by_its_content(world, client_for, private_files) -> None:  # type: ignore[no-untyped-def]
    fake = SimpleUploadedFile("photo.png", b"just some text, not an image", content_type="image/png")
    response = client_for(world.a.teacher).post(_api(world.a.school.pk), {"file": fake, "alt": "A photo"})
    assert response.status_code == 400
    assert response.json()["code"] == "curriculum.file_wrong_type"
    assert not CurriculumFile.objects.exists() and _stored_files(private_files) == []


def test_a_file_over_the_limit_is_refused(world, client_for, settings, private_files) -> None:  # type: ignore[no-untyped-def]
    settings.CURRICULUM_FILE_MAX_BYTES = 20
    response = client_for(world.a.teacher).post(_api(world.a.school.pk), {"file": png(), "alt": "A circle"})
    assert response.status_code == 400
    assert response.json()["code"] == "curriculum.file_too_large"
    assert not CurriculumFile.objects.exists() and _stored_files(private_files) == []


def test_images_only_refuses_a_pdf(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.a.teacher).post(
        _api(world.a.school.pk), {"file": pdf(), "images_only": "true"}
    )
    assert response.status_code == 400 and response.json()["code"] == "curriculum.file_wrong_type"


def test_api_upload_gives_the_snippet_and_the_list_shows_it(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.specialist)
    response = client.post(_api(world.a.school.pk), {"file": png(), "alt": "Half of a circle"})
    assert response.status_code == 201
    body = response.json()
    assert body["snippet"] == f"![Half of a circle](file:{body['id']})"
    assert body["url"] == f"/school/files/{body['id']}/" and body["content_type"] == "image/png"
    listed = client.get(_api(world.a.school.pk)).json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]


def test_a_writer_of_another_school_cannot_upload_here(world, client_for) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.file_add(actor=world.b.teacher, school=world.a.school, upload=png(), alt="A circle")
    response = client_for(world.b.teacher).post(_api(world.a.school.pk), {"file": png(), "alt": "A circle"})
    assert response.status_code == 404
    assert client_for(world.b.teacher).get(_page(world.a.school.pk)).status_code == 404
    assert not CurriculumFile.objects.exists()


def test_a_learner_sees_the_school_but_may_not_upload(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.a.learner).post(_api(world.a.school.pk), {"file": png(), "alt": "A circle"})
    assert response.status_code == 403 and response.json()["code"] == "curriculum.not_a_writer"
    assert not CurriculumFile.objects.exists()


def test_the_schools_learner_and_guardian_get_the_file_with_nosniff(world, client_for) -> None:  # type: ignore[no-untyped-def]
    stored = uploaded(world.a.school, world.a.teacher)
    for person in (world.a.learner, world.a.guardian):
        response = client_for(person).get(f"/school/files/{stored.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_stranger_and_another_schools_people_get_404_for_the_file(world, client_for) -> None:  # type: ignore[no-untyped-def]
    stored = uploaded(world.a.school, world.a.teacher)
    for person in (world.outsider, world.b.admin, world.b.teacher, world.b.learner):
        assert client_for(person).get(f"/school/files/{stored.pk}/").status_code == 404
    assert client_for(world.a.admin).get("/school/files/999999/").status_code == 404


def test_upload_page_of_an_outsider_school_is_not_found(world, client_for) -> None:  # type: ignore[no-untyped-def]
    for person in (world.outsider, world.b.admin, world.a.learner, world.a.para):
        assert client_for(person).get(_page(world.a.school.pk)).status_code == 404
    assert client_for(world.a.admin).get(_page(world.b.school.pk)).status_code == 404


def test_uploads_check_refuses_another_schools_upload_and_unknown_ids(world) -> None:  # type: ignore[no-untyped-def]
    ours = uploaded(world.a.school, world.a.teacher)
    theirs = uploaded(world.b.school, world.b.teacher)
    services.uploads_check(
        world.a.school, f"See ![A circle](file:{ours.pk}) and [the sheet](file:{ours.pk})."
    )
    for text in (
        f"![A circle](file:{theirs.pk})",
        f"A link to [their sheet](file:{theirs.pk})",
        "![A circle](file:999999)",
    ):
        with pytest.raises(DomainError) as error:
            services.uploads_check(world.a.school, text)
        assert error.value.code == "curriculum.file_of_other_school"
    with pytest.raises(DomainError):
        services.uploads_check(None, f"![A circle](file:{ours.pk})")
