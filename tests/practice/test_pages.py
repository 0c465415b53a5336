"""The learner's pages as a learner sees them, and who is turned away."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tessera.practice.models import Answer, LearnerCompetencyState, PracticeSession
from tessera.schools.models import Membership
from tests.curriculum.documents import small_framework

pytestmark = pytest.mark.django_db

PAGES = ["learn-today", "learn-mastery", "learn-history"]


def text_of(response: Any) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_learner_without_a_framework_sees_empty_states(world: Any, client_for: Any) -> None:
    client = client_for(world.a.learner)
    today = text_of(client.get(reverse("learn-today")))
    assert "Your school has not added anything to practise yet" in today
    assert "Practise today to start a streak." in today
    mastery = text_of(client.get(reverse("learn-mastery")))
    assert "your mastery will show here" in mastery
    history = text_of(client.get(reverse("learn-history")))
    assert "You have not answered any questions yet" in history


def test_today_suggests_what_to_practise_with_start_buttons(world: Any, client_for: Any) -> None:
    small_framework(world.a.school)
    response = client_for(world.a.learner).get(reverse("learn-today"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Small maths" in text
    assert "What to practise next" in text
    # Addition is the only ready competency with items; the others are locked behind it.
    assert "Start Addition" in text
    assert "Multiplication" not in text
    assert "No reviews are due" in text
    # The learner pages' navigation, with the current page marked.
    assert re.search(r'href="/learn/"\s+aria-current="page"', response.content.decode())
    assert 'src="/static/practice/practice.js"' in response.content.decode()


def test_start_opens_a_session_and_the_practice_page(world: Any, client_for: Any) -> None:
    framework = small_framework(world.a.school)
    add = framework.competencies.get(code="add")
    client = client_for(world.a.learner)
    response = client.post(reverse("learn-start"), {"competency": add.pk, "how": "suggested"})
    session = PracticeSession.objects.get(learner=world.a.learner)
    assert (session.competency, session.how, session.school) == (add, "suggested", world.a.school)
    assert response.status_code == 302
    assert response["Location"] == reverse("learn-practice", args=[session.pk])

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-api="/api/practice/sessions/{session.pk}"' in html
    assert "Practise Addition" in text_of(page)
    assert "csrftoken" in page.cookies  # practice.js sends it back as X-CSRFToken


def test_start_refuses_a_competency_of_another_school_and_odd_input(world: Any, client_for: Any) -> None:
    other = small_framework(world.b.school).competencies.get(code="add")
    client = client_for(world.a.learner)
    assert client.post(reverse("learn-start"), {"competency": other.pk}).status_code == 404
    assert client.post(reverse("learn-start"), {"competency": "x"}).status_code == 404
    assert client.get(reverse("learn-start")).status_code == 405
    mine = small_framework(world.a.school).competencies.get(code="add")
    client.post(reverse("learn-start"), {"competency": mine.pk, "how": "forced"})
    assert PracticeSession.objects.get().how == "chosen"  # an unknown way of choosing counts as chosen


def test_a_session_is_its_learners_alone(world: Any, client_for: Any) -> None:
    add = small_framework(world.a.school).competencies.get(code="add")
    client_for(world.a.learner).post(reverse("learn-start"), {"competency": add.pk})
    url = reverse("learn-practice", args=[PracticeSession.objects.get().pk])
    for other in (world.a.other_learner, world.a.teacher, world.a.guardian, world.a.admin, world.b.learner):
        assert client_for(other).get(url).status_code == 404, other.username
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize("role", ["teacher", "guardian", "admin", "specialist", "mentor"])
@pytest.mark.parametrize("name", PAGES)
def test_people_who_are_not_learners_are_told_these_pages_are_for_learners(
    world: Any, client_for: Any, role: str, name: str
) -> None:
    response = client_for(getattr(world.a, role)).get(reverse(name))
    assert response.status_code == 403
    assert "These pages are for learners" in text_of(response)


def test_non_learners_cannot_start_sessions(world: Any, client_for: Any) -> None:
    add = small_framework(world.a.school).competencies.get(code="add")
    response = client_for(world.a.teacher).post(reverse("learn-start"), {"competency": add.pk})
    assert response.status_code == 403
    assert not PracticeSession.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Any) -> None:
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_after_practice_today_mastery_and_history_show_progress(practice: Any, client_for: Any) -> None:
    practice.submit(5)
    practice.submit(7)
    client = client_for(practice.learner)

    today = text_of(client.get(reverse("learn-today")))
    assert "You have practised 1 day in a row." in today
    assert re.search(r"Addition in progress · \d+% mastery", today)

    mastery = text_of(client.get(reverse("learn-mastery")))
    assert re.search(r"Addition in progress \d+% mastery", mastery)
    assert "Multiplication locked needs: Addition" in mastery
    assert "Percents locked needs: Fractions" in mastery
    assert "What is next and why" in mastery
    assert re.search(r"Addition ?: in progress: you have started it \(\d+% so far\)", mastery)
    assert "0 of 2 mastered" in mastery
    # Anything not locked that has questions can be chosen from the map.
    assert "Practise Addition" in mastery
    assert "Practise Multiplication" not in mastery

    history = client.get(reverse("learn-history"))
    text = text_of(history)
    assert "2 answers, newest first" in text
    # Newest first: the wrong 7 before the right 5.
    assert text.index("Your answer: 7 · ✗ wrong") < text.index("Your answer: 5 · ✓ right")
    assert "2 + 3 = ?" in text


def test_what_is_next_explains_a_competency_made_ready_by_mastery(practice: Any, client_for: Any) -> None:
    LearnerCompetencyState.objects.create(
        school=practice.session.school,
        learner=practice.learner,
        competency=practice.add,
        attempts=5,
        mastery_level=0.95,
        mastered_at=timezone.now(),
        review_due_at=timezone.now() + datetime.timedelta(days=3),
    )
    mastery = text_of(client_for(practice.learner).get(reverse("learn-mastery")))
    assert re.search(r"Addition mastered 95% mastery next review \d+ \w+ \d{4}", mastery)
    assert "Multiplication ready" in mastery
    assert "1 of 2 mastered" in mastery


def test_due_reviews_have_start_buttons(practice: Any, client_for: Any) -> None:
    client = client_for(practice.learner)
    assert "No reviews are due" in text_of(client.get(reverse("learn-today")))
    LearnerCompetencyState.objects.create(
        school=practice.session.school,
        learner=practice.learner,
        competency=practice.add,
        attempts=5,
        mastery_level=0.95,
        mastered_at=timezone.now() - datetime.timedelta(days=10),
        review_due_at=timezone.now() - datetime.timedelta(days=1),
    )
    text = text_of(client.get(reverse("learn-today")))
    assert (
        "Reviews due Addition mastered; time to check you still remember it Start review of Addition" in text
    )
    assert "No reviews are due" not in text


def test_history_is_paginated_25_a_page_newest_first_in_the_school_timezone(
    practice: Any, client_for: Any
) -> None:
    school = practice.session.school
    school.timezone = "Pacific/Auckland"
    school.save()
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    Answer.objects.bulk_create(
        Answer(
            school=school,
            session=practice.session,
            item=practice.frac_item if n % 2 else practice.add_item,
            competency=practice.add,
            learner=practice.learner,
            client_id=uuid.uuid4(),
            fingerprint="x",
            given=1 if n % 2 else str(n),
            correct=bool(n % 2),
            hints_used=n % 3,
            is_review=n == 29,
            created_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(30)
    )
    client = client_for(practice.learner)
    first = client.get(reverse("learn-history"))
    text = text_of(first)
    assert len(first.context["rows"]) == 25
    assert "30 answers, newest first; times in Pacific/Auckland." in text
    assert "Page 1 of 2" in text
    # The newest (n=29) first: 09:29 UTC is 22:29 in Auckland (UTC+13 on 2 March); a review; option text.
    assert text.index("Mon 2 Mar 2026, 22:29") < text.index("Mon 2 Mar 2026, 22:28")
    newest = first.context["rows"][0]
    assert newest.given == "1/2" and newest.answer.is_review
    assert "Review" in text and "2 hints used" in text
    second = text_of(client.get(reverse("learn-history"), {"page": 2}))
    assert "Page 2 of 2" in second
    assert "22:04" in second and "22:05" not in second
    assert "22:00" in second


def test_history_shows_only_the_learners_own_answers(practice: Any, world: Any, client_for: Any) -> None:
    practice.submit(5)
    other = client_for(world.a.other_learner).get(reverse("learn-history"))
    assert "You have not answered any questions yet" in text_of(other)


def test_a_learner_of_two_schools_sees_each_schools_frameworks(world: Any, client_for: Any) -> None:
    Membership.objects.create(school=world.b.school, user=world.a.learner, role=Membership.Role.LEARNER)
    small_framework(world.a.school)
    small_framework(world.b.school, code="b-maths", name="B maths")
    client = client_for(world.a.learner)
    text = text_of(client.get(reverse("learn-today")))
    assert text.index("School A") < text.index("Small maths") < text.index("School B") < text.index("B maths")
    mastery = text_of(client.get(reverse("learn-mastery")))
    assert mastery.index("School A") < mastery.index("Small maths") < mastery.index("B maths")
    history = client.get(reverse("learn-history"), {"school": world.b.school.pk})
    assert history.context["school"] == world.b.school
    assert client.get(reverse("learn-history"), {"school": 999999}).status_code == 404


def test_learners_find_their_pages_from_home(world: Any, client_for: Any) -> None:
    html = client_for(world.a.learner).get(reverse("home")).content.decode()
    assert 'href="/learn/"' in html
    teacher_html = client_for(world.a.teacher).get(reverse("home")).content.decode()
    assert 'href="/learn/"' not in teacher_html
