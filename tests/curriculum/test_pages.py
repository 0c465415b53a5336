"""The staff pages: frameworks of a school, one framework's tree, and the import page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.curriculum.models import Framework
from tests.curriculum.documents import COMPETENCIES, ITEMS, small_bytes, small_framework


def test_framework_page_lists_domains_competencies_prerequisites_and_item_counts(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    small_framework(None, code="shared", name="Shared maths")
    client = client_for(world.a.teacher)
    listing = client.get(f"/school/{world.a.school.pk}/frameworks/").content.decode()
    assert "Small maths" in listing and "Shared maths" in listing and "Import a framework" not in listing
    # as the para-professional, who reads the page without the forms that change it
    page = (
        client_for(world.a.para)
        .get(f"/school/{world.a.school.pk}/frameworks/{framework.pk}/")
        .content.decode()
    )
    assert '<h2 id="h-fractions">Fractions</h2>' in page
    assert 'After: <a href="#c-frac">Fractions</a>, <a href="#c-mul">Multiplication</a>' in page
    assert "4 competencies" in page and "3 items" in page
    assert "hundred" not in page  # no answers on the page
    assert '<a href="https://example.org/fractions" rel="noopener noreferrer">What is a fraction?</a>' in page
    assert "Video · reading level 5 · cooking" in page


def test_another_schools_framework_is_not_found_on_this_schools_pages(world, client_for) -> None:  # type: ignore[no-untyped-def]
    theirs = small_framework(world.b.school)
    response = client_for(world.a.admin).get(f"/school/{world.a.school.pk}/frameworks/{theirs.pk}/")
    assert response.status_code == 404


def _upload(client, school_id: int, data: bytes):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("framework.json", data, content_type="application/json")
    return client.post(f"/school/{school_id}/frameworks/import/", {"file": file})


def test_import_page_imports_and_redirects_to_the_framework(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = _upload(client_for(world.a.admin), world.a.school.pk, small_bytes())
    framework = Framework.objects.get(school=world.a.school)
    assert response.status_code == 302
    assert response["Location"] == f"/school/{world.a.school.pk}/frameworks/{framework.pk}/"


def test_import_page_lists_every_error_in_an_alert_and_saves_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    data = (
        small_bytes()
        .replace(b'"answer": 1,', b'"answer": 9,')
        .replace(b'"kind": "video"', b'"kind": "podcast"')
    )
    response = _upload(client_for(world.a.admin), world.a.school.pk, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "2 errors — nothing was imported" in page
    assert "<code>$.items[1].answer</code>: must be the number of the correct choice, 0 to 2" in page
    assert "<code>$.resources[0].kind</code>" in page
    assert Framework.objects.count() == 0


def test_import_page_without_a_file_is_a_form_error(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.a.admin).post(f"/school/{world.a.school.pk}/frameworks/import/", {})
    assert response.status_code == 400
    assert "Attach a framework file (JSON) or competencies.csv." in response.content.decode()


def test_staff_find_the_curriculum_from_home_and_learners_do_not(world, client_for) -> None:  # type: ignore[no-untyped-def]
    link = f'href="/school/{world.a.school.pk}/frameworks/"'
    assert link in client_for(world.a.teacher).get("/").content.decode()
    assert link not in client_for(world.a.learner).get("/").content.decode()


def test_import_page_takes_csv_files_with_a_code_and_name(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    url = f"/school/{world.a.school.pk}/frameworks/import/"
    files = {
        "competencies": SimpleUploadedFile("competencies.csv", COMPETENCIES.encode()),
        "items": SimpleUploadedFile("items.csv", ITEMS.replace(",frac;mul", ",ghost").encode()),
    }
    response = client.post(url, {**files, "code": "csv-maths", "name": "CSV maths"})
    assert response.status_code == 400
    assert "<code>items.csv line 4 (competencies)</code>: no competency with code “ghost”" in (
        response.content.decode()
    )
    response = client.post(url, {"competencies": SimpleUploadedFile("c.csv", COMPETENCIES.encode())})
    assert response.status_code == 400 and "Needed when you upload CSV files." in response.content.decode()
    response = client.post(
        url,
        {
            "competencies": SimpleUploadedFile("c.csv", COMPETENCIES.encode()),
            "code": "csv-maths",
            "name": "CSV maths",
        },
    )
    assert response.status_code == 302
    assert Framework.objects.get().name == "CSV maths"
