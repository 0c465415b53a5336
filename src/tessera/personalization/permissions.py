"""Who may see and change what a learner owns, written once per permission as a pair (a queryset filter for
selectors, an object check for services), like :mod:`tessera.schools.permissions`.

What a learner owns (profile, goals, reflections, confidence ratings, saved resources) is:

- edited by the learner alone (while they are a learner of that school);
- seen by the people who work with them in that school: teachers of a class they are enrolled in, and staff
  assigned to support them (specialist, para-professional, approved mentor) while the assignment lasts;
- seen by their guardians in that school only as the sharing rule allows (:func:`shared_with_guardians`):
  below the school's choosing age the school's rule applies (shared); from that age the learner chooses.

Administrators manage rosters; they do not read learners' profiles or goals unless they teach them.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tessera.personalization.models import LearnerProfile, PersonalizationPolicy
from tessera.schools.models import (
    Enrolment,
    Guardianship,
    Membership,
    SupportAssignment,
    TeachingAssignment,
    User,
)

DEFAULT_CHOOSING_AGE = 13


def _is_signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_learner_in(user: User, school_id: int) -> bool:
    return Membership.objects.filter(user=user, school_id=school_id, role=Membership.Role.LEARNER).exists()


def works_with(user: User, *, school: str = "school_id", learner: str = "learner_id") -> Q:
    """Rows (with a school and a learner column) of learners the user teaches or supports in that school.

    ``school`` and ``learner`` name the columns, so the same condition filters profiles, goals, proposals…
    """
    taught_classes = TeachingAssignment.objects.filter(teacher=user).values("school_class_id")
    taught = Enrolment.objects.filter(
        learner=OuterRef(learner), school=OuterRef(school), school_class_id__in=taught_classes
    )
    supported = SupportAssignment.objects.filter(
        staff=user, learner=OuterRef(learner), school=OuterRef(school), ended_at__isnull=True
    )
    return Q(Exists(taught)) | Q(Exists(supported))


def _own(user: User, *, school: str = "school_id", learner: str = "learner_id") -> Q:
    still_learner = Membership.objects.filter(
        user=user, school=OuterRef(school), role=Membership.Role.LEARNER
    )
    return Q(**{learner: user.pk}) & Q(Exists(still_learner))


def choosing_age(school_id: int) -> int:
    policy = PersonalizationPolicy.objects.filter(school_id=school_id).first()
    return policy.learner_chooses_sharing_from_age if policy else DEFAULT_CHOOSING_AGE


def shared_with_guardians(profile: LearnerProfile, *, today: datetime.date | None = None) -> bool:
    """The sharing rule hook: below the school's choosing age, shared (the school's rule for minors); from
    that age, the learner's own choice (``profile.share_with_guardians``). An unknown birth date counts as
    old enough to choose, so nothing is shared against a learner's will by a missing date."""
    age = profile.learner.age_on(today or timezone.localdate())
    if age is not None and age < choosing_age(profile.school_id):
        return True
    return profile.share_with_guardians


def _guardian_visible_profile_ids(user: User) -> list[int]:
    children = Guardianship.objects.filter(guardian=user, revoked_at__isnull=True).values_list(
        "school_id", "learner_id"
    )
    pairs = set(children)
    if not pairs:
        return []
    candidates = LearnerProfile.objects.filter(
        learner_id__in={learner for _, learner in pairs}
    ).select_related("learner")
    return [p.pk for p in candidates if (p.school_id, p.learner_id) in pairs and shared_with_guardians(p)]


def profiles_visible_to(user: User | None) -> QuerySet[LearnerProfile]:
    """Profiles the user may read: their own, of learners they teach or support, and of their children as
    the sharing rule allows."""
    if user is None or not _is_signed_in(user):
        return LearnerProfile.objects.none()
    return LearnerProfile.objects.filter(
        _own(user) | works_with(user) | Q(pk__in=_guardian_visible_profile_ids(user))
    )


def can_view_profile(user: User | None, profile: LearnerProfile) -> bool:
    return profiles_visible_to(user).filter(pk=profile.pk).exists()


def profiles_editable_by(user: User | None) -> QuerySet[LearnerProfile]:
    """Only the learner edits their profile."""
    if user is None or not _is_signed_in(user):
        return LearnerProfile.objects.none()
    return LearnerProfile.objects.filter(_own(user))


def can_edit_profile(user: User | None, profile: LearnerProfile) -> bool:
    return profiles_editable_by(user).filter(pk=profile.pk).exists()
