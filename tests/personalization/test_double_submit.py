"""A form sent twice (a double tap on a slow network, or two copies of the request at the same moment) adds
one goal or one proposal, and the second answer lands on it saying so; two forms are two goals or two
proposals, even with the same title."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from django.test import Client

from tessera.personalization.choice import services as choice_services
from tessera.personalization.choice.models import Proposal
from tessera.personalization.goals import services
from tessera.personalization.goals.models import Goal

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<input type="hidden" name="token" value="([^"]+)"')


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _token(page: str) -> str:
    """The one-time token of the form on the page, as a browser sends it back."""
    found = TOKEN.findall(page)
    assert len(found) == 1, "the page should hold one form with a one-time token"
    return found[0]


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


# --- goals ---------------------------------------------------------------------------------------


def _goals_url(world: Any) -> str:
    return f"/me/goals/?school={world.a.school.pk}"


def test_a_goal_form_sent_twice_sets_one_goal_and_the_second_answer_lands_on_it(world: Any) -> None:
    client = _client(world.a.learner)
    form = {
        "title": "Swim 1 km",
        "why": "The sea",
        "token": _token(client.get(_goals_url(world)).content.decode()),
    }
    first = client.post(_goals_url(world), form)
    second = client.post(_goals_url(world), form)
    assert first.status_code == second.status_code == 302
    goal = Goal.objects.get(learner=world.a.learner)
    assert second["Location"] == first["Location"] == f"/me/goals/{goal.pk}/?school={world.a.school.pk}"
    page = _text(client.get(second["Location"]))
    assert "This goal was already added. Here it is." in page
    assert _text(client.get(_goals_url(world))).count("Swim 1 km") == 1


def test_a_fresh_form_with_the_title_of_a_reached_goal_sets_a_second_goal(world: Any) -> None:
    client = _client(world.a.learner)
    first = client.post(
        _goals_url(world),
        {"title": "Read a book", "token": _token(client.get(_goals_url(world)).content.decode())},
    )
    client.post(f"{first['Location'].split('?')[0]}status/", {"status": "reached"})
    again = client.post(
        _goals_url(world),
        {"title": "Read a book", "token": _token(client.get(_goals_url(world)).content.decode())},
    )
    assert again.status_code == 302 and again["Location"] != first["Location"]
    assert "Goal set." in _text(client.get(again["Location"]))
    goals = Goal.objects.filter(learner=world.a.learner).order_by("pk")
    assert [(g.title, g.status) for g in goals] == [("Read a book", "reached"), ("Read a book", "active")]


def test_an_old_form_sent_again_with_another_goal_keeps_it_for_one_more_send(world: Any) -> None:
    """Back to the form after setting a goal, another goal typed in: not lost, not silently merged."""
    client = _client(world.a.learner)
    token = _token(client.get(_goals_url(world)).content.decode())
    client.post(_goals_url(world), {"title": "Swim 1 km", "token": token})
    refused = client.post(_goals_url(world), {"title": "Run 5 km", "token": token})
    page = _text(refused)
    assert refused.status_code == 400
    assert "This form already set your goal “Swim 1 km”" in page and "send it again to add it too" in page
    assert 'value="Run 5 km"' in page and _token(page) != token
    assert list(Goal.objects.values_list("title", flat=True)) == ["Swim 1 km"]
    added = client.post(_goals_url(world), {"title": "Run 5 km", "token": _token(page)})
    assert added.status_code == 302 and "Goal set." in _text(client.get(added["Location"]))
    assert sorted(Goal.objects.values_list("title", flat=True)) == ["Run 5 km", "Swim 1 km"]


def test_twin_goal_requests_store_one_goal(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two copies at the same moment: the other copy stored the goal after this one looked (the look-up
    misses, the insert meets the unique token), and this answer lands on that goal instead of a 500."""
    client = _client(world.a.learner)
    token = _token(client.get(_goals_url(world)).content.decode())
    twin = services.goal_create(
        learner=world.a.learner, school=world.a.school, title="Swim 1 km", token=uuid.UUID(token)
    )
    monkeypatch.setattr(services, "_goal_submitted", lambda *args: None)
    response = client.post(_goals_url(world), {"title": "Swim 1 km", "token": token})
    assert response.status_code == 302
    assert response["Location"] == f"/me/goals/{twin.pk}/?school={world.a.school.pk}"
    assert "This goal was already added." in _text(client.get(response["Location"]))
    assert Goal.objects.filter(learner=world.a.learner).count() == 1


# --- proposals -----------------------------------------------------------------------------------


def _proposals_url(world: Any) -> str:
    return f"/classes/{world.a.klass.pk}/proposals/"


def test_a_proposal_form_sent_twice_sends_one_proposal(world: Any) -> None:
    client = _client(world.a.learner)
    url = _proposals_url(world)
    form = {
        "title": "Ratios in recipes",
        "description": "Scale a cake.",
        "token": _token(client.get(url).content.decode()),
    }
    first = client.post(url, form)
    second = client.post(url, form)
    assert first.status_code == second.status_code == 302
    proposal = Proposal.objects.get(learner=world.a.learner)
    assert second["Location"] == f"{url}#proposal-{proposal.pk}"
    page = _text(client.get(second["Location"]))
    assert "This proposal was already sent. Your teacher gets it once." in page
    assert page.count("<h3>Ratios in recipes</h3>") == 1
    assert _text(_client(world.a.teacher).get(url)).count("<h3>Ratios in recipes</h3>") == 1


def test_a_fresh_form_may_propose_again_what_was_declined(world: Any) -> None:
    client = _client(world.a.learner)
    url = _proposals_url(world)
    form = {"title": "Ratios in recipes", "description": "Scale a cake."}
    client.post(url, {**form, "token": _token(client.get(url).content.decode())})
    first = Proposal.objects.get(learner=world.a.learner)
    choice_services.proposal_decide(
        actor=world.a.teacher, proposal=first, decision="declined", comment="Too big"
    )
    again = client.post(url, {**form, "token": _token(client.get(url).content.decode())})
    assert again.status_code == 302
    assert "Proposal sent." in _text(client.get(again["Location"]))
    proposals = Proposal.objects.filter(learner=world.a.learner).order_by("pk")
    assert [(p.title, p.status) for p in proposals] == [
        ("Ratios in recipes", "declined"),
        ("Ratios in recipes", "pending"),
    ]


def test_twin_proposal_requests_send_one_proposal(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client(world.a.learner)
    url = _proposals_url(world)
    token = _token(client.get(url).content.decode())
    twin = choice_services.proposal_create(
        learner=world.a.learner,
        school_class=world.a.klass,
        title="Ratios in recipes",
        description="Scale a cake.",
        token=uuid.UUID(token),
    )
    monkeypatch.setattr(choice_services, "_proposal_submitted", lambda *args: None)
    response = client.post(
        url, {"title": "Ratios in recipes", "description": "Scale a cake.", "token": token}
    )
    assert response.status_code == 302 and response["Location"] == f"{url}#proposal-{twin.pk}"
    assert "This proposal was already sent." in _text(client.get(response["Location"]))
    assert Proposal.objects.filter(learner=world.a.learner).count() == 1
