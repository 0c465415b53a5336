"""Goals: the learner sets them, breaks them into steps, sees progress from real evidence, reflects at
milestones; teachers comment."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tessera.personalization.goals import selectors, services
from tessera.personalization.goals.models import Goal, GoalComment, GoalStep, Reflection
from tessera.practice.models import LearnerCompetencyState

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_learner_sets_a_goal_linked_to_a_competency(world: Any, practice: Any) -> None:
    client = _client(world.a.learner)
    response = client.post(
        f"/me/goals/?school={world.a.school.pk}",
        {
            "title": "Add without counting",
            "why": "Quicker shopping",
            "competencies": [practice.add.pk],
            "target_date": "2027-01-31",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(learner=world.a.learner)
    assert list(goal.competencies.all()) == [practice.add]
    page = client.get(response["Location"]).content.decode()
    assert "Add without counting" in page
    assert "Mastered: 0 of 1 competencies" in page
    assert "Computed from your practice" in page


def test_a_goal_cannot_link_a_competency_of_another_school(world: Any, practice: Any) -> None:
    from tests.curriculum.documents import small_framework

    theirs = small_framework(world.b.school).competencies.get(code="add")
    with pytest.raises(services.NotFound):
        services.goal_create(
            learner=world.a.learner, school=world.a.school, title="x", competency_ids=[theirs.pk]
        )
    response = _client(world.a.learner).post(
        f"/me/goals/?school={world.a.school.pk}", {"title": "x", "competencies": [theirs.pk]}
    )
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_progress_moves_with_practice(world: Any, practice: Any) -> None:
    goal = services.goal_create(
        learner=world.a.learner, school=world.a.school, title="Adding", competency_ids=[practice.add.pk]
    )
    before = selectors.goal_progress(goal)
    assert (before.answers_since, before.mastered, before.mean_estimate) == (0, 0, None)
    practice.submit(answer=5)
    practice.submit(answer=5)
    after = selectors.goal_progress(goal)
    assert after.answers_since == 2
    assert after.correct_since == 2
    assert after.mean_estimate is not None
    page = _client(world.a.learner).get(f"/me/goals/{goal.pk}/").content.decode()
    assert "2 practice answers since you set this goal (2 right)" in page
    assert "Estimated mastery on average:" in page


def test_mastering_a_linked_competency_counts_and_invites_a_reflection(world: Any, practice: Any) -> None:
    goal = services.goal_create(
        learner=world.a.learner,
        school=world.a.school,
        title="Adding",
        competency_ids=[practice.add.pk, practice.frac.pk],
    )
    LearnerCompetencyState.objects.create(
        school=world.a.school,
        learner=world.a.learner,
        competency=practice.add,
        attempts=6,
        mastery_level=0.93,
        mastered_at=timezone.now(),
    )
    progress = selectors.goal_progress(goal)
    assert (progress.mastered, progress.mastered_percent) == (1, 50)
    milestones = selectors.open_milestones(goal, progress)
    assert [m.key for m in milestones] == [f"mastered:{practice.add.pk}"]
    client = _client(world.a.learner)
    page = client.get(f"/me/goals/{goal.pk}/").content.decode()
    assert f"You mastered {practice.add.name}." in page
    assert "What helped you most?" in page
    client.post(
        f"/me/goals/{goal.pk}/reflections/",
        {
            "prompt": "What helped you most?",
            "text": "Doing five a day.",
            "milestone": f"mastered:{practice.add.pk}",
        },
    )
    assert Reflection.objects.get(goal=goal).text == "Doing five a day."
    assert selectors.open_milestones(goal, selectors.goal_progress(goal)) == []


def test_personal_goal_progress_comes_from_its_steps(world: Any) -> None:
    goal = services.goal_create(learner=world.a.learner, school=world.a.school, title="Read a maths book")
    client = _client(world.a.learner)
    for title in ("Pick a book", "Read chapter 1", "Tell a friend"):
        assert client.post(f"/me/goals/{goal.pk}/steps/", {"title": title}).status_code == 302
    steps = list(goal.steps.order_by("position"))
    client.post(f"/me/goals/{goal.pk}/steps/{steps[0].pk}/tick/", {"done": "1"})
    progress = selectors.goal_progress(goal)
    assert (progress.steps_done, progress.steps_total, progress.is_competency_goal) == (1, 3, False)
    page = client.get(f"/me/goals/{goal.pk}/").content.decode()
    assert "Steps done: 1 of 3" in page
    assert "Computed from the steps ticked off." in page
    assert "You finished the step “Pick a book”." in page
    # Untick, and reorder: the last step moves up.
    client.post(f"/me/goals/{goal.pk}/steps/{steps[0].pk}/tick/", {"done": "0"})
    client.post(f"/me/goals/{goal.pk}/steps/{steps[2].pk}/move/", {"direction": "up"})
    assert [s.title for s in goal.steps.order_by("position")] == [
        "Pick a book",
        "Tell a friend",
        "Read chapter 1",
    ]
    assert selectors.goal_progress(goal).steps_done == 0


def test_target_date_passing_and_reaching_the_goal_are_milestones(world: Any) -> None:
    goal = services.goal_create(
        learner=world.a.learner, school=world.a.school, title="x", target_date=datetime.date(2020, 1, 1)
    )
    assert [m.key for m in selectors.open_milestones(goal, selectors.goal_progress(goal))] == ["target-date"]
    _client(world.a.learner).post(f"/me/goals/{goal.pk}/status/", {"status": "reached"})
    goal.refresh_from_db()
    assert goal.status == Goal.Status.REACHED and goal.reached_at is not None
    assert [m.key for m in selectors.open_milestones(goal, selectors.goal_progress(goal))] == ["reached"]


def test_steps_on_another_learners_goal_are_refused_and_nothing_changes(world: Any) -> None:
    goal = services.goal_create(learner=world.a.learner, school=world.a.school, title="Mine")
    step = services.goal_step_add(actor=world.a.learner, goal_id=goal.pk, title="First")
    # The teacher may read the goal, so they are told why; another learner does not learn it exists.
    teacher = _client(world.a.teacher).post(f"/me/goals/{goal.pk}/steps/", {"title": "Teacher's step"})
    assert teacher.status_code == 403
    assert "Only the learner whose goal it is can change it." in teacher.content.decode()
    other = _client(world.a.other_learner)
    assert other.post(f"/me/goals/{goal.pk}/steps/", {"title": "Sneaky"}).status_code == 404
    assert other.post(f"/me/goals/{goal.pk}/steps/{step.pk}/tick/", {"done": "1"}).status_code == 404
    assert other.post(f"/me/goals/{goal.pk}/reflections/", {"prompt": "p", "text": "t"}).status_code == 404
    assert list(GoalStep.objects.values_list("title", "done_at")) == [("First", None)]
    assert not Reflection.objects.exists()


def test_teachers_comment_and_the_learner_sees_it(world: Any) -> None:
    goal = services.goal_create(learner=world.a.learner, school=world.a.school, title="Mine")
    membership = world.a.membership(world.a.learner).pk
    url = f"/learners/{membership}/goals/{goal.pk}/comments/"
    assert _client(world.a.teacher).post(url, {"text": "Nice <b>plan</b>"}).status_code == 302
    page = _client(world.a.learner).get(f"/me/goals/{goal.pk}/").content.decode()
    assert "Nice &lt;b&gt;plan&lt;/b&gt;" in page


def test_commenting_on_a_goal_of_a_learner_you_do_not_teach_is_refused(world: Any) -> None:
    goal = services.goal_create(learner=world.a.learner, school=world.a.school, title="Mine")
    url = f"/learners/{world.a.membership(world.a.learner).pk}/goals/{goal.pk}/comments/"
    assert _client(world.a.other_teacher).post(url, {"text": "hi"}).status_code == 404
    assert _client(world.b.teacher).post(url, {"text": "hi"}).status_code == 404
    guardian = _client(world.a.guardian).post(url, {"text": "hi"})
    assert guardian.status_code == 403
    assert "teachers and supporters comment on their goals" in guardian.content.decode()
    assert _client(world.a.teacher).post(url, {"text": ""}).status_code == 400
    assert not GoalComment.objects.exists()


def test_text_that_is_not_text_is_refused_and_nothing_is_stored(world: Any) -> None:
    goal = services.goal_create(learner=world.a.learner, school=world.a.school, title="Read a maths book")
    response = _client(world.a.learner).post(f"/me/goals/{goal.pk}/steps/", {"title": "a\x00b"})
    assert response.status_code == 400 and "not text" in response.content.decode()
    assert not goal.steps.exists()
