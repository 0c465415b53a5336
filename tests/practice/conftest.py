"""A practice world: school A has the small test framework; school A's learner practises addition."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tessera.curriculum.models import Competency, Framework, Item
from tessera.practice import services
from tessera.practice.models import PracticeSession
from tessera.schools.models import User
from tests.curriculum.documents import small_framework


@dataclass
class Practice:
    framework: Framework
    add: Competency
    frac: Competency
    add_item: Item
    frac_item: Item
    session: PracticeSession
    learner: User

    def submit(self, answer: Any = 5, item: Item | None = None, client_id: uuid.UUID | None = None) -> Any:
        chosen = item or self.add_item
        return services.answer_submit(
            learner=self.learner,
            session=self.session,
            item=chosen,
            answer=answer,
            client_id=client_id or uuid.uuid4(),
            fingerprint=services.answer_fingerprint(
                session_id=self.session.pk, item_id=chosen.pk, answer=answer
            ),
        )


@pytest.fixture
def practice(world: Any) -> Practice:
    framework = small_framework(world.a.school)
    add = framework.competencies.get(code="add")
    session = services.session_start(learner=world.a.learner, competency=add)
    return Practice(
        framework=framework,
        add=add,
        frac=framework.competencies.get(code="frac"),
        add_item=framework.items.get(code="add-1"),
        frac_item=framework.items.get(code="frac-1"),
        session=session,
        learner=world.a.learner,
    )
