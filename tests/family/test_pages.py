"""The guardian's pages: each child, per school, with recent events in an aria-live list kept live by
feed.js (no inline script or style: the CSP is strict)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tessera.family.feed.selectors import events_visible_to_guardian
from tessera.family.feed.services import feed_event_record
from tessera.personalization.goals import services as goal_services
from tessera.personalization.profile import services as profile_services
from tessera.personalization.sharing.models import PersonalizationPolicy
from tessera.schools import services as school_services
from tessera.schools.models import Guardianship

pytestmark = pytest.mark.django_db


def _page(user: Any, url: str = "/family/") -> Any:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(url)


def _record(school: Any, learner: Any, competency: str) -> int:
    with transaction.atomic():
        event = feed_event_record(
            school=school,
            learner=learner,
            kind="competency_mastered",
            payload={"competency": competency, "answers": 9},
        )
    return event.pk


def test_a_guardian_sees_each_child_separately_also_across_schools(world: Any) -> None:
    a, b = world.a, world.b
    school_services.guardian_link(actor=None, school=b.school, guardian=a.guardian, learner=b.other_learner)
    first = _record(a.school, a.learner, "Equivalent fractions")
    _record(b.school, b.learner, "Not my child")
    response = _page(a.guardian)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card family-child"') == 2
    assert "Learner mastered Equivalent fractions today after 9 practice questions" in html
    assert "Not my child" not in html
    assert f'data-feed-stream="/family/feed/{a.school.pk}/{a.learner.pk}/stream"' in html
    assert f'data-feed-stream="/family/feed/{b.school.pk}/{b.other_learner.pk}/stream"' in html
    assert f'data-feed-cursor="{first}"' in html
    assert html.count('aria-live="polite"') == 2
    assert re.search(r'<script src="/static/family/feed\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    assert "<style" not in html and " style=" not in html, "no inline style"


def test_the_child_page_lists_the_events_with_anchors_for_the_links(world: Any) -> None:
    a = world.a
    event_id = _record(a.school, a.learner, "Ratios")
    response = _page(a.guardian, f"/family/{a.school.pk}/{a.learner.pk}/")
    assert response.status_code == 200
    assert f'id="event-{event_id}"' in response.content.decode()
    for other in (a.teacher, a.other_learner, world.b.guardian):
        assert _page(other, f"/family/{a.school.pk}/{a.learner.pk}/").status_code in (404, 403)


def test_people_without_a_child_get_a_page_saying_these_pages_are_for_guardians(world: Any) -> None:
    response = _page(world.a.teacher)
    assert response.status_code == 403
    assert "These pages are for guardians" in response.content.decode()


# ------------------------------------------------------------------------------- what the child shares


def _old_enough_to_choose(school: Any) -> None:
    """The world's learners are 12 and 13: from 10 they choose what their family sees of their work."""
    PersonalizationPolicy.objects.create(school=school, learner_chooses_sharing_from_age=10)


def _share_goals(a: Any, share: bool) -> None:
    profile_services.profile_sharing_set(
        learner=a.learner, school=a.school, profile=False, goals=share, reflections=False
    )


def test_goal_events_follow_the_learners_choice_also_for_the_past(world: Any) -> None:
    a = world.a
    _old_enough_to_choose(a.school)
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Swim 1 km")
    goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status="reached")
    child_url = f"/family/{a.school.pk}/{a.learner.pk}/"
    sentence = "Learner reached their goal “Swim 1 km” today"
    assert sentence not in _page(a.guardian).content.decode()
    assert sentence not in _page(a.guardian, child_url).content.decode()
    _share_goals(a, True)
    assert sentence in _page(a.guardian).content.decode()
    assert sentence in _page(a.guardian, child_url).content.decode()
    _share_goals(a, False)
    assert sentence not in _page(a.guardian, child_url).content.decode()


def test_the_child_page_shows_the_shared_goals_or_respects_the_choice(world: Any) -> None:
    a = world.a
    a.learner.first_name = "Maya"
    a.learner.save()
    _old_enough_to_choose(a.school)
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Swim 1 km")
    url = f"/family/{a.school.pk}/{a.learner.pk}/"
    page = _page(a.guardian, url).content.decode()
    assert "Maya does not share their goals with you." in page
    assert "Swim 1 km" not in page
    assert "Maya does not share their profile with you." in page
    _share_goals(a, True)
    page = _page(a.guardian, url).content.decode()
    assert "Maya shares their goals with you." in page
    member = a.membership(a.learner).pk
    assert f'href="/learners/{member}/goals/{goal.pk}/">Swim 1 km</a>' in page
    assert "Maya does not share their reflections with you." in page


def test_a_guardian_of_children_in_two_schools_sees_what_each_shares_there(world: Any) -> None:
    a, b = world.a, world.b
    school_services.guardian_link(actor=None, school=b.school, guardian=a.guardian, learner=b.other_learner)
    _old_enough_to_choose(b.school)  # in school B the child (13) chooses, and has chosen nothing
    goal_services.goal_create(learner=a.learner, school=a.school, title="Goal in A")
    goal_services.goal_create(learner=b.other_learner, school=b.school, title="Goal in B")
    in_a = _page(a.guardian, f"/family/{a.school.pk}/{a.learner.pk}/").content.decode()
    in_b = _page(a.guardian, f"/family/{b.school.pk}/{b.other_learner.pk}/").content.decode()
    assert "Goal in A" in in_a and "until Learner is 13" in in_a  # school A shares: the child is 12
    assert "Goal in B" not in in_a
    assert "Goal in B" not in in_b and "does not share their goals with you" in in_b


def test_events_visible_to_a_guardian(world: Any) -> None:
    a = world.a
    school_services.guardian_link(actor=None, school=a.school, guardian=a.other_teacher, learner=a.learner)
    mastered = _record(a.school, a.learner, "Ratios")
    with transaction.atomic():
        message = feed_event_record(
            school=a.school,
            learner=a.learner,
            kind="message_received",
            payload={"sender": "T"},
            guardian=a.guardian,
        ).pk
        support = feed_event_record(school=a.school, learner=a.learner, kind="support_session", payload={}).pk

    def visible(guardian: Any) -> list[int]:
        events = events_visible_to_guardian(
            guardian_id=guardian.pk, school_id=a.school.pk, learner_id=a.learner.pk
        )
        return list(events.values_list("pk", flat=True))

    assert visible(a.guardian) == [mastered, message]  # support sessions: not shared by default
    assert visible(a.other_teacher) == [mastered]
    assert visible(world.b.guardian) == [] and visible(a.teacher) == []
    PersonalizationPolicy.objects.create(school=a.school, always_share_support=True)
    assert visible(a.guardian) == [mastered, message, support]
    Guardianship.objects.filter(guardian=a.guardian).update(revoked_at=timezone.now())
    assert visible(a.guardian) == []
