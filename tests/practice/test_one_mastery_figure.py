"""One number per fact: a learner's mastery of a competency is the same figure on every page that shows it
(practice's today and mastery pages, the answer's reply, the goal page, "How sure I feel", the family's
progress page), because they all read it from the one selector (:mod:`tessera.practice.selectors`)."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from tessera.personalization.confidence import services as confidence_services
from tessera.personalization.goals import services as goal_services
from tessera.practice import services as practice_services
from tessera.practice.selectors import learner_masteries
from tests.practice.test_pages import text_of

pytestmark = pytest.mark.django_db


def _text(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert response.status_code == 200, url
    return text_of(response)


def _percents(pattern: str, text: str) -> set[int]:
    return {int(found) for found in re.findall(pattern, text)}


@pytest.mark.parametrize("seed", range(5))
def test_every_page_shows_the_selectors_figure(world: Any, practice: Any, seed: int) -> None:
    a = world.a
    generator = random.Random(seed)
    for _ in range(generator.randint(1, 2)):  # in progress (too few answers to master): a percentage shows
        practice.submit(5 if generator.random() < 0.6 else 4)
    fractions = practice_services.session_start(learner=a.learner, competency=practice.frac)
    practice_services.answer_submit(  # an answer elsewhere, after: it must not move Addition's figure
        learner=a.learner,
        session=fractions,
        item=practice.frac_item,
        answer=1,
        client_id=uuid.uuid4(),
        fingerprint=uuid.uuid4().hex,
    )
    mastery = learner_masteries(school_id=a.school.pk, learner_id=a.learner.pk)[practice.add.pk]
    assert not mastery.mastered and mastery.percent is not None
    goal = goal_services.goal_create(
        learner=a.learner, school=a.school, title="Adding", competency_ids=[practice.add.pk]
    )
    confidence_services.confidence_rate(
        learner=a.learner, school=a.school, competency_id=practice.add.pk, confidence=4
    )
    pages = {
        "today": (a.learner, "/learn/"),
        "my mastery": (a.learner, "/learn/mastery/"),
        "goal": (a.learner, f"/me/goals/{goal.pk}/"),
        "how sure I feel": (a.learner, "/me/confidence/"),
        "family progress": (a.guardian, f"/family/{a.school.pk}/{a.learner.pk}/progress/"),
    }
    # Every percentage written after the competency's name before another's ("Addition in progress · 80%
    # mastery", "Addition: 80% so far", "confident about Addition; the evidence says not yet: 80%").
    after_addition = r"Addition\b(?:(?!Multiplication|Fractions|Percents)[^%]){0,60}?(\d+)%"
    shown = {page: _percents(after_addition, _text(*where)) for page, where in pages.items()}
    assert shown == {page: {mastery.percent} for page in shown}, shown
