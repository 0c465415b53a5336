"""Importing frameworks (all or nothing) and exporting them back. Edits (prerequisite edges among them)
are tested in tests/curriculum/frameworks/."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tessera.curriculum import framework_file, selectors, services
from tessera.curriculum.models import Competency, Framework, Item, ItemCompetency, Prerequisite, Resource
from tessera.schools.errors import PermissionDenied
from tests.curriculum.documents import small, small_framework

MODELS = (Framework, Competency, Prerequisite, Item, ItemCompetency, Resource)


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def test_an_import_saves_the_tree_graph_items_and_resources_with_the_school_on_every_row(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    assert [d.name for d in framework.domains.all()] == ["Number", "Fractions"]
    assert selectors.prerequisite_map(framework) == {
        "add": [],
        "mul": ["add"],
        "frac": ["mul"],
        "pct": ["frac", "mul"],
    }
    item = Item.objects.get(framework=framework, code="pct-1")
    assert item.spec() == {"kind": "short_text", "accepted": ["hundred", "one hundred"]}
    assert [c.code for c in item.competencies.order_by("itemcompetency__pk")] == ["pct", "frac"]
    resource = Resource.objects.get(framework=framework)
    assert resource.reading_level == 5 and resource.interest_topics == ["cooking"]
    for model in MODELS[1:]:
        assert set(model.objects.values_list("school_id", flat=True)) == {world.a.school.pk}


def test_export_imports_back_identically(world) -> None:  # type: ignore[no-untyped-def]
    original = small_framework(world.a.school)
    exported = selectors.framework_document(original)
    assert exported == small()  # the small document is written in the export's canonical form
    copy = services.framework_import(
        actor=world.b.admin, school=world.b.school, document=framework_file.framework_document_check(exported)
    ).framework
    assert copy is not None
    assert selectors.framework_document(copy) == exported


def test_a_bad_file_saves_nothing_and_lists_every_error(world) -> None:  # type: ignore[no-untyped-def]
    document = small()
    document["items"][0]["competencies"] = ["ghost"]
    document["items"][1]["answer"] = 7
    before = counts()
    result = services.framework_import(
        actor=world.a.admin, school=world.a.school, document=framework_file.framework_document_check(document)
    )
    assert not result.ok and result.framework is None
    assert [e.location for e in result.errors] == ["$.items[0].competencies", "$.items[1].answer"]
    assert counts() == before


def test_a_framework_code_is_unique_per_school_but_may_repeat_across_schools(world) -> None:  # type: ignore[no-untyped-def]
    small_framework(world.a.school)
    before = counts()
    again = services.framework_import(
        actor=world.a.admin, school=world.a.school, document=framework_file.framework_document_check(small())
    )
    assert [str(e) for e in again.errors] == [
        "$.framework.code: this school already has a framework with code “small-maths”"
    ]
    assert counts() == before
    assert small_framework(world.b.school).school == world.b.school
    assert small_framework(None).shared


def test_only_administrators_import_and_nobody_imports_a_shared_framework(world) -> None:  # type: ignore[no-untyped-def]
    document = framework_file.framework_document_check(small())
    with pytest.raises(PermissionDenied):
        services.framework_import(actor=world.a.teacher, school=world.a.school, document=document)
    with pytest.raises(PermissionDenied):
        services.framework_import(actor=world.b.admin, school=world.a.school, document=document)
    with pytest.raises(PermissionDenied, match="Shared frameworks"):
        services.framework_import(actor=world.a.admin, school=None, document=document)
    assert Framework.objects.count() == 0


def _competency(framework: Framework, code: str) -> Competency:
    return framework.competencies.get(code=code)


def test_the_database_refuses_self_edges_and_duplicate_edges(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    mul, add = _competency(framework, "mul"), _competency(framework, "add")
    for prerequisite in (mul, add):  # mul → mul is a self-edge; add → mul exists already
        with pytest.raises(IntegrityError), transaction.atomic():
            Prerequisite.objects.create(
                school=world.a.school, framework=framework, competency=mul, prerequisite=prerequisite
            )
