"""The child's progress page for guardians: what the child works on next and why, what is mastered, and
the week's practice; only for a current guardian of that child in that school."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tessera.events.log import event_record
from tessera.family.messages import services as message_services
from tessera.family.models import FeedEvent
from tessera.personalization.sharing.models import PersonalizationPolicy
from tessera.practice.events import CompetencyMastered
from tessera.schools.models import Guardianship

pytestmark = pytest.mark.django_db


def _get(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(url)


def _url(school: Any, learner: Any) -> str:
    return f"/family/{school.pk}/{learner.pk}/progress/"


def test_a_guardian_reads_what_is_next_and_why_and_the_week(world: Any, practice: Any) -> None:
    practice.submit(5)
    practice.submit(4)
    response = _get(world.a.guardian, _url(world.a.school, world.a.learner))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Learner answered 2 practice questions this week and got 1 right." in text
    assert "Small maths" in text and "0 of 4 mastered" in text
    assert "What Learner works on next, and why" in text
    assert "<strong>Addition</strong>: Learner has started it (" in text
    assert "<strong>Fractions</strong>: ready: nothing has to be mastered before it" in text
    assert "Percents" in text and "locked" in text
    assert 'name="competency"' not in text, "a guardian gets no practice buttons"


def test_a_week_without_practice_says_so(world: Any, practice: Any) -> None:
    last_week = timezone.now() - datetime.timedelta(days=8)
    practice.submit(5)
    practice.session.answers.update(created_at=last_week)
    text = _get(world.a.guardian, _url(world.a.school, world.a.learner)).content.decode()
    assert "Learner has not practised this week yet." in text


@pytest.mark.parametrize("who", ["b_guardian", "teacher", "learner", "former_guardian"])
def test_only_a_current_guardian_of_the_child_in_that_school_reads_it(
    world: Any, practice: Any, who: str
) -> None:
    a = world.a
    if who == "b_guardian":
        user = world.b.guardian  # a guardian in another school
    elif who == "former_guardian":
        user = a.guardian
        Guardianship.objects.filter(guardian=user).update(revoked_at=timezone.now())
    else:
        user = getattr(a, who)
    assert _get(user, _url(a.school, a.learner)).status_code == 404


def test_the_feed_card_links_to_the_progress_page(world: Any) -> None:
    html = _get(world.a.guardian, "/family/").content.decode()
    assert f'href="{_url(world.a.school, world.a.learner)}"' in html


def test_the_school_may_keep_practice_progress_from_families(world: Any, practice: Any) -> None:
    PersonalizationPolicy.objects.update_or_create(
        school=world.a.school, defaults={"always_share_practice": False}
    )
    practice.submit(5)
    text = " ".join(_get(world.a.guardian, _url(world.a.school, world.a.learner)).content.decode().split())
    assert "School A does not share practice progress with families." in text
    assert "Addition" not in text and "this week" not in text


def test_mastery_news_links_to_the_competency_on_the_progress_page_and_a_message_to_its_conversation(
    world: Any, practice: Any
) -> None:
    a = world.a
    with transaction.atomic():
        event_record(
            school=a.school, learner=a.learner, fact=CompetencyMastered(practice.add.pk, practice.add.name, 4)
        )
    mastered = FeedEvent.objects.get(kind="competency_mastered")
    conversation = message_services.conversation_start(
        actor=a.guardian, school_id=a.school.pk, learner_id=a.learner.pk, other_id=a.teacher.pk
    )
    message_services.message_send(actor=a.teacher, conversation=conversation, text="Hello", token="t-1")
    page = _get(a.guardian, f"/family/{a.school.pk}/{a.learner.pk}/").content.decode()
    assert f'href="{_url(a.school, a.learner)}#competency-{practice.add.pk}"' in page
    assert f'href="/family/messages/{conversation.pk}/"' in page
    assert f'id="event-{mastered.pk}"' in page
    progress_page = _get(a.guardian, _url(a.school, a.learner)).content.decode()
    assert f'id="competency-{practice.add.pk}"' in progress_page
