"""The guardian's pages: each child, per school, with recent events in an aria-live list kept live by
feed.js (no inline script or style: the CSP is strict)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tessera.family.services import feed_event_record
from tessera.schools import services as school_services

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
