"""The demo school's maths framework: built once from the ASSISTments skills, idempotent, practisable."""

from __future__ import annotations

import collections
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from tessera.curriculum import selectors
from tessera.curriculum.answers import answer_check
from tessera.curriculum.models import Competency, Framework, Item, Prerequisite
from tessera.demo import curriculum as demo
from tessera.practice import progress
from tessera.practice.models import LearnerCompetencyState


def test_every_skill_goes_to_a_domain_and_every_curated_prerequisite_names_a_skill() -> None:
    names = {name for _, name in demo.skills()}
    assert len(names) == 110
    assert set(demo.PREREQUISITES) <= names
    assert {b for befores in demo.PREREQUISITES.values() for b in befores} <= names
    assert set(demo.TEMPLATES) <= names
    assert demo.domain_of("Percent Discount") == "ratio-percent"
    assert demo.domain_of("Order of Operations All") == "number"  # "operations" does not contain "rate"
    assert demo.domain_of("Circle Graph") == "statistics-probability"
    assert demo.domain_of("Area Circle") == "geometry-measurement"
    assert demo.domain_of("Divisibility Rules") == "number"  # no keyword: the default domain


def test_the_document_is_deterministic_given_the_seed() -> None:
    assert demo.demo_framework_document(seed=1) == demo.demo_framework_document(seed=1)
    assert demo.demo_framework_document(seed=1)["items"] != demo.demo_framework_document(seed=2)["items"]


def test_every_generated_item_is_answered_correctly_by_its_own_answer() -> None:
    for item in demo.demo_framework_document()["items"]:
        answer = item["accepted"][0] if item["kind"] == "short_text" else item["answer"]
        assert answer_check(item, answer), item["code"]


def framework_name() -> str:
    return str(demo.demo_framework_document(seed=0)["framework"]["name"])


def test_load_demo_school_builds_the_framework_once(db) -> None:  # type: ignore[no-untyped-def]
    """One test loads the demo (about 2 s) and checks it, so the suite builds it only once."""
    out = StringIO()
    call_command("load_demo_school", "--quiet-logins", "--no-history", stdout=out)
    assert f"Created maths framework “{framework_name()}”" in out.getvalue()
    framework = Framework.objects.get(school__slug="demo", code=demo.DEMO_FRAMEWORK_CODE)
    assert [d.name for d in framework.domains.all()] == [name for _, name in demo.DOMAINS]
    _has_items_for_every_templated_competency(framework)
    _prerequisites_cross_domains_and_come_first(framework)

    before = (Competency.objects.count(), Item.objects.count(), Prerequisite.objects.count())
    out = StringIO()
    call_command("load_demo_school", "--quiet-logins", "--no-history", stdout=out)
    assert "Already loaded: maths framework" in out.getvalue()
    assert (Competency.objects.count(), Item.objects.count(), Prerequisite.objects.count()) == before


def _has_items_for_every_templated_competency(framework: Framework) -> None:
    per_competency = collections.Counter(
        Item.objects.filter(framework=framework).values_list("competencies__name", flat=True)
    )
    for name in demo.TEMPLATES:
        assert per_competency[name] >= 5, name
    without = {c.name for c in framework.competencies.all()} - set(per_competency)
    assert without == set(demo.untemplated())


def _prerequisites_cross_domains_and_come_first(framework: Framework) -> None:
    edges = selectors.prerequisite_map(framework)
    assert "conversion-of-fraction-decimals-percents" in edges["percents"]  # fractions → percents
    assert "equivalent-fractions" in edges["proportion"]
    # Within a domain, the page lists every prerequisite before what it unlocks.
    seen: set[str] = set()
    for domain in selectors.framework_tree(framework):
        for row in domain.competencies:
            for before in row.prerequisites:
                if before.domain_id == row.competency.domain_id:
                    assert before.code in seen, (before.code, row.competency.code)
            seen.add(row.competency.code)


def test_every_practisable_competency_of_the_demo_framework_can_be_reached(world: Any) -> None:
    """Mastering whatever is ready, again and again, eventually opens every competency that has items:
    prerequisites without items (which nobody can master) lock nothing."""
    framework, _ = demo.demo_framework_load(school=world.a.school, seed=2026)
    learner, school = world.a.learner, world.a.school
    while True:
        rows = [r for d in progress.framework_progress(learner, school, framework) for r in d.competencies]
        ready = [r for r in rows if r.practisable and r.status == progress.READY]
        if not ready:
            break
        LearnerCompetencyState.objects.bulk_create(
            LearnerCompetencyState(
                school=school,
                learner=learner,
                competency=r.competency,
                attempts=3,
                mastered_at=timezone.now(),
            )
            for r in ready
        )
    stuck = [r.competency.name for r in rows if r.practisable and r.status != progress.MASTERED]
    assert not stuck
    assert sum(1 for r in rows if r.practisable) == 74
