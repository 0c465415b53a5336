"""Building blocks for the question-bank tests: a spec, an answer to an item."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from tessera.curriculum.items.services import CompetencyLink, ItemSpec
from tessera.curriculum.models import Competency, Framework, Item
from tessera.practice.models import Answer, PracticeSession
from tessera.schools.models import User


def competency(framework: Framework, code: str = "frac") -> Competency:
    return Competency.objects.get(framework=framework, code=code)


def spec(framework: Framework, **changes: Any) -> ItemSpec:
    """A valid multiple-choice spec with maths, a hint and feedback, assessing ``frac`` (primary)."""
    base = ItemSpec(
        kind="multiple_choice",
        stem=r"Which is \(\frac{1}{2}\) of 8?",
        choices=("2", "4", "6"),
        correct_choice=1,
        hints=(r"Halve \(8\).",),
        feedback="Half of 8 is 4.",
        difficulty=0.5,
        tags=("Fractions", "halves"),
        competencies=(CompetencyLink(competency(framework).pk, primary=True),),
    )
    return replace(base, **changes)


def answer(item: Item, learner: User, *, correct: bool = True) -> Answer:
    """A learner's answer to ``item`` (as practice stores it)."""
    link = item.itemcompetency_set.first()
    assert link is not None
    session = PracticeSession.objects.create(
        school_id=item.school_id, learner=learner, competency=link.competency
    )
    return Answer.objects.create(
        school_id=item.school_id,
        session=session,
        item=item,
        competency=link.competency,
        learner=learner,
        client_id=uuid.uuid4(),
        fingerprint="test",
        given={"answer": 1},
        correct=correct,
    )
