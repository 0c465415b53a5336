"""Who may see and do what with choice boards, proposals, class progression, the learning network and
peer help. Each permission is a pair: a queryset filter (for selectors) and an object check (for
services), built from the same condition, like :mod:`tessera.personalization.permissions`.

- Choice boards, proposals and a class's progression live in a class: its teachers (lead and co-teachers)
  manage them; the learners enrolled in it see boards and pick, propose, and see their own proposals.
- The learning network: a connection is seen by the learner whose network it is and by the person
  invited; only the invited person answers an invitation.
- Peer help, per the school's policy (said on every conversation page): a conversation is read by the
  two learners and by the teachers of either learner (teachers of a class either is enrolled in); only
  the two learners write in it; the helper alone accepts or declines the request.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.personalization.models import (
    ChoiceBoard,
    ClassProgression,
    HelpRequest,
    NetworkConnection,
    Proposal,
)
from tessera.schools import permissions as school_permissions
from tessera.schools.models import (
    Enrolment,
    Membership,
    School,
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


# --- learning network ----------------------------------------------------------------------------


def connections_visible_to(user: User | None) -> QuerySet[NetworkConnection]:
    """Connections of the user's own network and invitations addressed to them."""
    if user is None or not school_permissions.signed_in(user):
        return NetworkConnection.objects.none()
    return NetworkConnection.objects.filter(Q(learner=user) | Q(member=user))


def can_view_connection(user: User | None, connection: NetworkConnection) -> bool:
    return connections_visible_to(user).filter(pk=connection.pk).exists()


def connections_answerable_by(user: User | None) -> QuerySet[NetworkConnection]:
    """Invitations the user may accept or decline: those addressed to them."""
    if user is None or not school_permissions.signed_in(user):
        return NetworkConnection.objects.none()
    return NetworkConnection.objects.filter(member=user)


def can_answer_connection(user: User | None, connection: NetworkConnection) -> bool:
    return connections_answerable_by(user).filter(pk=connection.pk).exists()


# --- peer help -----------------------------------------------------------------------------------


def _teaches_learner(user: User, learner_column: str) -> Q:
    taught = school_permissions.teaching_in_force().filter(teacher=user).values("school_class_id")
    enrolled = Enrolment.objects.filter(
        learner=OuterRef(learner_column), school=OuterRef("school_id"), school_class_id__in=taught
    )
    return Q(Exists(enrolled))


def help_requests_overseen_by(user: User | None) -> QuerySet[HelpRequest]:
    """Help conversations the user reads as staff: those of learners they teach (either side)."""
    if user is None or not school_permissions.signed_in(user):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(
        _teaches_learner(user, "learner_id") | _teaches_learner(user, "helper_id")
    )


def can_oversee_help(user: User | None) -> bool:
    """Whether the user has the teachers' page of help conversations: they teach a class (its filter is
    :func:`help_requests_overseen_by`). Learners, guardians and other staff do not."""
    if user is None or not school_permissions.signed_in(user):
        return False
    return school_permissions.teaching_in_force().filter(teacher=user).exists()


def help_requests_visible_to(user: User | None) -> QuerySet[HelpRequest]:
    """Help requests the user asked or was asked, and those they oversee as a teacher of either side."""
    if user is None or not school_permissions.signed_in(user):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(
        Q(learner=user)
        | Q(helper=user)
        | _teaches_learner(user, "learner_id")
        | _teaches_learner(user, "helper_id")
    )


def can_view_help_request(user: User | None, request: HelpRequest) -> bool:
    return help_requests_visible_to(user).filter(pk=request.pk).exists()


def help_requests_joined_by(user: User | None) -> QuerySet[HelpRequest]:
    """Help requests the user takes part in (writes messages, reports): as the asker or the helper."""
    if user is None or not school_permissions.signed_in(user):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(Q(learner=user) | Q(helper=user))


def can_take_part_in_help(user: User | None, request: HelpRequest) -> bool:
    return help_requests_joined_by(user).filter(pk=request.pk).exists()


def help_requests_answerable_by(user: User | None) -> QuerySet[HelpRequest]:
    """Requests the user may accept or decline: those asking them for help."""
    if user is None or not school_permissions.signed_in(user):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(helper=user)


def can_answer_help_request(user: User | None, request: HelpRequest) -> bool:
    return help_requests_answerable_by(user).filter(pk=request.pk).exists()


def people_a_learner_may_invite(learner: User, school: School) -> QuerySet[User]:
    """Who a learner may invite into their network: classmates (learners of a class they are enrolled
    in), their teachers, staff assigned to support them, and the school's approved mentors. Not the whole
    school: a learner sees the names of the people they learn with, nobody else's."""
    my_classes = Enrolment.objects.filter(school=school, learner=learner).values("school_class_id")
    classmate = Enrolment.objects.filter(
        school=school, learner=OuterRef("pk"), school_class_id__in=my_classes
    )
    my_teacher = school_permissions.teaching_in_force().filter(
        school=school, teacher=OuterRef("pk"), school_class_id__in=my_classes
    )
    supporter = school_permissions.support_in_force().filter(
        school=school, staff=OuterRef("pk"), learner=learner
    )
    approved_mentor = Membership.objects.filter(
        school=school, user=OuterRef("pk"), role=Membership.Role.MENTOR, approved_at__isnull=False
    )
    return (
        User.objects.filter(
            Q(Exists(classmate)) | Q(Exists(my_teacher)) | Q(Exists(supporter)) | Q(Exists(approved_mentor)),
            is_active=True,
        )
        .exclude(pk=learner.pk)
        .order_by("last_name", "first_name", "pk")
    )
