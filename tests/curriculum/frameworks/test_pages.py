"""The framework page's forms for writers: add a domain, a competency, a prerequisite; remove one after
a confirmation; copy a shared framework to the school. Errors are 400 with the form; success redirects
with a message."""

from __future__ import annotations

from tessera.curriculum import selectors
from tessera.curriculum.models import Framework
from tests.curriculum.documents import small_framework


def _url(world, framework: Framework, rest: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/school/{world.a.school.pk}/frameworks/{framework.pk}/{rest}"


def test_a_teacher_sees_the_forms_and_a_para_does_not(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    page = client_for(world.a.teacher).get(_url(world, framework)).content.decode()
    assert "Add a domain" in page and "Add a competency" in page and "Add a prerequisite" in page
    assert '<label for="id_domain-name">Domain name:</label>' in page
    pct, frac = (framework.competencies.get(code=c).pk for c in ("pct", "frac"))
    assert _url(world, framework, f"competencies/{pct}/prerequisites/{frac}/remove/") in page
    assert "Copy to my school" not in page
    para = client_for(world.a.para).get(_url(world, framework)).content.decode()
    assert "Add a domain" not in para and "remove" not in para


def test_adding_a_domain_and_a_competency_redirects_with_a_message(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    response = client.post(_url(world, framework, "domains/new/"), {"domain-name": "Shape and space"})
    assert response.status_code == 302 and response["Location"].endswith("/#h-shape-and-space")
    domain = framework.domains.get(code="shape-and-space")
    response = client.post(
        _url(world, framework, "competencies/new/"),
        {"competency-domain": domain.pk, "competency-name": "Area", "competency-description": "Squares."},
        follow=True,
    )
    assert "Competency “Area” added." in response.content.decode()
    assert framework.competencies.get(code="area").domain == domain


def test_form_errors_are_400_and_change_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client = client_for(world.a.teacher)
    blank = client.post(_url(world, framework, "domains/new/"), {"domain-name": ""})
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()
    number = framework.domains.get(code="number").pk
    taken = client.post(
        _url(world, framework, "competencies/new/"),
        {"competency-domain": number, "competency-name": "Sums", "competency-code": "add"},
    )
    assert taken.status_code == 400
    assert "This framework already has a competency with code “add”." in taken.content.decode()
    assert framework.domains.count() == 2 and framework.competencies.count() == 4


def test_a_prerequisite_that_closes_a_cycle_is_a_400_naming_it(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    add, pct = (framework.competencies.get(code=c).pk for c in ("add", "pct"))
    client = client_for(world.a.specialist)
    response = client.post(
        _url(world, framework, f"competencies/{add}/prerequisites/new/"), {"prerequisite": pct}
    )
    assert response.status_code == 400
    assert (
        "This prerequisite would create a cycle: Percents → Addition → Multiplication → Fractions → Percents."
        in response.content.decode()
    )
    added = client.post(
        _url(world, framework, f"competencies/{pct}/prerequisites/new/"), {"prerequisite": add}, follow=True
    )
    assert "“Addition” now comes before “Percents”." in added.content.decode()
    assert selectors.prerequisite_map(framework)["pct"] == ["frac", "mul", "add"]


def test_removing_a_prerequisite_asks_first(world, client_for) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    pct, frac = (framework.competencies.get(code=c).pk for c in ("pct", "frac"))
    url = _url(world, framework, f"competencies/{pct}/prerequisites/{frac}/remove/")
    client = client_for(world.a.teacher)
    question = client.get(url).content.decode()
    assert "Remove “Fractions” as a prerequisite of “Percents”?" in question and 'method="post"' in question
    assert selectors.prerequisite_map(framework)["pct"] == ["frac", "mul"]
    response = client.post(url, follow=True)
    assert "“Fractions” no longer comes before “Percents”." in response.content.decode()
    assert selectors.prerequisite_map(framework)["pct"] == ["mul"]
    assert client.post(url).status_code == 404


def test_a_shared_framework_offers_a_copy_and_refuses_changes(world, client_for) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared-maths", name="Shared maths")
    client = client_for(world.a.teacher)
    page = client.get(_url(world, shared)).content.decode()
    assert "Copy to my school" in page and "Add a domain" not in page
    refused = client.post(_url(world, shared, "domains/new/"), {"domain-name": "Shape"})
    assert refused.status_code == 403 and "Copy it to your school" in refused.content.decode()
    response = client.post(_url(world, shared, "copy/"))
    copy = Framework.objects.get(school=world.a.school, code="shared-maths")
    assert response.status_code == 302 and response["Location"] == _url(world, copy)
    assert "Add a domain" in client.get(_url(world, copy)).content.decode()
    assert client_for(world.a.para).post(_url(world, shared, "copy/")).status_code == 403
    assert client_for(world.a.teacher).post(_url(world, copy, "copy/")).status_code == 404
