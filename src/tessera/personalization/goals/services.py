"""Writes of the learner's goals: setting one (a form sent twice sets it once), its status (reaching it
tells the family), its steps and reflections; and the comments of the people who work with the learner.

Keyword-only, transactional, raising :mod:`tessera.schools.errors`: :class:`NotFound` when the user may
not see the goal (so nothing leaks), :class:`PermissionDenied` when they may see it but not do this.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum import permissions as curriculum_permissions
from tessera.curriculum.models import Competency
from tessera.events.log import event_record
from tessera.personalization.events import GoalCommented, GoalReached
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT
from tessera.personalization.goals import permissions
from tessera.personalization.goals.models import Goal, GoalComment, GoalStep, Reflection
from tessera.personalization.services import _require_learner
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tessera.schools.models import School, User
from tessera.schools.text import has_control_characters

MAX_STEPS = 30


def goal_competencies_for(learner: User, school: School) -> Any:
    """Competencies a goal may link: of the frameworks the learner's school uses (its own and shared)."""
    frameworks = curriculum_permissions.frameworks_visible_to(learner).filter(
        Q(school=school) | Q(school__isnull=True)
    )
    return Competency.objects.filter(framework__in=frameworks)


def goal_create(
    *,
    learner: User,
    school: School,
    title: str,
    why: str = "",
    competency_ids: list[int] | None = None,
    target_date: datetime.date | None = None,
    token: uuid.UUID | None = None,
) -> Goal:
    """Set a goal for the learner (see :func:`goal_submit` for ``token``)."""
    goal, _created = goal_submit(
        learner=learner,
        school=school,
        title=title,
        why=why,
        competency_ids=competency_ids,
        target_date=target_date,
        token=token,
    )
    return goal


@transaction.atomic
def goal_submit(
    *,
    learner: User,
    school: School,
    title: str,
    why: str = "",
    competency_ids: list[int] | None = None,
    target_date: datetime.date | None = None,
    token: uuid.UUID | None,
) -> tuple[Goal, bool]:
    """Set a goal from the learner's form; returns the goal and whether this submission created it.

    ``token`` is the form's one-time token: the same form sent again (a double tap on a slow network,
    or two copies of the request at the same moment) returns the goal it set the first time, not a
    second one. The same token with a different goal is a :class:`Conflict` (an old form sent again
    after editing it), and nothing is stored. Two goals with the same title from two forms are two goals.
    """
    _require_learner(learner, school)
    title = _written(title, what=_("a title for the goal"), limit=SHORT_TEXT)
    why = _written(why, what=_("why it matters"), limit=LONG_TEXT) if why.strip() else ""
    ids = set(competency_ids or [])
    competencies = list(goal_competencies_for(learner, school).filter(pk__in=ids))
    if len(competencies) != len(ids):
        raise NotFound(
            _("A linked competency is not one of your school's."), code="personalization.competency_not_found"
        )
    sent = (title, why, target_date, ids)
    if token is not None:
        earlier = _goal_submitted(learner, school, token)
        if earlier is not None:
            return _goal_sent_again(earlier, sent), False
    try:
        with transaction.atomic():
            goal = Goal.objects.create(
                school=school, learner=learner, title=title, why=why, target_date=target_date, token=token
            )
    except IntegrityError:
        if token is None:
            raise
        # A copy of this request stored the goal a moment ago (after our look-up): that one is the goal.
        return _goal_sent_again(Goal.objects.get(school=school, learner=learner, token=token), sent), False
    goal.competencies.set(competencies)
    return goal, True


def _goal_submitted(learner: User, school: School, token: uuid.UUID) -> Goal | None:
    return Goal.objects.filter(school=school, learner=learner, token=token).first()


def _goal_sent_again(goal: Goal, sent: tuple[str, str, datetime.date | None, set[int]]) -> Goal:
    stored = (goal.title, goal.why, goal.target_date, set(goal.competencies.values_list("pk", flat=True)))
    if stored != sent:
        raise Conflict(
            _(
                "This form already set your goal “%(goal)s”. Your new goal is kept in the form: "
                "send it again to add it too."
            )
            % {"goal": goal.title},
            code="personalization.form_already_used",
        )
    return goal


def _goal_to_edit(actor: User, goal_id: int) -> Goal:
    goal = permissions.goals_visible_to(actor).filter(pk=goal_id).first()
    if goal is None:
        raise NotFound(_("No such goal."), code="personalization.goal_not_found")
    if not permissions.can_edit_goal(actor, goal):
        raise PermissionDenied(
            _("Only the learner whose goal it is can change it."), code="personalization.not_goal_owner"
        )
    return goal


@transaction.atomic
def goal_status_set(*, actor: User, goal_id: int, status: str) -> Goal:
    """Set the goal's status; reaching it tells the family (``goal_reached``, with the change). Reaching
    it again after reopening it is news again. The goal's row is locked, so a double submit tells once."""
    goal = (
        Goal.objects.select_for_update()
        .select_related("school", "learner")
        .get(pk=_goal_to_edit(actor, goal_id).pk)
    )
    if status not in Goal.Status.values:
        raise DomainError(_("Unknown goal status."), code="personalization.unknown_goal_status")
    if status == goal.status == Goal.Status.REACHED:
        return goal  # marked reached again: the same reaching, nothing new to tell the family
    newly_reached = status == Goal.Status.REACHED
    goal.status = status
    goal.reached_at = timezone.now() if status == Goal.Status.REACHED else None
    goal.save(update_fields=["status", "reached_at"])
    if newly_reached:
        event_record(
            school=goal.school,
            learner=goal.learner,
            actor=actor,
            fact=GoalReached(goal.pk, goal.title),
            at=goal.reached_at,
        )
    return goal


def _written(text: str, *, what: str, limit: int) -> str:
    """Text a person wrote, stripped; a clear error when blank, too long, or holding control characters
    (line breaks and tabs are fine). Services check this too, not only forms: PostgreSQL refuses NUL."""
    text = text.strip()
    if not text:
        raise DomainError(_("Write %(what)s first.") % {"what": what}, code="personalization.text_required")
    if len(text) > limit:
        raise DomainError(
            _("%(what)s has at most %(limit)d characters.")
            % {"what": what[0].upper() + what[1:], "limit": limit},
            code="personalization.text_too_long",
        )
    if has_control_characters(text):
        raise DomainError(
            _("%(what)s contains characters that are not text.") % {"what": what[0].upper() + what[1:]},
            code="personalization.text_not_plain",
        )
    return text


@transaction.atomic
def goal_step_add(*, actor: User, goal_id: int, title: str) -> GoalStep:
    goal = _goal_to_edit(actor, goal_id)
    title = _written(title, what=_("a step"), limit=SHORT_TEXT)
    if goal.steps.count() >= MAX_STEPS:
        raise DomainError(
            _("A goal has at most %(max)d steps.") % {"max": MAX_STEPS}, code="personalization.too_many_steps"
        )
    last = goal.steps.aggregate(last=Max("position"))["last"]
    return GoalStep.objects.create(school=goal.school, goal=goal, title=title, position=(last or 0) + 1)


def _step(goal: Goal, step_id: int) -> GoalStep:
    step = goal.steps.filter(pk=step_id).first()
    if step is None:
        raise NotFound(_("No such step in this goal."), code="personalization.step_not_found")
    return step


@transaction.atomic
def goal_step_tick(*, actor: User, goal_id: int, step_id: int, done: bool) -> GoalStep:
    goal = _goal_to_edit(actor, goal_id)
    step = _step(goal, step_id)
    if done and step.done_at is None:
        step.done_at = timezone.now()
    elif not done:
        step.done_at = None
    step.save(update_fields=["done_at"])
    return step


@transaction.atomic
def goal_step_move(*, actor: User, goal_id: int, step_id: int, direction: str) -> list[GoalStep]:
    """Move a step one place up or down; positions are renumbered 1…n."""
    goal = _goal_to_edit(actor, goal_id)
    step = _step(goal, step_id)
    if direction not in ("up", "down"):
        raise DomainError(_("Move a step up or down."), code="personalization.invalid_step_direction")
    steps = list(goal.steps.select_for_update().order_by("position", "pk"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    for position, row in enumerate(steps, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    return steps


@transaction.atomic
def reflection_add(*, actor: User, goal_id: int, prompt: str, text: str, milestone: str = "") -> Reflection:
    goal = _goal_to_edit(actor, goal_id)
    text = _written(text, what=_("your reflection"), limit=LONG_TEXT)
    prompt = _written(prompt, what=_("the question you answer"), limit=SHORT_TEXT)
    milestone = _written(milestone, what=_("the milestone"), limit=SHORT_TEXT) if milestone.strip() else ""
    return Reflection.objects.create(
        school=goal.school, goal=goal, prompt=prompt, text=text, milestone=milestone
    )


@transaction.atomic
def goal_comment_add(*, author: User, goal_id: int, text: str) -> GoalComment:
    goal = permissions.goals_visible_to(author).filter(pk=goal_id).first()
    if goal is None:
        raise NotFound(_("No such goal."), code="personalization.goal_not_found")
    if not permissions.can_comment_goal(author, goal):
        raise PermissionDenied(
            _("Only the learner's teachers and supporters comment on their goals."),
            code="personalization.comment_not_allowed",
        )
    text = _written(text, what=_("a comment"), limit=LONG_TEXT)
    comment = GoalComment.objects.create(school=goal.school, goal=goal, author=author, text=text)
    event_record(
        school=goal.school,
        learner=goal.learner,
        actor=author,
        fact=GoalCommented(goal.pk, goal.title, comment.pk, author.pk, author.name),
        at=comment.created_at,
    )
    return comment
