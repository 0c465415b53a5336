"""Who may see and change a learner's goals, with their steps, reflections and comments. Goals follow the
profile's rule: the learner edits; those who work with them read (and comment); guardians read as the
sharing rule allows, the reflections only when the learner shares those too. Each permission is a pair: a
queryset filter (for selectors) and an object check (for services)."""

from __future__ import annotations

from django.db.models import QuerySet

from tessera.events.topics import Topic as Topic  # the sharing rule's vocabulary, re-exported for its users
from tessera.personalization.goals.models import Goal
from tessera.personalization.permissions import _own, _personal_visibility, works_with
from tessera.schools.models import User
from tessera.schools.permissions import signed_in


def goals_visible_to(user: User | None) -> QuerySet[Goal]:
    if user is None or not signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(_personal_visibility(user, Topic.GOALS))


def can_view_reflections(user: User | None, goal: Goal) -> bool:
    """Whether the user reads the reflections of a goal they may see: guardians only when the learner
    shares reflections too."""
    if user is None or not signed_in(user):
        return False
    return Goal.objects.filter(_personal_visibility(user, Topic.REFLECTIONS), pk=goal.pk).exists()


def can_view_goal(user: User | None, goal: Goal) -> bool:
    return goals_visible_to(user).filter(pk=goal.pk).exists()


def goals_editable_by(user: User | None) -> QuerySet[Goal]:
    """Only the learner changes their goals, steps and reflections."""
    if user is None or not signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(_own(user))


def can_edit_goal(user: User | None, goal: Goal) -> bool:
    return goals_editable_by(user).filter(pk=goal.pk).exists()


def goals_commentable_by(user: User | None) -> QuerySet[Goal]:
    """Teachers of the learner and the staff assigned to support them comment on goals."""
    if user is None or not signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(works_with(user))


def can_comment_goal(user: User | None, goal: Goal) -> bool:
    return goals_commentable_by(user).filter(pk=goal.pk).exists()
