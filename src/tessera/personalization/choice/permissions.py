"""Who may see and do what with choice boards, proposals and class progression. Each permission is a
pair: a queryset filter (for selectors) and an object check (for services), built from the same
condition, like :mod:`tessera.personalization.permissions`.

Choice boards, proposals and a class's progression live in a class: its teachers (lead and co-teachers)
manage them; the learners enrolled in it see boards and pick, propose, and see their own proposals.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.personalization.choice.models import ChoiceBoard, ClassProgression, Proposal
from tessera.schools import permissions as school_permissions
from tessera.schools.models import (
    Enrolment,
    Membership,
    SchoolClass,
    User,
)


def _teaches(user: User, class_column: str = "school_class_id") -> Q:
    taught = school_permissions.teaching_in_force().filter(teacher=user, school_class=OuterRef(class_column))
    return Q(Exists(taught))


def _enrolled(user: User, class_column: str = "school_class_id") -> Q:
    return Q(Exists(Enrolment.objects.filter(learner=user, school_class=OuterRef(class_column))))


# --- classes -------------------------------------------------------------------------------------


def classes_taught_by(user: User | None) -> QuerySet[SchoolClass]:
    """Classes whose boards, proposals and progression the user manages: the classes they teach."""
    if user is None or not school_permissions.signed_in(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(_teaches(user, "pk"))


def can_teach_class(user: User | None, school_class: SchoolClass) -> bool:
    return classes_taught_by(user).filter(pk=school_class.pk).exists()


def classes_learning_in(user: User | None) -> QuerySet[SchoolClass]:
    """Classes the user is enrolled in, as a learner of the class's school."""
    if user is None or not school_permissions.signed_in(user):
        return SchoolClass.objects.none()
    still_learner = Membership.objects.filter(user=user, school=OuterRef("school_id"), role="learner")
    return SchoolClass.objects.filter(_enrolled(user, "pk") & Q(Exists(still_learner)))


def can_learn_in_class(user: User | None, school_class: SchoolClass) -> bool:
    return classes_learning_in(user).filter(pk=school_class.pk).exists()


def classes_with_personalization_pages_for(user: User | None) -> QuerySet[SchoolClass]:
    """Classes whose boards, proposals and progression pages the user may open: taught or learning in."""
    if user is None or not school_permissions.signed_in(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(
        Q(pk__in=classes_taught_by(user).values("pk")) | Q(pk__in=classes_learning_in(user).values("pk"))
    )


# --- choice boards -------------------------------------------------------------------------------


def boards_visible_to(user: User | None) -> QuerySet[ChoiceBoard]:
    """Boards of the classes the user teaches or learns in."""
    if user is None or not school_permissions.signed_in(user):
        return ChoiceBoard.objects.none()
    classes = classes_with_personalization_pages_for(user).values("pk")
    return ChoiceBoard.objects.filter(school_class_id__in=classes)


def can_view_board(user: User | None, board: ChoiceBoard) -> bool:
    return boards_visible_to(user).filter(pk=board.pk).exists()


def boards_managed_by(user: User | None) -> QuerySet[ChoiceBoard]:
    """Boards the user may change (add options) and whose picks they see: their classes' boards."""
    if user is None or not school_permissions.signed_in(user):
        return ChoiceBoard.objects.none()
    return ChoiceBoard.objects.filter(_teaches(user))


def can_manage_board(user: User | None, board: ChoiceBoard) -> bool:
    return boards_managed_by(user).filter(pk=board.pk).exists()


def boards_pickable_by(user: User | None) -> QuerySet[ChoiceBoard]:
    """Boards the user may pick on: boards of classes they are enrolled in as a learner."""
    if user is None or not school_permissions.signed_in(user):
        return ChoiceBoard.objects.none()
    return ChoiceBoard.objects.filter(school_class_id__in=classes_learning_in(user).values("pk"))


def can_pick_on_board(user: User | None, board: ChoiceBoard) -> bool:
    return boards_pickable_by(user).filter(pk=board.pk).exists()


# --- proposals -----------------------------------------------------------------------------------


def proposals_visible_to(user: User | None) -> QuerySet[Proposal]:
    """The learner's own proposals (in classes they are still enrolled in) and every proposal in the
    classes the user teaches."""
    if user is None or not school_permissions.signed_in(user):
        return Proposal.objects.none()
    own = Q(learner=user) & Q(school_class_id__in=classes_learning_in(user).values("pk"))
    return Proposal.objects.filter(own | _teaches(user))


def can_view_proposal(user: User | None, proposal: Proposal) -> bool:
    return proposals_visible_to(user).filter(pk=proposal.pk).exists()


def proposals_decidable_by(user: User | None) -> QuerySet[Proposal]:
    """Proposals the user may decide on: those of the classes they teach."""
    if user is None or not school_permissions.signed_in(user):
        return Proposal.objects.none()
    return Proposal.objects.filter(_teaches(user))


def can_decide_proposal(user: User | None, proposal: Proposal) -> bool:
    return proposals_decidable_by(user).filter(pk=proposal.pk).exists()


# --- class progression ---------------------------------------------------------------------------


def progressions_visible_to(user: User | None) -> QuerySet[ClassProgression]:
    if user is None or not school_permissions.signed_in(user):
        return ClassProgression.objects.none()
    classes = classes_with_personalization_pages_for(user).values("pk")
    return ClassProgression.objects.filter(school_class_id__in=classes)


def can_view_progression(user: User | None, progression: ClassProgression) -> bool:
    return progressions_visible_to(user).filter(pk=progression.pk).exists()
