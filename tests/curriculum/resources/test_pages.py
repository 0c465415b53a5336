"""Resource pages: the list, a resource (a page rendered with MathML, a file, a link) for everyone who may
see the framework, and the writers' create, edit and delete forms."""

from __future__ import annotations

from tessera.curriculum.models import Resource
from tessera.curriculum.resources import services
from tessera.curriculum.resources.services import ResourceInput
from tests.curriculum.documents import small_framework
from tests.curriculum.files.uploads import uploaded


def _base(world, framework) -> str:  # type: ignore[no-untyped-def]
    return f"/school/{world.a.school.pk}/frameworks/{framework.pk}/resources/"


def _page_resource(world, framework, body: str = "Half is \\(\\frac{1}{2}\\).") -> Resource:  # type: ignore[no-untyped-def]
    return services.resource_create(
        actor=world.a.teacher,
        framework=framework,
        data=ResourceInput(
            title="Halves",
            kind="reading",
            form="page",
            body=body,
            competencies=[framework.competencies.get(code="frac")],
        ),
    )


def test_a_learner_reads_a_page_resource_with_mathml(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    image = uploaded(world.a.school, world.a.teacher)
    resource = _page_resource(
        world, framework, f"Half is \\(\\frac{{1}}{{2}}\\).\n\n![A circle in halves](file:{image.pk})"
    )
    client = client_for(world.a.learner)
    listing = client.get(_base(world, framework)).content.decode()
    assert "Halves" in listing and "What is a fraction?" in listing and "Add a resource" not in listing
    page = client.get(f"{_base(world, framework)}{resource.pk}/").content.decode()
    assert "<math" in page and "<mfrac>" in page
    assert f'<img src="/school/files/{image.pk}/" alt="A circle in halves">' in page
    assert "Edit" not in page


def test_file_and_link_resources_link_to_the_file_and_the_address(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    sheet = uploaded(world.a.school, world.a.teacher, document=True)
    file = services.resource_create(
        actor=world.a.teacher,
        framework=framework,
        data=ResourceInput(
            title="Sheet",
            kind="worksheet",
            form="file",
            file=sheet,
            competencies=[framework.competencies.first()],
        ),
    )
    client = client_for(world.a.guardian)
    page = client.get(f"{_base(world, framework)}{file.pk}/").content.decode()
    assert f'href="/school/files/{sheet.pk}/"' in page
    link = Resource.objects.get(framework=framework, code="video-1")
    page = client.get(f"{_base(world, framework)}{link.pk}/").content.decode()
    assert 'href="https://example.org/fractions" rel="noopener noreferrer"' in page


def test_a_writer_creates_edits_and_deletes_through_the_pages(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    frac = framework.competencies.get(code="frac")
    client = client_for(world.a.teacher)
    form = client.get(f"{_base(world, framework)}new/").content.decode()
    assert "\\(" in form and "alt text" in form and f'href="/school/{world.a.school.pk}/files/"' in form
    response = client.post(
        f"{_base(world, framework)}new/",
        {
            "title": "Thirds",
            "kind": "reading",
            "form": "page",
            "body": "\\(\\frac{1}{3}\\)",
            "competencies": [frac.pk],
        },
    )
    resource = Resource.objects.get(title="Thirds")
    assert response.status_code == 302
    assert response["Location"] == f"{_base(world, framework)}{resource.pk}/"
    edit = client.get(f"{_base(world, framework)}{resource.pk}/edit/").content.decode()
    assert "Thirds" in edit
    response = client.post(
        f"{_base(world, framework)}{resource.pk}/edit/",
        {
            "title": "Thirds, a link",
            "kind": "video",
            "form": "link",
            "url": "https://example.org/thirds",
            "competencies": [frac.pk],
            "interest_topics": "music, sport",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.form, resource.url, resource.interest_topics) == (
        "link",
        "https://example.org/thirds",
        ["music", "sport"],
    )
    assert client.get(f"{_base(world, framework)}{resource.pk}/delete/").status_code == 200
    response = client.post(f"{_base(world, framework)}{resource.pk}/delete/")
    assert response.status_code == 302 and not Resource.objects.filter(pk=resource.pk).exists()


def test_bad_input_on_the_form_shows_the_error_and_saves_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    frac = framework.competencies.get(code="frac")
    theirs = uploaded(world.b.school, world.b.teacher)
    client = client_for(world.a.teacher)
    for body, message in (
        ("\\(\\frac{1}{2\\)", "is not valid LaTeX at character"),
        ("![](file:1)", "needs alt text"),
        (f"![A circle](file:{theirs.pk})", "is not one of this school&#x27;s uploads"),
    ):
        response = client.post(
            f"{_base(world, framework)}new/",
            {"title": "Bad", "kind": "reading", "form": "page", "body": body, "competencies": [frac.pk]},
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Resource.objects.filter(title="Bad").exists()


def test_those_who_only_see_the_framework_are_refused_the_forms(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    resource = Resource.objects.get(framework=framework)
    for person in (world.a.learner, world.a.para, world.a.guardian):
        client = client_for(person)
        assert client.get(f"{_base(world, framework)}new/").status_code == 403
        assert client.post(f"{_base(world, framework)}{resource.pk}/delete/").status_code == 403
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_a_shared_framework_is_read_only_on_the_pages(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared", name="Shared")
    client = client_for(world.a.admin)
    base = f"/school/{world.a.school.pk}/frameworks/{shared.pk}/resources/"
    assert "Add a resource" not in client.get(base).content.decode()
    response = client.get(f"{base}new/")
    assert response.status_code == 403 and "read-only" in response.content.decode()


def test_another_schools_framework_and_people_get_404(world, client_for) -> None:  # type: ignore[no-untyped-def]
    theirs = small_framework(world.b.school)
    client = client_for(world.a.admin)
    assert client.get(f"/school/{world.a.school.pk}/frameworks/{theirs.pk}/resources/").status_code == 404
    assert client.get(f"/school/{world.b.school.pk}/frameworks/{theirs.pk}/resources/").status_code == 404
    ours = small_framework(world.a.school)
    for person in (world.outsider, world.b.teacher):
        assert client_for(person).get(_base(world, ours)).status_code == 404


def test_the_framework_page_links_to_its_resources(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    page = client_for(world.a.teacher).get(f"/school/{world.a.school.pk}/frameworks/{framework.pk}/")
    assert f'href="{_base(world, framework)}"' in page.content.decode()
