"""Reads for choice boards, proposals and class progression, already filtered by what the user may see
(:mod:`tessera.personalization.choice.permissions`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from tessera.curriculum.models import Competency, Framework, Resource
from tessera.personalization.choice import permissions as perms
from tessera.personalization.choice.models import (
    Choice,
    ChoiceBoard,
    ChoiceOption,
    ClassProgression,
    Proposal,
)
from tessera.practice.selectors import Mastery, learner_masteries, masteries_of
from tessera.schools.models import SchoolClass, User

Purpose = ChoiceOption.Purpose


@dataclass
class ClassAccess:
    school_class: SchoolClass
    teaches: bool
    learns: bool


def class_access(user: User, class_id: int) -> ClassAccess | None:
    """The class, if the user teaches it or learns in it (else None: the pages answer 404)."""
    school_class = (
        perms.classes_with_personalization_pages_for(user)
        .select_related("school", "term")
        .filter(pk=class_id)
        .first()
    )
    if school_class is None:
        return None
    return ClassAccess(
        school_class=school_class,
        teaches=perms.can_teach_class(user, school_class),
        learns=perms.can_learn_in_class(user, school_class),
    )


def class_learners(school_class: SchoolClass) -> QuerySet[User]:
    return User.objects.filter(enrolments__school_class=school_class).order_by(
        "last_name", "first_name", "pk"
    )


# --- choice boards -------------------------------------------------------------------------------


def boards_of_class(user: User, school_class: SchoolClass) -> QuerySet[ChoiceBoard]:
    """The class's boards the user may see, newest first, with their option and pick counts."""
    return (
        perms.boards_visible_to(user)
        .filter(school_class=school_class)
        .select_related("competency", "co_designed_with")
        .annotate(
            option_count=Count("options", distinct=True),
            picked_count=Count("choices__learner", distinct=True),
            my_pick_count=Count("choices", filter=Q(choices__learner=user), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def board_of_class(user: User, school_class: SchoolClass, board_id: int) -> ChoiceBoard | None:
    return (
        perms.boards_visible_to(user)
        .filter(school_class=school_class, pk=board_id)
        .select_related("competency", "co_designed_with", "created_by")
        .first()
    )


def board_options(board: ChoiceBoard) -> dict[str, list[ChoiceOption]]:
    """The board's options by purpose (ways to learn, ways to show), in order."""
    grouped: dict[str, list[ChoiceOption]] = {Purpose.LEARN: [], Purpose.SHOW: []}
    for option in board.options.select_related("resource").order_by("purpose", "position", "pk"):
        grouped[option.purpose].append(option)
    return grouped


def my_picks(board: ChoiceBoard, learner: User) -> dict[str, Choice]:
    """The learner's picks on the board, by purpose."""
    return {
        c.purpose: c for c in Choice.objects.filter(board=board, learner=learner).select_related("option")
    }


@dataclass
class LearnerPicks:
    learner: User
    learn: Choice | None
    show: Choice | None

    @property
    def complete(self) -> bool:
        return self.learn is not None and self.show is not None


def board_picks(user: User, board: ChoiceBoard) -> list[LearnerPicks]:
    """For the class's teachers: every learner of the class with what they picked (None: not yet).
    Empty for anyone else."""
    if not perms.can_manage_board(user, board):
        return []
    choices: dict[tuple[int, str], Choice] = {
        (c.learner_id, c.purpose): c for c in Choice.objects.filter(board=board).select_related("option")
    }
    return [
        LearnerPicks(
            learner, choices.get((learner.pk, Purpose.LEARN)), choices.get((learner.pk, Purpose.SHOW))
        )
        for learner in class_learners(board.school_class)
    ]


def resources_for_class(school_class: SchoolClass) -> QuerySet[Resource]:
    return Resource.objects.filter(Q(school__isnull=True) | Q(school_id=school_class.school_id)).order_by(
        "title", "pk"
    )


def competencies_for_class(school_class: SchoolClass) -> QuerySet[Competency]:
    return Competency.objects.filter(Q(school__isnull=True) | Q(school_id=school_class.school_id)).order_by(
        "framework__name", "domain__position", "position", "pk"
    )


def frameworks_for_class(school_class: SchoolClass) -> QuerySet[Framework]:
    return Framework.objects.filter(Q(school__isnull=True) | Q(school_id=school_class.school_id))


# --- proposals -----------------------------------------------------------------------------------


def proposals_of_class(user: User, school_class: SchoolClass) -> QuerySet[Proposal]:
    """Teachers: every proposal of the class, pending first; a learner: their own, newest first."""
    rows = (
        perms.proposals_visible_to(user)
        .filter(school_class=school_class)
        .select_related("learner", "competency", "decided_by")
    )
    if perms.can_teach_class(user, school_class):
        return rows.order_by(F("decided_at").asc(nulls_first=True), "-created_at", "-pk")
    return rows.filter(learner=user).order_by("-created_at", "-pk")


def proposal_of_class(user: User, school_class: SchoolClass, proposal_id: int) -> Proposal | None:
    return perms.proposals_visible_to(user).filter(school_class=school_class, pk=proposal_id).first()


# --- progression ---------------------------------------------------------------------------------


def progression_of_class(user: User, school_class: SchoolClass) -> ClassProgression | None:
    return perms.progressions_visible_to(user).filter(school_class=school_class).first()


def sequence(progression: ClassProgression) -> list[Competency]:
    """The class's competency sequence in teaching order."""
    return list(
        progression.competencies.select_related("domain").order_by(
            "framework_id", "domain__position", "position", "pk"
        )
    )


def progression_initial(progression: ClassProgression) -> dict[str, Any]:
    """What the teacher's form starts from: the mode, and either the framework (when the sequence is a
    whole framework, the default) or the competencies chosen."""
    steps = sequence(progression)
    initial: dict[str, Any] = {"mode": progression.mode}
    frameworks = {c.framework_id for c in steps}
    if len(frameworks) == 1:
        initial["framework"] = next(iter(frameworks))
        whole = Competency.objects.filter(framework_id=initial["framework"]).count()
        if whole == len(steps):
            return initial
    initial["competencies"] = [c.pk for c in steps]
    return initial


@dataclass
class LearnerPosition:
    """Where one learner stands in the class's sequence."""

    learner: User
    current: Competency | None  # the first competency of the sequence not mastered; None: all mastered
    mastered: int
    total: int
    last_practised: datetime | None
    mastered_ids: set[int] = field(default_factory=set)

    @property
    def done(self) -> bool:
        return self.current is None and self.total > 0


def _position(learner: User, steps: list[Competency], states: list[Mastery]) -> LearnerPosition:
    mastered_ids = {s.competency_id for s in states if s.mastered}
    current = next((c for c in steps if c.pk not in mastered_ids), None)
    last = max((s.last_answered_at for s in states if s.last_answered_at is not None), default=None)
    return LearnerPosition(
        learner=learner,
        current=current,
        mastered=sum(1 for c in steps if c.pk in mastered_ids),
        total=len(steps),
        last_practised=last,
        mastered_ids=mastered_ids,
    )


def class_positions(user: User, progression: ClassProgression) -> list[LearnerPosition]:
    """For the class's teachers: every learner's current competency, count mastered and last practice.
    Two queries whatever the class size. Empty for anyone else."""
    if not perms.can_teach_class(user, progression.school_class):
        return []
    steps = sequence(progression)
    learners = list(class_learners(progression.school_class))
    states: dict[int, list[Mastery]] = {learner.pk: [] for learner in learners}
    found = masteries_of(
        school_id=progression.school_id,
        learner_ids=[learner.pk for learner in learners],
        competency_ids=[c.pk for c in steps],
    )
    for mastery in found.values():
        states[mastery.learner_id].append(mastery)
    return [_position(learner, steps, states[learner.pk]) for learner in learners]


def my_position(learner: User, progression: ClassProgression) -> LearnerPosition:
    steps = sequence(progression)
    found = learner_masteries(
        school_id=progression.school_id, learner_id=learner.pk, competency_ids=[c.pk for c in steps]
    )
    return _position(learner, steps, list(found.values()))
