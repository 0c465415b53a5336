"""The library: a learner finds resources of their school's frameworks, saves them, and gets suggestions
that each say why."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tessera.curriculum.models import Framework, Resource, ResourceCompetency
from tessera.personalization.library import selectors
from tessera.personalization.library.models import SavedResource
from tessera.personalization.profile.models import LearnerProfile
from tessera.practice.models import LearnerCompetencyState
from tests.curriculum.documents import small_framework

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _resource(framework: Framework, code: str, competency: str, **fields: Any) -> Resource:
    values = {"kind": "reading", "title": code.replace("-", " ").title(), "interest_topics": []}
    values.update(fields)
    resource = Resource.objects.create(
        school=framework.school, framework=framework, code=code, url=f"https://example.org/{code}", **values
    )
    ResourceCompetency.objects.create(
        school=framework.school, resource=resource, competency=framework.competencies.get(code=competency)
    )
    return resource


@pytest.fixture
def library(world: Any) -> Framework:
    framework = small_framework(world.a.school)
    _resource(
        framework, "adding-goals", "add", title="Adding up goals", kind="video", interest_topics=["football"]
    )
    _resource(
        framework, "adding-cakes", "add", title="Adding cakes", kind="worksheet", interest_topics=["cooking"]
    )
    _resource(
        framework, "times-tables", "mul", title="Times tables song", kind="video", interest_topics=["music"]
    )
    return framework


def _results(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return page.split('id="h-search"')[1].split('id="h-saved"')[0]


def test_search_by_text_competency_and_kind(world: Any, library: Framework) -> None:
    client = _client(world.a.learner)
    base = f"/me/library/?school={world.a.school.pk}"
    page = _results(client, base + "&q=goals")
    assert "Adding up goals" in page and "Adding cakes" not in page
    page = _results(client, base + f"&q=&competency={library.competencies.get(code='add').pk}")
    assert "2 resources found" in page
    page = _results(client, base + "&q=&kind=video")
    assert "What is a fraction?" in page and "Times tables song" in page and "Adding cakes" not in page
    page = _results(client, base + "&q=cooking")  # interest topics are searched too
    assert "Adding cakes" in page


def test_another_schools_resources_are_not_found_nor_saved(world: Any, library: Framework) -> None:
    theirs = small_framework(world.b.school)
    _resource(theirs, "secret", "add", title="School B only")
    client = _client(world.a.learner)
    page = client.get(f"/me/library/?school={world.a.school.pk}&q=only").content.decode()
    assert "School B only" not in page
    response = client.post(
        f"/me/library/{theirs.resources.get(code='secret').pk}/save/?school={world.a.school.pk}"
    )
    assert response.status_code == 404
    assert not SavedResource.objects.exists()


def test_saving_is_idempotent_and_unsaving_removes_it(world: Any, library: Framework) -> None:
    client = _client(world.a.learner)
    resource = library.resources.get(code="adding-goals")
    url = f"/me/library/{resource.pk}/save/?school={world.a.school.pk}"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert SavedResource.objects.filter(learner=world.a.learner).count() == 1
    saved = client.get(f"/me/library/?school={world.a.school.pk}").content.decode()
    assert "Saved by me" in saved and "Adding up goals" in saved.split("Saved by me")[1]
    client.post(f"/me/library/{resource.pk}/unsave/?school={world.a.school.pk}")
    client.post(f"/me/library/{resource.pk}/unsave/?school={world.a.school.pk}")
    assert not SavedResource.objects.exists()


def test_recommendations_are_ready_competencies_and_each_says_why(world: Any, library: Framework) -> None:
    LearnerProfile.objects.create(
        school=world.a.school, learner=world.a.learner, interests=["football"], learning_preferences=["video"]
    )
    recommendations = selectors.recommendations_for(world.a.learner, world.a.school)
    titles = [r.resource.title for r in recommendations]
    # Addition has no prerequisite: ready. Multiplication and fractions wait for what comes before them.
    assert titles == ["Adding up goals", "Adding cakes"]
    assert recommendations[0].explanation == (
        "You are ready to start Addition, and this one is about football, which you like. It is a video, "
        "which you like to learn from."
    )
    page = _client(world.a.learner).get(f"/me/library/?school={world.a.school.pk}").content.decode()
    section = page.split('id="h-recommended"')[1].split("</section>")[0]
    cards = re.findall(r'<li class="card">(.*?)</li>', section, flags=re.S)
    assert len(cards) == 2
    for card in cards:
        assert re.search(r'<p class="why"><strong>Why:</strong> You (are ready|have started) .+\.</p>', card)


def test_mastering_moves_recommendations_on(world: Any, library: Framework) -> None:
    add = library.competencies.get(code="add")
    LearnerCompetencyState.objects.create(
        school=world.a.school,
        learner=world.a.learner,
        competency=add,
        attempts=5,
        mastery_level=0.95,
        mastered_at=timezone.now(),
    )
    recommendations = selectors.recommendations_for(world.a.learner, world.a.school)
    assert [r.resource.title for r in recommendations] == ["Times tables song"]
    assert recommendations[0].explanation == (
        "You are ready for Multiplication (you mastered Addition, which it builds on)."
    )


def test_a_spanish_speaking_learner_reads_why_in_spanish(world: Any, library: Framework) -> None:
    LearnerProfile.objects.create(
        school=world.a.school, learner=world.a.learner, interests=["football"], learning_preferences=["video"]
    )
    world.a.learner.language = "es"
    world.a.learner.save(update_fields=["language"])
    page = _client(world.a.learner).get(f"/me/library/?school={world.a.school.pk}").content.decode()
    section = " ".join(page.split('id="h-recommended"')[1].split("</section>")[0].split())
    assert "Estás listo para empezar Addition, y este trata de football, que te gusta." in section
    assert "Es un video, con lo que te gusta aprender." in section
    assert "You are ready" not in section
