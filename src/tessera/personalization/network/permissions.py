"""Who may see and do what in the learning network and peer help. Each permission is a pair: a queryset
filter (for selectors) and an object check (for services), built from the same condition, like
:mod:`tessera.personalization.permissions`.

- The learning network: a connection is seen by the learner whose network it is and by the person
  invited; only the invited person answers an invitation.
- Peer help, per the school's policy (said on every conversation page): a conversation is read by the
  two learners and by the teachers of either learner (teachers of a class either is enrolled in); only
  the two learners write in it; the helper alone accepts or declines the request.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.personalization.network.models import HelpRequest, NetworkConnection
from tessera.schools import permissions as school_permissions
from tessera.schools.models import (
    Enrolment,
    Membership,
    School,
    User,
)

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
