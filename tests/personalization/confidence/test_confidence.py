"""How sure I feel: the learner's confidence is compared with the evidence (calibration), in plain words."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tessera.personalization.confidence import selectors, services
from tessera.personalization.confidence.models import ConfidenceRating
from tessera.practice.models import LearnerCompetencyState

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_calibration_says_in_plain_words_how_confidence_compares_with_evidence(
    world: Any, practice: Any
) -> None:
    now = timezone.now()
    LearnerCompetencyState.objects.create(
        school=world.a.school,
        learner=world.a.learner,
        competency=practice.add,
        attempts=8,
        mastery_level=0.95,
        mastered_at=now,
    )
    LearnerCompetencyState.objects.create(
        school=world.a.school,
        learner=world.a.learner,
        competency=practice.frac,
        attempts=4,
        mastery_level=0.45,
    )
    client = _client(world.a.learner)
    assert (
        client.post(
            f"/me/confidence/?school={world.a.school.pk}", {"competency": practice.add.pk, "confidence": 1}
        ).status_code
        == 302
    )
    client.post(
        f"/me/confidence/?school={world.a.school.pk}", {"competency": practice.frac.pk, "confidence": 4}
    )
    page = client.get(f"/me/confidence/?school={world.a.school.pk}").content.decode()
    assert f"You feel unsure about {practice.add.name}, but your answers show you have mastered it." in page
    assert f"You feel confident about {practice.frac.name}; the evidence says not yet: 45%." in page


def test_under_confidence_is_told_too() -> None:
    text, agrees = selectors.calibration_message("Fractions", 1, 0.8, False)
    assert (
        agrees is False
        and text
        == "You feel unsure about Fractions, but your answers show you know more than you think: 80%."
    )
    assert selectors.calibration_message("Fractions", 2, 0.4, False)[1] is True


def test_confidence_out_of_range_is_refused(world: Any, practice: Any) -> None:
    response = _client(world.a.learner).post(
        f"/me/confidence/?school={world.a.school.pk}", {"competency": practice.add.pk, "confidence": 7}
    )
    assert response.status_code == 400
    assert not ConfidenceRating.objects.exists()
    with pytest.raises(services.DomainError):
        services.confidence_rate(
            learner=world.a.learner, school=world.a.school, competency_id=practice.add.pk, confidence=0
        )
