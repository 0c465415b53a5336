"""Permission cases for the learner's own part of personalization.

/me/ pages are every learner's own (other roles: 404). A write on a goal (steps, reflections, status) is the
learner's alone: those who may read the goal (teachers, co-teacher, supporters, the guardian) get 403,
everyone else 404. The learner's pages for others under /learners/<id>/ are read by teachers of the learner,
supporters whose assignment lasts, and the guardian (the learner shares with their family here; the
sharing rule itself is tested in tests/personalization); only teachers and supporters comment. Ages are
set relative to today where the rule depends on them, so the matrix does not change with the calendar.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tessera.personalization.goals import services
from tessera.personalization.goals.models import Goal, GoalStep
from tessera.personalization.profile.models import LearnerProfile
from tessera.personalization.sharing.models import PersonalizationPolicy
from tests.curriculum.documents import small_framework
from tests.permission_matrix.case import Case, roles

LEARNERS = roles("learner", "other_learner", "b_learner")
WORKS_WITH = roles("teacher", "co_teacher", "specialist", "para", "mentor")
READERS = WORKS_WITH | roles("learner", "guardian")


def page(route: str, url: Any, allowed: frozenset[str], **extra: Any) -> Case:
    return Case(route, extra.pop("method", "GET"), url, allowed, is_api=False, **extra)


def resource_id(w: Any) -> int:
    framework = small_framework(w.a.school)
    resource = framework.resources.first()
    assert resource is not None, "the small framework has a resource"
    return int(resource.pk)


def goal(w: Any) -> Goal:
    existing = Goal.objects.filter(learner=w.a.learner, school=w.a.school).first()
    if existing:
        return existing
    return services.goal_create(learner=w.a.learner, school=w.a.school, title="Get better at adding")


def step(w: Any) -> GoalStep:
    g = goal(w)
    return g.steps.first() or services.goal_step_add(
        actor=w.a.learner, goal_id=g.pk, title="Practise 10 minutes"
    )


def membership_id(w: Any) -> int:
    """School A's learner, who shares their profile with their family (so the guardian reads it whatever
    the learner's age on the day the suite runs)."""
    LearnerProfile.objects.update_or_create(
        school=w.a.school,
        learner=w.a.learner,
        defaults={"share_profile": True, "share_goals": True, "share_reflections": True},
    )
    return int(w.a.membership(w.a.learner).pk)


def choosing_ages(w: Any) -> str:
    """From 13 learners choose: school A's learner is 10 today (the school shares), the other one 15."""
    today = timezone.localdate()
    PersonalizationPolicy.objects.update_or_create(
        school=w.a.school, defaults={"learner_chooses_sharing_from_age": 13}
    )
    for user, years in ((w.a.learner, 10), (w.a.other_learner, 15)):
        user.birth_date = today.replace(year=today.year - years, day=1)
        user.save(update_fields=["birth_date"])
    return f"/me/profile/sharing/?school={w.a.school.pk}"


def goal_write(route: str, url: Any, payload: Any) -> Case:
    return page(
        route,
        url,
        roles("learner"),
        method="POST",
        ok=302,
        forbidden=READERS - roles("learner"),
        payload=payload,
    )


CASES = [
    page("personalization-profile", lambda w: "/me/profile/", LEARNERS),
    page(
        "personalization-profile",
        lambda w: f"/me/profile/?school={w.a.school.pk}",
        roles("learner", "other_learner"),
        method="POST",
        ok=302,
        payload=lambda w: {
            "strengths": "Patterns",
            "interests": "music, games",
            "learning_preferences": ["video"],
        },
    ),
    page(
        "personalization-profile-sharing",
        choosing_ages,
        roles("other_learner"),
        method="POST",
        ok=302,
        forbidden=roles("learner"),
        payload=lambda w: {"profile": "on", "goals": "on"},
    ),
    page("personalization-profile-history", lambda w: "/me/profile/history/", LEARNERS),
    page("personalization-library", lambda w: "/me/library/?q=add", LEARNERS),
    page(
        "personalization-resource-save",
        lambda w: f"/me/library/{resource_id(w)}/save/?school={w.a.school.pk}",
        roles("learner", "other_learner"),
        method="POST",
        ok=302,
        payload=lambda w: {},
    ),
    page(
        "personalization-resource-unsave",
        lambda w: f"/me/library/{resource_id(w)}/unsave/?school={w.a.school.pk}",
        roles("learner", "other_learner"),
        method="POST",
        ok=302,
        payload=lambda w: {},
    ),
    page("personalization-goals", lambda w: "/me/goals/", LEARNERS),
    page(
        "personalization-goals",
        lambda w: f"/me/goals/?school={w.a.school.pk}",
        roles("learner", "other_learner"),
        method="POST",
        ok=302,
        payload=lambda w: {"title": "Master adding"},
    ),
    page("personalization-goal", lambda w: f"/me/goals/{goal(w).pk}/", roles("learner")),
    goal_write(
        "personalization-goal-status",
        lambda w: f"/me/goals/{goal(w).pk}/status/",
        lambda w: {"status": "reached"},
    ),
    goal_write(
        "personalization-step-add",
        lambda w: f"/me/goals/{goal(w).pk}/steps/",
        lambda w: {"title": "One more"},
    ),
    goal_write(
        "personalization-step-tick",
        lambda w: f"/me/goals/{goal(w).pk}/steps/{step(w).pk}/tick/",
        lambda w: {"done": "1"},
    ),
    goal_write(
        "personalization-step-move",
        lambda w: f"/me/goals/{goal(w).pk}/steps/{step(w).pk}/move/",
        lambda w: {"direction": "up"},
    ),
    goal_write(
        "personalization-reflection-add",
        lambda w: f"/me/goals/{goal(w).pk}/reflections/",
        lambda w: {"prompt": "What helped you most?", "text": "Practising daily."},
    ),
    page("personalization-confidence", lambda w: "/me/confidence/", LEARNERS),
    page(
        "personalization-confidence",
        lambda w: f"/me/confidence/?school={w.a.school.pk}",
        roles("learner", "other_learner"),
        method="POST",
        ok=302,
        payload=lambda w: {
            "competency": small_framework(w.a.school).competencies.get(code="add").pk,
            "confidence": 3,
        },
    ),
    page("personalization-learner-profile", lambda w: f"/learners/{membership_id(w)}/profile/", READERS),
    page(
        "personalization-learner-profile-history",
        lambda w: f"/learners/{membership_id(w)}/profile/history/",
        READERS,
    ),
    page("personalization-learner-goals", lambda w: f"/learners/{membership_id(w)}/goals/", READERS),
    page(
        "personalization-learner-goal",
        lambda w: f"/learners/{membership_id(w)}/goals/{goal(w).pk}/",
        READERS,
    ),
    page(
        "personalization-goal-comment",
        lambda w: f"/learners/{membership_id(w)}/goals/{goal(w).pk}/comments/",
        WORKS_WITH,
        method="POST",
        ok=302,
        forbidden=roles("learner", "guardian"),
        payload=lambda w: {"text": "Great plan!"},
    ),
]
