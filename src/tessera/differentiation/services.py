"""Writes for differentiation: groupings computed from mastery, the teacher's pins and moves, keep-apart
pairs, regroupings, evidence checks, tiered group tasks, roles, learners' work and the teacher's feedback.

Keyword-only and transactional; permissions from :mod:`tessera.differentiation.permissions`; a domain
error (:mod:`tessera.schools.errors`) says what is wrong and nothing is changed when one is raised.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum.models import Competency, Resource
from tessera.differentiation import permissions as perms
from tessera.differentiation.events import GroupJoined, GroupWorkCommented
from tessera.differentiation.evidence import (
    MIN_EVIDENCE,
    ClassEvidence,
    class_evidence,
    grouping_evidence,
    learner_key,
    pins_of,
    reasons_stored,
)
from tessera.differentiation.models import (
    LONG_TEXT,
    SHORT_TEXT,
    EvidenceCheck,
    Group,
    Grouping,
    GroupingCompetency,
    GroupRole,
    GroupTask,
    KeepApart,
    Placement,
    Regrouping,
    TaskFeedback,
    TaskSubmission,
)
from tessera.engine.grouping import GroupingError, GroupingRules, Move, group_learners, regrouping_moves
from tessera.engine.grouping import Placement as Placed
from tessera.events.log import event_record
from tessera.schools.errors import DomainError, NotFound, PermissionDenied
from tessera.schools.models import Enrolment, SchoolClass, User
from tessera.schools.text import text_checked

# Neutral names: none ranks a group (the learner's page never says "group 3 of 3").
GROUP_NAMES = (
    "Amber", "Cobalt", "Coral", "Jade", "Indigo", "Ochre",
    "Pearl", "Quartz", "Ruby", "Slate", "Teal", "Topaz",
)  # fmt: skip
MAX_GROUPS = len(GROUP_NAMES)
Source = Placement.Source


def _require_teacher(actor: User, school_class: SchoolClass) -> None:
    if not perms.can_teach_class(actor, school_class):
        raise PermissionDenied(
            _("Only a teacher of this class can shape its groups."), code="differentiation.not_class_teacher"
        )


def _refused(error: GroupingError) -> DomainError:
    """The engine's refusal, said to the teacher (the engine speaks codes, not a language)."""
    if error.code == "more_groups_than_learners":
        return DomainError(
            _(
                "There are more groups than learners with enough evidence to place (%(needed)s answers "
                "on the objective each). Ask for fewer groups, or group once more of the class has "
                "practised it."
            )
            % {"needed": MIN_EVIDENCE},
            code="differentiation.more_groups_than_learners",
        )
    if error.code == "pin_contradicts_apart":
        return DomainError(
            _("Two learners kept apart are pinned to the same group: unpin one or remove the keep-apart."),
            code="differentiation.pin_contradicts_apart",
        )
    if error.code == "apart_impossible":
        return DomainError(
            _("The learners kept apart cannot all be separated with this many groups."),
            code="differentiation.apart_impossible",
        )
    if error.code == "pin_out_of_range":
        return DomainError(
            _("A learner is pinned to a group that does not exist with this many groups."),
            code="differentiation.pin_out_of_range",
        )
    if error.code == "no_competencies":
        return DomainError(
            _("Choose at least one competency for the objective."), code="differentiation.no_competencies"
        )
    return DomainError(
        _("Give either a number of groups or a largest group size, each at least 1, not both."),
        code="differentiation.bad_size",
    )


def _check_size(group_count: int | None, max_size: int | None) -> None:
    if (group_count is None) == (max_size is None) or (group_count or max_size or 0) < 1:
        raise _refused(GroupingError("bad_size", "groups or size"))
    if group_count is not None and group_count > MAX_GROUPS:
        raise DomainError(
            _("At most %(max)s groups.") % {"max": MAX_GROUPS}, code="differentiation.too_many_groups"
        )


def _check_competencies(school_class: SchoolClass, competencies: Sequence[Competency]) -> None:
    if not competencies:
        raise _refused(GroupingError("no_competencies", "no competencies"))
    foreign = [c for c in competencies if c.school_id not in (None, school_class.school_id)]
    if foreign:
        raise DomainError(
            _("That competency is not in a framework of this school."),
            code="differentiation.competency_not_in_school",
        )


def _placement(
    grouping: Grouping, group: Group, user: User, placed: Placed | None, *, source: str, actor: User | None
) -> Placement:
    return Placement(
        school_id=grouping.school_id,
        grouping=grouping,
        group=group,
        learner=user,
        source=source,
        score=placed.score if placed is not None else None,
        reasons=reasons_stored(placed.reasons) if placed is not None else [],
        placed_by=actor,
        placed_at=timezone.now(),
    )


def _joined(placement: Placement, actor: User | None) -> None:
    grouping, group = placement.grouping, placement.group
    event_record(
        school=grouping.school,
        learner=placement.learner,
        actor=actor,
        fact=GroupJoined(grouping.pk, grouping.objective, group.pk, group.name),
    )


# --- groupings -----------------------------------------------------------------------------------


@transaction.atomic
def grouping_create(
    *,
    actor: User,
    school_class: SchoolClass,
    objective: str,
    competencies: Sequence[Competency],
    group_count: int | None = None,
    max_size: int | None = None,
) -> Grouping:
    """Flexible groups for an objective of the class, computed from the learners' mastery; learners
    without enough evidence are left out (listed on the page, with a short check to ask for)."""
    _require_teacher(actor, school_class)
    objective = text_checked(objective, what=_("objective"), limit=SHORT_TEXT)
    _check_size(group_count, max_size)
    _check_competencies(school_class, competencies)
    evidence = class_evidence(school_class, competencies, group_count=group_count, max_size=max_size)
    try:
        computed = group_learners(evidence.learners, evidence.rules)
    except GroupingError as error:
        raise _refused(error) from error
    grouping = Grouping.objects.create(
        school_id=school_class.school_id,
        school_class=school_class,
        objective=objective,
        group_count=group_count,
        max_size=max_size,
        created_by=actor,
    )
    GroupingCompetency.objects.bulk_create(
        GroupingCompetency(school_id=grouping.school_id, grouping=grouping, competency=c)
        for c in competencies
    )
    names = random.sample(GROUP_NAMES, k=min(len(GROUP_NAMES), max(len(computed.groups), 1)))
    groups = Group.objects.bulk_create(
        Group(school_id=grouping.school_id, grouping=grouping, name=names[g.index], position=g.index)
        for g in computed.groups
    )
    for computed_group, group in zip(computed.groups, groups, strict=True):
        for placed in computed_group.placements:
            placement = _placement(
                grouping, group, evidence.users[placed.learner], placed, source=Source.DATA, actor=actor
            )
            placement.save()
            _joined(placement, actor)
    return grouping


def current_placements(grouping: Grouping) -> list[Placement]:
    return list(
        grouping.placements.filter(ended_at__isnull=True).select_related(
            "group", "learner", "suggested_group"
        )
    )


def _require_grouping_teacher(actor: User, grouping: Grouping) -> None:
    _require_teacher(actor, grouping.school_class)


def _require_learner_of(grouping: Grouping, learner: User) -> None:
    if not Enrolment.objects.filter(school_class=grouping.school_class, learner=learner).exists():
        raise DomainError(
            _("%(name)s is not a learner of this class.") % {"name": learner.name},
            code="differentiation.learner_not_in_class",
        )


def _require_group_of(grouping: Grouping, group: Group) -> None:
    if group.grouping_id != grouping.pk:
        raise DomainError(
            _("That group belongs to another grouping or another class."),
            code="differentiation.group_not_in_grouping",
        )


def _apart_partners(school_class: SchoolClass, learner: User) -> set[int]:
    pairs = KeepApart.objects.filter(school_class=school_class).values_list("learner_a_id", "learner_b_id")
    return {b if a == learner.pk else a for a, b in pairs if learner.pk in (a, b)}


@transaction.atomic
def placement_set(
    *, actor: User, grouping: Grouping, learner: User, group: Group, pin: bool = False
) -> Placement:
    """The teacher puts a learner in a group (``pin``: and keeps them there through regroupings). The
    group the evidence suggests stays recorded beside it."""
    _require_grouping_teacher(actor, grouping)
    _require_group_of(grouping, group)
    _require_learner_of(grouping, learner)
    partners = _apart_partners(grouping.school_class, learner)
    together = [
        p for p in current_placements(grouping) if p.group_id == group.pk and p.learner_id in partners
    ]
    if together:
        if pin and any(p.source == Source.PINNED for p in together):
            raise DomainError(
                _("%(name)s is pinned to that group and kept apart from this learner.")
                % {"name": together[0].learner.name},
                code="differentiation.pin_contradicts_apart",
            )
        raise DomainError(
            _("%(name)s is in that group and the two are kept apart. Remove the keep-apart first.")
            % {"name": together[0].learner.name},
            code="differentiation.kept_apart",
        )
    current = grouping.placements.select_for_update().filter(learner=learner, ended_at__isnull=True).first()
    suggested = _suggested_group(grouping, current)
    source = Source.PINNED if pin else Source.TEACHER
    if current is not None and current.group_id == group.pk and current.source == source:
        return current  # already so: a second click changes nothing
    now = timezone.now()
    if current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    placement = Placement.objects.create(
        school_id=grouping.school_id,
        grouping=grouping,
        group=group,
        learner=learner,
        source=source,
        score=current.score if current is not None else None,
        reasons=current.reasons if current is not None else [],
        suggested_group=suggested,
        placed_by=actor,
        placed_at=now,
    )
    if current is None or current.group_id != group.pk:
        _joined(placement, actor)
    return placement


def _suggested_group(grouping: Grouping, current: Placement | None) -> Group | None:
    """The group the evidence put the learner in: the current placement's if it came from the data, else
    the suggestion recorded when the teacher first overrode it."""
    if current is None:
        return None
    return current.group if current.source == Source.DATA else current.suggested_group


@transaction.atomic
def placement_release(*, actor: User, grouping: Grouping, learner: User) -> Placement:
    """Undo a pin or a move: the learner goes back to the group the evidence suggested (or stays, as data,
    when there is none); later regroupings may move them again."""
    _require_grouping_teacher(actor, grouping)
    current = grouping.placements.select_for_update().filter(learner=learner, ended_at__isnull=True).first()
    if current is None:
        raise NotFound(_("That learner has no group here."), code="differentiation.placement_not_found")
    if current.source == Source.DATA:
        return current
    group = current.suggested_group or current.group
    now = timezone.now()
    current.ended_at = now
    current.save(update_fields=["ended_at"])
    placement = Placement.objects.create(
        school_id=grouping.school_id,
        grouping=grouping,
        group=group,
        learner=learner,
        source=Source.DATA,
        score=current.score,
        reasons=[r for r in current.reasons if r.get("code") != "pinned"],
        placed_by=actor,
        placed_at=now,
    )
    if group.pk != current.group_id:
        _joined(placement, actor)
    return placement


# --- keep apart ----------------------------------------------------------------------------------


@transaction.atomic
def keep_apart_add(*, actor: User, school_class: SchoolClass, learner: User, other: User) -> KeepApart:
    """Two learners of the class never placed together from now on (current groups are checked: two
    learners pinned together must be unpinned first)."""
    _require_teacher(actor, school_class)
    if learner.pk == other.pk:
        raise DomainError(
            _("Choose two different learners to keep apart."), code="differentiation.apart_same_learner"
        )
    for user in (learner, other):
        if not Enrolment.objects.filter(school_class=school_class, learner=user).exists():
            raise DomainError(
                _("%(name)s is not a learner of this class.") % {"name": user.name},
                code="differentiation.learner_not_in_class",
            )
    pinned_together = (
        Placement.objects.filter(
            grouping__school_class=school_class, ended_at__isnull=True, source=Source.PINNED, learner=learner
        )
        .filter(
            group__placements__learner=other,
            group__placements__ended_at__isnull=True,
            group__placements__source=Source.PINNED,
        )
        .exists()
    )
    if pinned_together:
        raise DomainError(
            _("These two learners are pinned to the same group: unpin one of them first."),
            code="differentiation.pin_contradicts_apart",
        )
    a, b = sorted((learner.pk, other.pk))
    pair, _created = KeepApart.objects.get_or_create(
        school_id=school_class.school_id,
        school_class=school_class,
        learner_a_id=a,
        learner_b_id=b,
        defaults={"created_by": actor},
    )
    return pair


@transaction.atomic
def keep_apart_remove(*, actor: User, pair: KeepApart) -> None:
    _require_teacher(actor, pair.school_class)
    pair.delete()


# --- regrouping ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """The moves the evidence proposes now, with what the page needs to explain them."""

    moves: tuple[Move, ...]
    evidence: ClassEvidence
    groups: dict[int, Group]  # by position


def _scores_then(grouping: Grouping, placements: Sequence[Placement]) -> dict[str, float]:
    """Each learner's score when last placed, or when the teacher last declined to move them: a move is
    proposed again only after the learner moved on from there."""
    then = {learner_key(p.learner_id): p.score for p in placements if p.score is not None}
    placed_at = {learner_key(p.learner_id): p.placed_at for p in placements}
    for regrouping in grouping.regroupings.order_by("decided_at", "pk"):
        for move in regrouping.moves:
            key = learner_key(move["learner_id"])
            declined = not move.get("accepted")
            if declined and key in placed_at and regrouping.decided_at >= placed_at[key]:
                then[key] = move["score"]
    return then


def regrouping_suggestion(grouping: Grouping) -> Suggestion:
    """The regrouping the evidence proposes now (threshold and hysteresis in the engine, so groups do not
    churn on every answer); pinned learners and those the teacher moved are never proposed."""
    placements = current_placements(grouping)
    groups = {g.position: g for g in grouping.groups.all()}
    evidence = grouping_evidence(grouping, pins=pins_of(placements))
    evidence = ClassEvidence(
        learners=evidence.learners,
        rules=_rules_with_count(evidence, len(groups)),
        names=evidence.names,
        competency_names=evidence.competency_names,
        users=evidence.users,
    )
    current = {learner_key(p.learner_id): p.group.position for p in placements}
    fixed = frozenset(learner_key(p.learner_id) for p in placements if p.source != Source.DATA)
    try:
        moves = regrouping_moves(
            evidence.learners,
            evidence.rules,
            current,
            scores_then=_scores_then(grouping, placements),
            fixed=fixed,
        )
    except GroupingError:
        moves = ()  # the class changed so that no grouping fits the rules: the page says nothing is proposed
    return Suggestion(moves=tuple(m for m in moves if m.to_group in groups), evidence=evidence, groups=groups)


def _rules_with_count(evidence: ClassEvidence, count: int) -> GroupingRules:
    """The grouping's rules with the number of groups it has now (a grouping made by size keeps its
    groups when regrouped)."""
    return replace(evidence.rules, groups=count, max_size=None)


@transaction.atomic
def regrouping_decide(*, actor: User, grouping: Grouping, accepted: Collection[int]) -> Regrouping:
    """Apply the moves of the current suggestion whose learners (user ids) are in ``accepted``; the rest
    are declined (proposed again only if the learner's level moves on). Accepting a move that is no longer
    proposed is refused, and nothing changes."""
    _require_grouping_teacher(actor, grouping)
    Grouping.objects.select_for_update().filter(pk=grouping.pk).first()  # one decision at a time
    suggestion = regrouping_suggestion(grouping)
    proposed = {int(m.learner): m for m in suggestion.moves}
    stale = set(accepted) - set(proposed)
    if stale:
        raise DomainError(
            _("Some of those moves are no longer proposed (the groups or the evidence changed): look again."),
            code="differentiation.move_not_proposed",
        )
    if not proposed:
        raise DomainError(_("No regrouping is proposed now."), code="differentiation.nothing_proposed")
    now = timezone.now()
    placements = {p.learner_id: p for p in current_placements(grouping)}
    recorded = []
    for learner_id, move in proposed.items():
        take = learner_id in accepted
        old = placements.get(learner_id)
        recorded.append(
            {
                "learner_id": learner_id,
                "from_group_id": old.group_id if old is not None else None,
                "to_group_id": suggestion.groups[move.to_group].pk,
                "score": move.score_now,
                "accepted": take,
                "reasons": reasons_stored(move.reasons),
            }
        )
        if not take:
            continue
        if old is not None:
            old.ended_at = now
            old.save(update_fields=["ended_at"])
        placement = Placement.objects.create(
            school_id=grouping.school_id,
            grouping=grouping,
            group=suggestion.groups[move.to_group],
            learner=suggestion.evidence.users[move.learner],
            source=Source.DATA,
            score=move.score_now,
            reasons=reasons_stored(move.reasons),
            placed_by=actor,
            placed_at=now,
        )
        _joined(placement, actor)
    taken = sum(1 for m in recorded if m["accepted"])
    decision = (
        Regrouping.Decision.ACCEPTED
        if taken == len(recorded)
        else Regrouping.Decision.DISMISSED
        if taken == 0
        else Regrouping.Decision.PARTLY
    )
    return Regrouping.objects.create(
        school_id=grouping.school_id,
        grouping=grouping,
        decision=decision,
        moves=recorded,
        decided_by=actor,
        decided_at=now,
    )


@transaction.atomic
def evidence_check_request(*, actor: User, grouping: Grouping, learners: Sequence[User]) -> int:
    """Ask learners without enough evidence for a short check on the objective (they see it on their
    groups page); asking twice changes nothing. Returns how many were newly asked."""
    _require_grouping_teacher(actor, grouping)
    asked = 0
    for learner in learners:
        _require_learner_of(grouping, learner)
        _check, created = EvidenceCheck.objects.get_or_create(
            school_id=grouping.school_id, grouping=grouping, learner=learner, defaults={"requested_by": actor}
        )
        asked += int(created)
    return asked


# --- group work ----------------------------------------------------------------------------------


@transaction.atomic
def group_update(
    *, actor: User, group: Group, objective: str = "", resources: Sequence[Resource] = ()
) -> Group:
    """The group's own objective (empty: the grouping's) and the resources chosen for it."""
    _require_grouping_teacher(actor, group.grouping)
    objective = (objective or "").strip()
    if len(objective) > SHORT_TEXT:
        text_checked(objective, what=_("objective"), limit=SHORT_TEXT)
    _require_resources_of_school(group.grouping.school_class, resources)
    group.objective = objective
    group.save(update_fields=["objective"])
    group.resources.set(resources)
    return group


def _require_resources_of_school(school_class: SchoolClass, resources: Sequence[Resource]) -> None:
    if any(r.school_id not in (None, school_class.school_id) for r in resources):
        raise DomainError(
            _("That resource is not in a framework of this school."),
            code="differentiation.resource_not_in_school",
        )


@transaction.atomic
def task_create(
    *,
    actor: User,
    group: Group,
    title: str,
    instructions: str,
    tier: str,
    competency: Competency,
    starts_on: datetime.date,
    due_on: datetime.date,
    check_questions: int = 5,
    check_minutes: int = 10,
    resources: Sequence[Resource] = (),
) -> GroupTask:
    """A tiered task for the group on one of its objective's competencies, with a short check at the end
    (its answers go to the learner model like any practice)."""
    grouping = group.grouping
    _require_grouping_teacher(actor, grouping)
    title = text_checked(title, what=_("title"), limit=SHORT_TEXT)
    instructions = text_checked(instructions, what=_("instructions"), limit=LONG_TEXT)
    if tier not in GroupTask.Tier.values:
        raise DomainError(
            _("The tier is one of: %(tiers)s.") % {"tiers": ", ".join(GroupTask.Tier.values)},
            code="differentiation.unknown_tier",
        )
    if due_on < starts_on:
        raise DomainError(
            _("The task is due on %(due)s, before it starts on %(start)s.")
            % {"due": due_on, "start": starts_on},
            code="differentiation.due_before_start",
        )
    if not grouping.competencies.filter(pk=competency.pk).exists():
        raise DomainError(
            _("The task's competency must be one of the objective's."),
            code="differentiation.competency_not_in_objective",
        )
    if not 0 <= check_questions <= 20 or not 1 <= check_minutes <= 120:
        raise DomainError(
            _("The check has 0 to 20 questions and lasts 1 to 120 minutes."),
            code="differentiation.bad_check",
        )
    _require_resources_of_school(grouping.school_class, resources)
    task = GroupTask.objects.create(
        school_id=group.school_id,
        group=group,
        title=title,
        instructions=instructions,
        tier=tier,
        competency=competency,
        starts_on=starts_on,
        due_on=due_on,
        check_questions=check_questions,
        check_minutes=check_minutes,
        created_by=actor,
    )
    task.resources.set(resources)
    return task


@transaction.atomic
def role_assign(*, actor: User, group: Group, learner: User, role: str) -> GroupRole | None:
    """The learner's role in their group (``role`` empty: no role). Only a learner placed in the group now
    can hold one of its roles."""
    _require_grouping_teacher(actor, group.grouping)
    if not group.placements.filter(learner=learner, ended_at__isnull=True).exists():
        raise DomainError(
            _("%(name)s is not in this group: roles go to the group's members.") % {"name": learner.name},
            code="differentiation.role_learner_not_in_group",
        )
    if not role:
        GroupRole.objects.filter(group=group, learner=learner).delete()
        return None
    if role not in GroupRole.Role.values:
        raise DomainError(
            _("The role is one of: %(roles)s.") % {"roles": ", ".join(GroupRole.Role.values)},
            code="differentiation.unknown_role",
        )
    found, _created = GroupRole.objects.update_or_create(
        school_id=group.school_id, group=group, learner=learner, defaults={"role": role}
    )
    return found


def _in_task_group_now(task: GroupTask, learner: User) -> bool:
    return task.group.placements.filter(learner=learner, ended_at__isnull=True).exists()


@transaction.atomic
def submission_save(*, learner: User, task: GroupTask, text: str) -> TaskSubmission:
    """The learner hands in (or revises) their work on a task of their group. Work handed in stays the
    learner's when they move to another group: it can be read, not revised, from there."""
    if not _in_task_group_now(task, learner):
        raise PermissionDenied(
            _("This task is for another group: your work on it, if any, is kept as you left it."),
            code="differentiation.task_of_another_group",
        )
    text = text_checked(text, what=_("work"), limit=LONG_TEXT)
    found, _created = TaskSubmission.objects.update_or_create(
        school_id=task.school_id, task=task, learner=learner, defaults={"text": text}
    )
    return found


@transaction.atomic
def feedback_give(
    *, actor: User, task: GroupTask, learner: User, text: str, token: uuid.UUID | None = None
) -> TaskFeedback:
    """The teacher's comment on a learner's work on the task; the learner sees it, and the family feed
    tells it where the child shares teacher feedback. The same ``token`` twice stores it once."""
    _require_grouping_teacher(actor, task.group.grouping)
    if not task.group.placements.filter(learner=learner).exists():
        raise DomainError(
            _("%(name)s was never in this task's group.") % {"name": learner.name},
            code="differentiation.feedback_learner_not_in_group",
        )
    text = text_checked(text, what=_("comment"), limit=LONG_TEXT)
    if token is not None:
        existing = TaskFeedback.objects.filter(task=task, token=token).first()
        if existing is not None:
            return existing
    feedback = TaskFeedback.objects.create(
        school_id=task.school_id, task=task, learner=learner, author=actor, text=text, token=token
    )
    event_record(
        school=task.school,
        learner=learner,
        actor=actor,
        fact=GroupWorkCommented(task.pk, task.title, feedback.pk, actor.pk, actor.name),
    )
    return feedback
