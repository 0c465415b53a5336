"""Learner names lead to the learner's page wherever the reader may open it (the teacher's class page,
the home pages of specialists, para-professionals and mentors), and a learner is not shown a link to
the teachers' messages with guardians."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.schools.models import Membership

pytestmark = pytest.mark.django_db


def _url(world: Any, user: Any) -> str:
    membership = Membership.objects.get(school=world.a.school, user=user, role="learner")
    return f"/learners/{membership.pk}/"


def _page_of(world: Any, user: Any) -> str:
    return f'href="{_url(world, user)}"'


def test_the_class_page_links_each_learner_for_its_teacher(world: Any, client_for: Any) -> None:
    page = client_for(world.a.teacher).get(f"/classes/{world.a.klass.pk}/").content.decode()
    assert f"{_page_of(world, world.a.learner)}>{world.a.learner.name}</a>" in page
    learner_page = client_for(world.a.teacher).get(_url(world, world.a.learner))
    assert learner_page.status_code == 200


@pytest.mark.parametrize("role", ["specialist", "para", "mentor"])
def test_supporters_home_links_the_learners_they_support(world: Any, client_for: Any, role: str) -> None:
    supporter = getattr(world.a, role)
    page = client_for(supporter).get("/").content.decode()
    assert f"{_page_of(world, world.a.learner)}>{world.a.learner.name}</a>" in page
    href = _url(world, world.a.learner)
    assert client_for(supporter).get(href).status_code == 200


def test_a_learner_sees_no_link_to_messages_with_guardians(world: Any, client_for: Any) -> None:
    own_page = client_for(world.a.learner).get(_url(world, world.a.learner))
    assert own_page.status_code == 200
    assert "Messages with guardians" not in own_page.content.decode()
    teachers_view = client_for(world.a.teacher).get(_url(world, world.a.learner))
    assert "Messages with guardians" in teachers_view.content.decode()
