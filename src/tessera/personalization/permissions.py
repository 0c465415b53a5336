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

from tessera.personalization.models import Goal, LearnerProfile, PersonalizationPolicy
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
    approved_mentor = Membership.objects.filter(
        user=user, school=OuterRef("school_id"), role=Membership.Role.MENTOR, approved_at__isnull=False
    )
    supported = SupportAssignment.objects.filter(
        Q(Exists(approved_mentor)) | ~Q(role=SupportAssignment.Role.MENTOR),  # a mentor only while approved
        staff=user,
        learner=OuterRef(learner),
        school=OuterRef(school),
        ended_at__isnull=True,
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


# --- the learner's own pages: profile, goals (steps, reflections, comments), confidence ------------
# Goals follow the profile's rule: the learner edits; those who work with them read (and comment);
# guardians read as the sharing rule allows. ``school``/``learner`` name the columns, as in works_with.


def _guardian_shared_pairs(user: User) -> set[tuple[int, int]]:
    """(school, learner) pairs of the user's children whose profile and goals the sharing rule opens."""
    pairs = set(
        Guardianship.objects.filter(guardian=user, revoked_at__isnull=True).values_list(
            "school_id", "learner_id"
        )
    )
    if not pairs:
        return set()
    profiles = {
        (p.school_id, p.learner_id): p
        for p in LearnerProfile.objects.filter(learner_id__in={lid for _, lid in pairs}).select_related(
            "learner"
        )
    }
    learners = {u.pk: u for u in User.objects.filter(pk__in={lid for _, lid in pairs})}
    shared = set()
    for school_id, learner_id in pairs:
        profile = profiles.get((school_id, learner_id)) or LearnerProfile(
            school_id=school_id, learner=learners[learner_id]
        )
        if shared_with_guardians(profile):
            shared.add((school_id, learner_id))
    return shared


def _pairs(pairs: set[tuple[int, int]], *, school: str = "school_id", learner: str = "learner_id") -> Q:
    condition = Q(pk__in=[])
    for school_id, learner_id in sorted(pairs):
        condition |= Q(**{school: school_id, learner: learner_id})
    return condition


def _personal_visibility(user: User, *, school: str = "school_id", learner: str = "learner_id") -> Q:
    return (
        _own(user, school=school, learner=learner)
        | works_with(user, school=school, learner=learner)
        | _pairs(_guardian_shared_pairs(user), school=school, learner=learner)
    )


def learners_with_pages_visible_to(user: User | None) -> QuerySet[Membership]:
    """Learner memberships whose profile, goals and reflections the user may read (same rule as
    :func:`profiles_visible_to`, also before the learner has saved a profile)."""
    if user is None or not _is_signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(role=Membership.Role.LEARNER).filter(
        _personal_visibility(user, learner="user_id")
    )


def goals_visible_to(user: User | None) -> QuerySet[Goal]:
    if user is None or not _is_signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(_personal_visibility(user))


def can_view_goal(user: User | None, goal: Goal) -> bool:
    return goals_visible_to(user).filter(pk=goal.pk).exists()


def goals_editable_by(user: User | None) -> QuerySet[Goal]:
    """Only the learner changes their goals, steps and reflections."""
    if user is None or not _is_signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(_own(user))


def can_edit_goal(user: User | None, goal: Goal) -> bool:
    return goals_editable_by(user).filter(pk=goal.pk).exists()


def goals_commentable_by(user: User | None) -> QuerySet[Goal]:
    """Teachers of the learner and the staff assigned to support them comment on goals."""
    if user is None or not _is_signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(works_with(user))


def can_comment_goal(user: User | None, goal: Goal) -> bool:
    return goals_commentable_by(user).filter(pk=goal.pk).exists()
