"""Changing a school's framework: domains, competencies, prerequisite edges, copies of shared ones.
Every refusal says why and changes nothing."""

from __future__ import annotations

import pytest

from tessera.curriculum import selectors
from tessera.curriculum.frameworks import services
from tessera.curriculum.models import Competency, Domain, Framework, Item, Prerequisite
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tests.curriculum.documents import small_framework


def _competency(framework: Framework, code: str) -> Competency:
    return framework.competencies.get(code=code)


def _state(framework: Framework) -> tuple[list[str], list[tuple[str, str, str]], dict[str, list[str]]]:
    return (
        list(framework.domains.values_list("code", flat=True)),
        list(framework.competencies.values_list("code", "name", "description")),
        selectors.prerequisite_map(framework),
    )


def test_a_teacher_adds_a_domain_and_competencies_at_the_end_with_codes_made_from_names(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    domain = services.domain_add(actor=world.a.teacher, framework=framework, name="Shape and space")
    assert (domain.code, domain.position, domain.school) == ("shape-and-space", 2, world.a.school)
    area = services.competency_add(
        actor=world.a.specialist, domain=domain, name="Area", description="Squares."
    )
    again = services.competency_add(actor=world.a.teacher, domain=domain, name="Area!")
    assert (area.code, area.position, again.code, again.position) == ("area", 0, "area-2", 1)
    typed = services.competency_add(actor=world.a.admin, domain=domain, name="Volume", code="vol.3d")
    assert typed.code == "vol.3d" and typed.school == world.a.school
    services.competency_edit(actor=world.a.teacher, competency=area, name="Area of shapes", description="")
    area.refresh_from_db()
    assert (area.name, area.description, area.code) == ("Area of shapes", "", "area")


def test_a_duplicate_code_is_refused_and_nothing_changes(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    before = _state(framework)
    number = framework.domains.get(code="number")
    with pytest.raises(Conflict) as raised:
        services.competency_add(actor=world.a.teacher, domain=number, name="Adding again", code="add")
    assert raised.value.code == "curriculum.code_taken"
    assert raised.value.message == "This framework already has a competency with code “add”."
    with pytest.raises(Conflict):
        services.domain_add(actor=world.a.teacher, framework=framework, name="Numbers", code="number")
    with pytest.raises(DomainError) as bad:
        services.domain_add(actor=world.a.teacher, framework=framework, name="Shape", code="no spaces")
    assert bad.value.code == "curriculum.code_invalid"
    assert _state(framework) == before


def test_a_blank_name_is_refused_and_nothing_changes(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    before = _state(framework)
    with pytest.raises(DomainError) as raised:
        services.domain_add(actor=world.a.teacher, framework=framework, name="   ")
    assert raised.value.code == "schools.text_required"
    assert raised.value.message == "Write the domain's name."
    with pytest.raises(DomainError, match="competency's name"):
        services.competency_add(actor=world.a.teacher, domain=framework.domains.first(), name="")
    with pytest.raises(DomainError, match="competency's name"):
        services.competency_edit(actor=world.a.teacher, competency=_competency(framework, "add"), name=" ")
    assert _state(framework) == before


def test_a_prerequisite_that_closes_a_cycle_is_refused_naming_the_cycle(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    add, pct = _competency(framework, "add"), _competency(framework, "pct")
    with pytest.raises(DomainError) as raised:
        services.prerequisite_add(actor=world.a.teacher, competency=add, prerequisite=pct)
    assert raised.value.code == "curriculum.prerequisite_cycle"
    assert raised.value.message == (
        "This prerequisite would create a cycle: Percents → Addition → Multiplication → Fractions → Percents."
    )
    assert Prerequisite.objects.filter(competency=add).count() == 0


def test_prerequisite_rules_and_removal(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    add, frac, pct = (_competency(framework, c) for c in ("add", "frac", "pct"))
    edge = services.prerequisite_add(actor=world.a.teacher, competency=pct, prerequisite=add)
    assert edge.school == world.a.school
    with pytest.raises(Conflict):
        services.prerequisite_add(actor=world.a.teacher, competency=pct, prerequisite=add)
    with pytest.raises(DomainError, match="its own prerequisite"):
        services.prerequisite_add(actor=world.a.teacher, competency=frac, prerequisite=frac)
    services.prerequisite_remove(actor=world.a.specialist, competency=pct, prerequisite=add)
    assert selectors.prerequisite_map(framework)["pct"] == ["frac", "mul"]
    with pytest.raises(NotFound) as missing:
        services.prerequisite_remove(actor=world.a.teacher, competency=pct, prerequisite=add)
    assert missing.value.code == "curriculum.prerequisite_not_found"


def test_an_edge_to_another_frameworks_competency_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    other = small_framework(world.a.school, code="other")
    with pytest.raises(DomainError) as raised:
        services.prerequisite_add(
            actor=world.a.teacher,
            competency=_competency(framework, "frac"),
            prerequisite=_competency(other, "add"),
        )
    assert raised.value.code == "curriculum.prerequisite_other_framework"
    assert Prerequisite.objects.filter(framework=framework).count() == 4


def test_a_shared_framework_is_refused_with_the_hint_to_copy_it(world) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared-maths")
    before = _state(shared)
    with pytest.raises(PermissionDenied) as raised:
        services.domain_add(actor=world.a.admin, framework=shared, name="Shape")
    assert raised.value.code == "curriculum.shared_framework_read_only"
    assert "Copy it to your school" in raised.value.message
    with pytest.raises(PermissionDenied, match="Copy it to your school"):
        services.prerequisite_add(
            actor=world.a.teacher,
            competency=_competency(shared, "add"),
            prerequisite=_competency(shared, "pct"),
        )
    with pytest.raises(PermissionDenied):
        services.competency_edit(actor=world.a.teacher, competency=_competency(shared, "add"), name="Sums")
    assert _state(shared) == before


def test_another_schools_framework_is_not_found_and_a_para_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    theirs = small_framework(world.b.school)
    ours = small_framework(world.a.school)
    before = _state(theirs)
    with pytest.raises(NotFound) as raised:
        services.domain_add(actor=world.a.teacher, framework=theirs, name="Shape")
    assert raised.value.status == 404 and raised.value.code == "curriculum.framework_not_found"
    with pytest.raises(NotFound):
        services.competency_edit(actor=world.a.admin, competency=_competency(theirs, "add"), name="Sums")
    with pytest.raises(NotFound):
        services.prerequisite_remove(
            actor=world.a.teacher,
            competency=_competency(theirs, "pct"),
            prerequisite=_competency(theirs, "frac"),
        )
    assert _state(theirs) == before
    with pytest.raises(PermissionDenied, match="teachers, specialists and administrators"):
        services.domain_add(actor=world.a.para, framework=ours, name="Shape")
    with pytest.raises(PermissionDenied):
        services.domain_add(actor=world.a.learner, framework=ours, name="Shape")


def test_copy_to_my_school_makes_an_editable_copy_with_a_free_code(world) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="small-maths")
    small_framework(world.a.school)  # school A already has "small-maths"
    copy = services.framework_copy(actor=world.a.teacher, framework=shared, school=world.a.school)
    assert (copy.school, copy.code, copy.name) == (world.a.school, "small-maths-2", shared.name)
    document, original = selectors.framework_document(copy), selectors.framework_document(shared)
    assert document | {"framework": None} == original | {"framework": None}
    assert Item.objects.filter(framework=copy).count() == 3
    domain = services.domain_add(actor=world.a.teacher, framework=copy, name="Shape")
    assert domain.framework == copy and not Domain.objects.filter(framework=shared, name="Shape").exists()
    third = services.framework_copy(actor=world.a.teacher, framework=shared, school=world.a.school)
    assert third.code == "small-maths-3"


def test_copy_is_refused_for_a_para_a_school_framework_and_another_school(world) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared-maths")
    before = Framework.objects.count()
    with pytest.raises(PermissionDenied):
        services.framework_copy(actor=world.a.para, framework=shared, school=world.a.school)
    with pytest.raises(NotFound):
        services.framework_copy(actor=world.b.teacher, framework=shared, school=world.a.school)
    with pytest.raises(NotFound):
        services.framework_copy(actor=world.a.learner, framework=shared, school=world.a.school)
    ours = small_framework(world.a.school)
    with pytest.raises(DomainError) as raised:
        services.framework_copy(actor=world.a.teacher, framework=ours, school=world.a.school)
    assert raised.value.code == "curriculum.copy_not_shared"
    assert Framework.objects.count() == before + 1  # only ``ours``
