"""Every write of the learner's own part of personalization: profile (with its history) and sharing
choices, library, goals with steps, reflections and comments, confidence ratings; and the school's sharing
rules (:func:`sharing_policy_set`).

Keyword-only, transactional, raising :mod:`tessera.schools.errors`: :class:`NotFound` when the user may
not see the object (so nothing leaks), :class:`PermissionDenied` when they may see it but not do this.
Choice boards, proposals, the network and peer help live in their own ``*_services`` modules.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tessera.curriculum import permissions as curriculum_permissions
from tessera.curriculum.models import Competency, Resource
from tessera.events.log import event_record
from tessera.personalization import permissions
from tessera.personalization.events import GoalCommented, GoalReached
from tessera.personalization.models import (
    LONG_TEXT,
    SHORT_TEXT,
    ConfidenceRating,
    Goal,
    GoalComment,
    GoalStep,
    LearnerProfile,
    LearnerProfileVersion,
    LearningPreference,
    PersonalizationPolicy,
    Reflection,
    SavedResource,
)
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tessera.schools.models import School, User
from tessera.schools.permissions import require_school_admin
from tessera.schools.text import has_control_characters

PROFILE_FIELDS = (
    "strengths",
    "challenges",
    "interests",
    "passions",
    "aspirations",
    "learning_preferences",
    "languages",
    "accessibility",
    "reading_level",
    "share_profile",
    "share_goals",
    "share_reflections",
)
SHARING_FIELDS = ("share_profile", "share_goals", "share_reflections")
TEXT_FIELDS = ("strengths", "challenges", "passions", "aspirations", "languages", "accessibility")
# The text fields as their errors name them (translated when the error is raised).
TEXT_FIELD_NAMES = {
    "strengths": gettext_noop("Strengths"),
    "challenges": gettext_noop("Challenges"),
    "passions": gettext_noop("Passions"),
    "aspirations": gettext_noop("Aspirations"),
    "languages": gettext_noop("Languages"),
    "accessibility": gettext_noop("Accessibility"),
}
MAX_INTERESTS = 20
MAX_STEPS = 30


def _require_learner(learner: User, school: School) -> None:
    if not permissions.is_learner_in(learner, school.pk):
        raise PermissionDenied(
            _("Only a learner of this school has a profile, goals and a library here."),
            code="personalization.not_a_learner",
        )


def profile_snapshot(profile: LearnerProfile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in PROFILE_FIELDS}


def _clean_topics(topics: list[str]) -> list[str]:
    seen: list[str] = []
    for topic in topics:
        if has_control_characters(topic):
            raise DomainError(
                _("Interests contain characters that are not text."), code="personalization.text_not_plain"
            )
        topic = " ".join(topic.split()).lower()[:60]
        if topic and topic not in seen:
            seen.append(topic)
    if len(seen) > MAX_INTERESTS:
        raise DomainError(
            _("At most %(max)d interests, please.") % {"max": MAX_INTERESTS},
            code="personalization.too_many_interests",
        )
    return seen


@transaction.atomic
def profile_update(*, learner: User, school: School, data: dict[str, Any]) -> tuple[LearnerProfile, bool]:
    """Save the learner's own profile. A save that changes something writes a version (its history).
    Returns the profile and whether anything changed. The sharing choices are set only through
    :func:`profile_sharing_set`."""
    _require_learner(learner, school)
    profile, _created = LearnerProfile.objects.select_for_update().get_or_create(
        school=school, learner=learner
    )
    before = profile_snapshot(profile)
    unknown = set(data) - set(PROFILE_FIELDS) | (set(SHARING_FIELDS) & set(data))
    if unknown:
        raise DomainError(
            _("Not a profile field: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="personalization.unknown_profile_field",
        )
    if "interests" in data:
        data = {**data, "interests": _clean_topics(list(data["interests"]))}
    if "learning_preferences" in data:
        valid = set(LearningPreference.values)
        bad = [p for p in data["learning_preferences"] if p not in valid]
        if bad:
            raise DomainError(
                _("Unknown learning preference: %(preferences)s.") % {"preferences": ", ".join(bad)},
                code="personalization.unknown_learning_preference",
            )
        data = {
            **data,
            "learning_preferences": [
                p for p in LearningPreference.values if p in data["learning_preferences"]
            ],
        }
    level = data.get("reading_level")
    if level is not None and not 0 <= level <= 13:
        raise DomainError(
            _("The reading level is a grade from 0 to 13."), code="personalization.invalid_reading_level"
        )
    for name in TEXT_FIELDS:
        if name in data:
            value = str(data[name] or "").strip()
            limit = SHORT_TEXT if name == "languages" else LONG_TEXT
            if len(value) > limit:
                raise DomainError(
                    _("%(field)s: at most %(limit)d characters, please.")
                    % {"field": _(TEXT_FIELD_NAMES[name]), "limit": limit},
                    code="personalization.text_too_long",
                )
            if has_control_characters(value):
                raise DomainError(
                    _("%(field)s: contains characters that are not text.")
                    % {"field": _(TEXT_FIELD_NAMES[name])},
                    code="personalization.text_not_plain",
                )
            data = {**data, name: value}
    for name, value in data.items():
        setattr(profile, name, value)
    changed = profile_snapshot(profile) != before
    if changed or _created:
        profile.save()
    if changed:
        LearnerProfileVersion.objects.create(
            school=school, profile=profile, snapshot=profile_snapshot(profile), edited_by=learner
        )
    return profile, changed


@transaction.atomic
def profile_sharing_set(
    *, learner: User, school: School, profile: bool, goals: bool, reflections: bool
) -> tuple[LearnerProfile, bool]:
    """The learner's choices whether their family sees their profile, their goals and their reflections,
    from the school's choosing age (:class:`PermissionDenied` below it). Reflections belong to goals, so
    sharing them without the goals is a :class:`DomainError`. Returns the profile and whether a choice
    changed (saving the same choices again changes nothing and writes no history)."""
    _require_learner(learner, school)
    if reflections and not goals:
        raise DomainError(
            _(
                "Your reflections are about your goals: share your goals too, "
                "or keep your reflections private."
            ),
            code="personalization.reflections_need_goals",
        )
    record, _created = LearnerProfile.objects.select_for_update().get_or_create(
        school=school, learner=learner
    )
    age = learner.age_on(timezone.localdate())
    from_age = permissions.choosing_age(school.pk)
    if age is not None and age < from_age:
        raise PermissionDenied(
            _("Your school shares your profile with your family until you are %(age)d; then you choose.")
            % {"age": from_age},
            code="personalization.below_choosing_age",
        )
    choices = {"share_profile": profile, "share_goals": goals, "share_reflections": reflections}
    changed = any(getattr(record, name) != value for name, value in choices.items())
    if changed:
        for name, value in choices.items():
            setattr(record, name, value)
        record.save(update_fields=[*SHARING_FIELDS, "updated_at"])
        LearnerProfileVersion.objects.create(
            school=school, profile=record, snapshot=profile_snapshot(record), edited_by=learner
        )
    return record, changed


# --- library -------------------------------------------------------------------------------------


def _resource_for(learner: User, school: School, resource_id: int) -> Resource:
    frameworks = curriculum_permissions.frameworks_visible_to(learner).filter(
        Q(school=school) | Q(school__isnull=True)
    )
    resource = Resource.objects.filter(pk=resource_id, framework__in=frameworks).first()
    if resource is None:
        raise NotFound(_("No such resource."), code="personalization.resource_not_found")
    return resource


@transaction.atomic
def resource_save(*, learner: User, school: School, resource_id: int) -> SavedResource:
    """Save a resource to the learner's library (saving it again changes nothing)."""
    _require_learner(learner, school)
    resource = _resource_for(learner, school, resource_id)
    saved, _created = SavedResource.objects.get_or_create(school=school, learner=learner, resource=resource)
    return saved


@transaction.atomic
def resource_unsave(*, learner: User, school: School, resource_id: int) -> bool:
    """Remove it from the library; returns whether it was there."""
    _require_learner(learner, school)
    resource = _resource_for(learner, school, resource_id)
    deleted, _count = SavedResource.objects.filter(school=school, learner=learner, resource=resource).delete()
    return deleted > 0


# --- goals ---------------------------------------------------------------------------------------


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


@transaction.atomic
def confidence_rate(
    *, learner: User, school: School, competency_id: int, confidence: int
) -> ConfidenceRating:
    """Record how sure the learner feels about a competency (1 not yet … 4 I could teach it)."""
    _require_learner(learner, school)
    if not 1 <= confidence <= 4:
        raise DomainError(
            _("Confidence is from 1 (not yet) to 4 (I could teach it)."),
            code="personalization.invalid_confidence",
        )
    competency = goal_competencies_for(learner, school).filter(pk=competency_id).first()
    if competency is None:
        raise NotFound(
            _("No such competency in your school's frameworks."), code="personalization.competency_not_found"
        )
    return ConfidenceRating.objects.create(
        school=school, learner=learner, competency=competency, confidence=confidence
    )


# --- the school's sharing rules ----------------------------------------------------------------------

POLICY_FIELDS = (
    "learner_chooses_sharing_from_age",
    "always_share_practice",
    "always_share_assessment",
    "always_share_support",
    "always_share_feedback",
)
CHOOSING_AGES = range(5, 26)


@transaction.atomic
def sharing_policy_set(
    *, actor: User, school: School, data: dict[str, Any]
) -> tuple[PersonalizationPolicy, bool]:
    """A school administrator sets what the school always shares with guardians and from which age the
    learner chooses about their profile, goals and reflections. Returns the policy and whether it changed;
    the family feeds follow at once (they apply the rule when read)."""
    require_school_admin(actor, school, to=_("set what it shares with families"))
    unknown = set(data) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(
            _("Not a sharing rule: %(rules)s.") % {"rules": ", ".join(sorted(unknown))},
            code="personalization.unknown_sharing_rule",
        )
    age = data.get("learner_chooses_sharing_from_age")
    if age is not None and age not in CHOOSING_AGES:
        raise DomainError(
            _("The age from which learners choose is from %(first)d to %(last)d.")
            % {"first": CHOOSING_AGES.start, "last": CHOOSING_AGES.stop - 1},
            code="personalization.invalid_choosing_age",
        )
    policy, created = PersonalizationPolicy.objects.select_for_update().get_or_create(school=school)
    changed = False
    for name, value in data.items():
        if getattr(policy, name) != value:
            setattr(policy, name, value)
            changed = True
    if changed or created:
        policy.save()
    return policy, changed
