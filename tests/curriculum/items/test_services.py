"""Writing a school's question bank: rules refused with their codes (nothing changed), versions once
answered, retire and restore, duplicates, double submits."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest

from tessera.curriculum.bank import framework_bank
from tessera.curriculum.items import selectors, services
from tessera.curriculum.items.services import CompetencyLink, ItemSpec
from tessera.curriculum.models import Framework, Item, ItemCompetency
from tessera.practice.models import Answer
from tessera.schools.errors import DomainError, NotFound, PermissionDenied
from tests.curriculum.documents import small_framework
from tests.curriculum.items.helpers import answer, competency, spec


def _state() -> tuple[int, int]:
    return Item.objects.count(), ItemCompetency.objects.count()


def test_a_teacher_writes_an_item_with_maths_a_generated_code_and_a_primary_competency(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
    assert item.version == 1 and item.lineage_id is None and item.author == world.a.teacher
    assert item.code.startswith("q-") and item.correct_choice == 1
    assert item.tags == ["fractions", "halves"]
    link = ItemCompetency.objects.get(item=item)
    assert link.primary and link.competency.code == "frac" and link.school_id == world.a.school.pk
    assert item in framework_bank(Framework.objects.get(pk=framework.pk)).items_of[link.competency_id]


def _bad(framework: Framework, **changes: Any) -> ItemSpec:
    return spec(framework, **changes)


BAD_SPECS: list[tuple[str, dict[str, Any], str]] = [
    ("no correct choice", {"correct_choice": None}, "curriculum.item_no_correct_answer"),
    (
        "selection without correct",
        {"kind": "multiple_selection", "correct_choices": ()},
        "curriculum.item_no_correct_answer",
    ),
    (
        "numeric without answer",
        {"kind": "numeric", "numeric_answer": None},
        "curriculum.item_no_correct_answer",
    ),
    (
        "short text without accepted answers",
        {"kind": "short_text", "accepted_answers": (" ",)},
        "curriculum.item_no_correct_answer",
    ),
    ("open response without rubric", {"kind": "open_response"}, "curriculum.item_no_correct_answer"),
    ("correct choice out of range", {"correct_choice": 5}, "curriculum.item_correct_choice_unknown"),
    (
        "duplicate choices after spaces and case",
        {"choices": ("Half", " half ", "4")},
        "curriculum.item_duplicate_choices",
    ),
    ("one choice", {"choices": ("4",), "correct_choice": 0}, "curriculum.item_too_few_choices"),
    (
        "negative tolerance",
        {"kind": "numeric", "numeric_answer": 4.0, "tolerance": -0.1},
        "curriculum.item_tolerance_negative",
    ),
    ("invalid LaTeX in the stem", {"stem": r"\(\frac{1}{2\)"}, "curriculum.latex_invalid"),
    ("invalid LaTeX in a choice", {"choices": ("2", r"\(\foo\)", "6")}, "curriculum.latex_invalid"),
    ("invalid LaTeX in a hint", {"hints": (r"\(x^{2\)",)}, "curriculum.latex_invalid"),
    ("invalid LaTeX in feedback", {"feedback": r"\( 1 +"}, "curriculum.latex_invalid"),
    (
        "invalid LaTeX in the rubric",
        {"kind": "open_response", "rubric": r"\(\sqrt{2\)"},
        "curriculum.latex_invalid",
    ),
    ("image without alt", {"stem": "Look: ![](file:1)"}, "curriculum.image_without_alt"),
    ("external image", {"stem": "![a cake](https://x.org/a.png)"}, "curriculum.external_image"),
    ("image of no upload", {"stem": "![a cake](file:999999)"}, "curriculum.image_not_found"),
    ("no competency", {"competencies": ()}, "curriculum.item_competency_missing"),
    ("blank stem", {"stem": "  "}, "schools.text_required"),
    ("unknown kind", {"kind": "essay"}, "curriculum.item_kind_unknown"),
    ("unknown language", {"language": "xx"}, "curriculum.item_language_unknown"),
    ("difficulty out of range", {"difficulty": 40.0}, "curriculum.item_difficulty_out_of_range"),
    ("not a number", {"kind": "numeric", "numeric_answer": float("nan")}, "curriculum.item_number_invalid"),
]


@pytest.mark.parametrize(
    ("changes", "code"), [(c, code) for _n, c, code in BAD_SPECS], ids=[n for n, *_ in BAD_SPECS]
)
def test_bad_input_is_refused_with_its_code_and_nothing_changes(world, changes, code) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    before = _state()
    with pytest.raises(DomainError) as refused:
        services.item_create(actor=world.a.teacher, framework=framework, spec=_bad(framework, **changes))
    assert refused.value.code == code, refused.value.message
    assert refused.value.message
    assert _state() == before


def test_an_edit_with_bad_input_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
    before = _state()
    with pytest.raises(DomainError):
        services.item_edit(actor=world.a.teacher, item=item, spec=spec(framework, choices=("4", "4 ", "5")))
    item.refresh_from_db()
    assert item.choices == ["2", "4", "6"] and _state() == before


def test_competencies_of_another_framework_or_two_primaries_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    other = small_framework(world.a.school, code="other")
    before = _state()
    foreign = (CompetencyLink(competency(other).pk, primary=True),)
    with pytest.raises(DomainError) as refused:
        services.item_create(
            actor=world.a.teacher, framework=framework, spec=spec(framework, competencies=foreign)
        )
    assert refused.value.code == "curriculum.item_competency_other_framework"
    two = (
        CompetencyLink(competency(framework).pk, True),
        CompetencyLink(competency(framework, "add").pk, True),
    )
    with pytest.raises(DomainError) as refused:
        services.item_create(
            actor=world.a.teacher, framework=framework, spec=spec(framework, competencies=two)
        )
    assert refused.value.code == "curriculum.item_primary_many"
    assert _state() == before


def test_no_primary_marked_makes_the_first_primary(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    links = (CompetencyLink(competency(framework, "add").pk), CompetencyLink(competency(framework).pk))
    item = services.item_create(
        actor=world.a.teacher, framework=framework, spec=spec(framework, competencies=links)
    )
    assert ItemCompetency.objects.get(item=item, primary=True).competency.code == "add"


def test_shared_and_other_schools_frameworks_and_paras_cannot_write(world) -> None:  # type: ignore[no-untyped-def]
    shared = small_framework(None, code="shared")
    theirs = small_framework(world.b.school)
    ours = small_framework(world.a.school)
    before = _state()
    with pytest.raises(PermissionDenied) as refused:
        services.item_create(actor=world.a.teacher, framework=shared, spec=spec(shared))
    assert refused.value.code == "curriculum.shared_framework_read_only"
    with pytest.raises(NotFound):
        services.item_create(actor=world.a.teacher, framework=theirs, spec=spec(theirs))
    with pytest.raises(PermissionDenied) as refused:
        services.item_create(actor=world.a.para, framework=ours, spec=spec(ours))
    assert refused.value.code == "curriculum.not_a_writer"
    with pytest.raises(NotFound):
        services.item_create(actor=world.a.learner, framework=ours, spec=spec(ours))
    shared_item = Item.objects.filter(framework=shared).first()
    with pytest.raises(PermissionDenied):
        services.item_edit(actor=world.a.teacher, item=shared_item, spec=spec(shared))
    their_item = Item.objects.filter(framework=theirs).first()
    with pytest.raises(NotFound):
        services.item_edit(actor=world.a.teacher, item=their_item, spec=spec(theirs))
    with pytest.raises(NotFound):
        services.item_retire(actor=world.a.teacher, item=their_item)
    assert _state() == before
    assert not Item.objects.filter(retired_at__isnull=False).exists()


def test_a_given_code_must_be_free_in_the_framework(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    with pytest.raises(DomainError) as refused:
        services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework, code="add-1"))
    assert refused.value.code == "curriculum.item_code_taken"
    item = services.item_create(
        actor=world.a.teacher, framework=framework, spec=spec(framework, code="half-8")
    )
    assert item.code == "half-8"


def test_an_unanswered_item_is_edited_in_place(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
    edited = services.item_edit(
        actor=world.a.specialist,
        item=item,
        spec=spec(framework, stem="Half of 10?", choices=("5", "4"), correct_choice=0),
    )
    assert edited.pk == item.pk and edited.version == 1 and edited.stem == "Half of 10?"
    assert Item.objects.filter(code=item.code, framework=framework).count() == 1


def test_an_answered_item_gets_a_new_version_and_the_answer_keeps_the_old(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
    given = answer(item, world.a.learner)
    new = services.item_edit(actor=world.a.teacher, item=item, spec=spec(framework, stem="Half of 12?"))
    item.refresh_from_db()
    given.refresh_from_db()
    assert new.pk != item.pk and new.version == 2 and new.lineage_id == item.pk and new.code == item.code
    assert item.superseded_at is not None and item.stem.startswith("Which is") and given.item_id == item.pk
    assert list(ItemCompetency.objects.filter(item=new).values_list("competency__code", "primary")) == [
        ("frac", True)
    ]
    bank = framework_bank(Framework.objects.get(pk=framework.pk))
    offered = {i.pk for items in bank.items_of.values() for i in items}
    assert new.pk in offered and item.pk not in offered and item.pk in bank.items
    assert [v.version for v in selectors.item_versions(new)] == [1, 2]
    assert selectors.item_current(item) == new
    with pytest.raises(DomainError) as refused:
        services.item_edit(actor=world.a.teacher, item=item, spec=spec(framework))
    assert refused.value.code == "curriculum.item_superseded"


def test_retire_hides_from_practice_and_restore_offers_again(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
    services.item_retire(actor=world.a.teacher, item=item)
    bank = framework_bank(Framework.objects.get(pk=framework.pk))
    assert item.pk in bank.items and all(i.pk != item.pk for items in bank.items_of.values() for i in items)
    assert item not in selectors.bank_items(world.a.teacher, world.a.school)
    found = selectors.bank_items(world.a.teacher, world.a.school, selectors.BankFilter(include_retired=True))
    assert item in found
    services.item_restore(actor=world.a.teacher, item=item)
    bank = framework_bank(Framework.objects.get(pk=framework.pk))
    assert any(i.pk == item.pk for items in bank.items_of.values() for i in items)


def test_duplicate_makes_a_new_item_with_a_copy_code(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    item = services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework, code="half"))
    copy = services.item_duplicate(actor=world.a.teacher, item=item)
    again = services.item_duplicate(actor=world.a.teacher, item=item)
    assert (copy.code, again.code) == ("half-copy", "half-copy-2")
    assert copy.lineage_id is None and copy.stem == item.stem
    assert ItemCompetency.objects.get(item=copy).primary


def test_a_repeated_client_id_creates_one_item(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client_id = str(uuid.uuid4())
    first = services.item_create(
        actor=world.a.teacher, framework=framework, spec=spec(framework), client_id=client_id
    )
    second = services.item_create(
        actor=world.a.teacher, framework=framework, spec=spec(framework), client_id=client_id
    )
    assert first == second
    assert Item.objects.filter(framework=framework, stem=first.stem).count() == 1


def test_a_refused_create_frees_its_client_id(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    client_id = str(uuid.uuid4())
    with pytest.raises(DomainError):
        services.item_create(
            actor=world.a.teacher,
            framework=framework,
            spec=spec(framework, correct_choice=None),
            client_id=client_id,
        )
    item = services.item_create(
        actor=world.a.teacher, framework=framework, spec=spec(framework), client_id=client_id
    )
    assert item.pk


@pytest.mark.parametrize("seed", range(6))
def test_random_edit_histories_keep_every_answer_on_its_version(world, seed) -> None:  # type: ignore[no-untyped-def]
    """Edits, answers, retires and restores in a seeded random order: each answer points at the version it
    answered (whose content is unchanged since), each lineage has exactly one current version, and
    ``framework_bank`` never offers a retired or superseded one."""
    rng = random.Random(seed)
    framework = small_framework(world.a.school)
    items = [
        services.item_create(actor=world.a.teacher, framework=framework, spec=spec(framework))
        for _ in range(3)
    ]
    answered: dict[int, str] = {}  # answer id -> the stem of the version it answered, when answered
    for step in range(25):
        current = selectors.item_current(Item.objects.get(pk=rng.choice(items).pk))
        action = rng.choice(["answer", "answer", "edit", "edit", "retire", "restore"])
        if action == "answer":
            answered[answer(current, rng.choice([world.a.learner, world.a.other_learner])).pk] = current.stem
        elif action == "edit":
            services.item_edit(
                actor=world.a.teacher, item=current, spec=spec(framework, stem=f"Step {step}: half of 8?")
            )
        elif action == "retire":
            services.item_retire(actor=world.a.teacher, item=current)
        else:
            services.item_restore(actor=world.a.teacher, item=current)
        for given in Answer.objects.select_related("item"):
            assert given.item.stem == answered[given.pk]
        for first in items:
            versions = selectors.item_versions(first)
            assert sum(v.superseded_at is None for v in versions) == 1
            assert [v.version for v in versions] == list(range(1, len(versions) + 1))
            assert len({v.code for v in versions}) == 1
        bank = framework_bank(Framework.objects.get(pk=framework.pk))
        for offered in bank.items_of.values():
            for item in offered:
                fresh = Item.objects.get(pk=item.pk)
                assert fresh.retired_at is None and fresh.superseded_at is None
        current_ids = set(
            Item.objects.filter(framework=framework, superseded_at__isnull=True, retired_at__isnull=True)
            .exclude(kind="open_response")
            .values_list("pk", flat=True)
        )
        assert {i.pk for offered in bank.items_of.values() for i in offered} == current_ids


def test_the_bank_searches_filters_and_hides_other_schools(world) -> None:  # type: ignore[no-untyped-def]
    framework = small_framework(world.a.school)
    theirs = small_framework(world.b.school)
    services.item_create(actor=world.b.teacher, framework=theirs, spec=spec(theirs, stem="Secret of B"))
    item = services.item_create(
        actor=world.a.teacher, framework=framework, spec=spec(framework, stem="Cakes cut in half")
    )
    search = selectors.BankFilter
    assert list(selectors.bank_items(world.a.teacher, world.a.school, search(query="cakes"))) == [item]
    assert list(selectors.bank_items(world.a.teacher, world.a.school, search(tag="Halves"))) == [item]
    assert not selectors.bank_items(world.a.teacher, world.a.school, search(query="secret")).exists()
    assert selectors.bank_items(world.a.teacher, world.a.school, search(kind="numeric")).count() == 1  # add-1
    by_competency = selectors.bank_items(
        world.a.teacher, world.a.school, search(competency_id=competency(framework).pk)
    )
    assert set(by_competency.values_list("code", flat=True)) == {item.code, "frac-1", "pct-1"}
    assert not selectors.bank_items(world.a.learner, world.a.school).exists()
    assert "halves" in selectors.bank_tags(world.a.teacher, world.a.school)
