"""Who may see and change what a learner owns: the conditions the sub-packages' permissions
(:mod:`tessera.personalization.profile.permissions`, :mod:`tessera.personalization.goals.permissions`)
are built from, written once per permission as a pair (a queryset filter for selectors, an object check for
services), like :mod:`tessera.schools.permissions`.

What a learner owns (profile, goals, reflections, confidence ratings, saved resources) is:

- edited by the learner alone (while they are a learner of that school);
- seen by the people who work with them in that school: teachers of a class they are enrolled in, and staff
  assigned to support them (specialist, para-professional, approved mentor) while the assignment lasts;
- seen by their guardians in that school only as the sharing rule allows
  (:func:`tessera.personalization.sharing.permissions.topics_shared_with_guardians`): below the school's
  choosing age the school's rule applies (shared); from that age the learner chooses, separately for
  profile, goals and reflections.

Administrators manage rosters; they do not read learners' profiles or goals unless they teach them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.events.topics import Topic as Topic  # the sharing rule's vocabulary, re-exported for its users
from tessera.personalization.sharing.permissions import PROFILE as PROFILE  # the profile's topic, too
from tessera.personalization.sharing.permissions import _guardian_shared_pairs
from tessera.schools import permissions as school_permissions
from tessera.schools.models import (
    Enrolment,
    Membership,
    SupportAssignment,
    User,
)


def is_learner_in(user: User, school_id: int) -> bool:
    return Membership.objects.filter(user=user, school_id=school_id, role=Membership.Role.LEARNER).exists()


def works_with(user: User, *, school: str = "school_id", learner: str = "learner_id") -> Q:
    """Rows (with a school and a learner column) of learners the user teaches or supports in that school.

    ``school`` and ``learner`` name the columns, so the same condition filters profiles, goals, proposals…
    """
    taught_classes = school_permissions.teaching_in_force().filter(teacher=user).values("school_class_id")
    taught = Enrolment.objects.filter(
        learner=OuterRef(learner), school=OuterRef(school), school_class_id__in=taught_classes
    )
    approved_mentor = Membership.objects.filter(
        user=user, school=OuterRef("school_id"), role=Membership.Role.MENTOR, approved_at__isnull=False
    )
    supported = school_permissions.support_in_force().filter(
        Q(Exists(approved_mentor)) | ~Q(role=SupportAssignment.Role.MENTOR),  # a mentor only while approved
        staff=user,
        learner=OuterRef(learner),
        school=OuterRef(school),
    )
    return Q(Exists(taught)) | Q(Exists(supported))


def _own(user: User, *, school: str = "school_id", learner: str = "learner_id") -> Q:
    still_learner = Membership.objects.filter(
        user=user, school=OuterRef(school), role=Membership.Role.LEARNER
    )
    return Q(**{learner: user.pk}) & Q(Exists(still_learner))


# --- the learner's own pages: whose pages a user may read ----------------------------------------
# ``school``/``learner`` name the columns, as in works_with.


def _pairs(pairs: set[tuple[int, int]], *, school: str = "school_id", learner: str = "learner_id") -> Q:
    condition = Q(pk__in=[])
    for school_id, learner_id in sorted(pairs):
        condition |= Q(**{school: school_id, learner: learner_id})
    return condition


def _personal_visibility(user: User, *what: str, school: str = "school_id", learner: str = "learner_id") -> Q:
    return (
        _own(user, school=school, learner=learner)
        | works_with(user, school=school, learner=learner)
        | _pairs(_guardian_shared_pairs(user, *what), school=school, learner=learner)
    )


def learners_with_pages_visible_to(user: User | None, *what: str) -> QuerySet[Membership]:
    """Learner memberships with pages the user may read, also before a profile is saved. A guardian: of
    the learners who share any of ``what`` (by default their profile or their goals)."""
    if user is None or not school_permissions.signed_in(user):
        return Membership.objects.none()
    what = what or (PROFILE, Topic.GOALS)
    return Membership.objects.filter(role=Membership.Role.LEARNER).filter(
        _personal_visibility(user, *what, learner="user_id")
    )
