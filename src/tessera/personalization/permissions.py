"""Who may see and change what a learner owns, written once per permission as a pair (a queryset filter for
selectors, an object check for services), like :mod:`tessera.schools.permissions`.

What a learner owns (profile, goals, reflections, confidence ratings, saved resources) is:

- edited by the learner alone (while they are a learner of that school);
- seen by the people who work with them in that school: teachers of a class they are enrolled in, and staff
  assigned to support them (specialist, para-professional, approved mentor) while the assignment lasts;
- seen by their guardians in that school only as the sharing rule allows
  (:func:`topics_shared_with_guardians`): below the school's choosing age the school's rule applies
  (shared); from that age the learner chooses, separately for profile, goals and reflections.

Administrators manage rosters; they do not read learners' profiles or goals unless they teach them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tessera.events.topics import Topic as Topic  # the sharing rule's vocabulary, re-exported for its users
from tessera.personalization.models import Goal, LearnerProfile, PersonalizationPolicy
from tessera.schools import permissions as school_permissions
from tessera.schools.models import (
    Enrolment,
    Guardianship,
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


# --- what guardians are told ------------------------------------------------------------------------
# Topics are the event log's (tessera.events.topics.Topic) plus "profile", which has no events but is
# shared the same way. The learner chooses three of them from the school's choosing age; the school sets
# the others.

PROFILE = "profile"
LEARNER_CHOSEN = (PROFILE, Topic.GOALS.value, Topic.REFLECTIONS.value)
_ALWAYS_SHARED_FLAGS = {
    Topic.PRACTICE.value: "always_share_practice",
    Topic.ASSESSMENT.value: "always_share_assessment",
    Topic.SUPPORT.value: "always_share_support",
    Topic.FEEDBACK.value: "always_share_feedback",
}


def policy_of(school_id: int) -> PersonalizationPolicy:
    """The school's policy, or the defaults (unsaved) when it has not set one."""
    return PersonalizationPolicy.objects.filter(school_id=school_id).first() or PersonalizationPolicy(
        school_id=school_id
    )


def choosing_age(school_id: int) -> int:
    return policy_of(school_id).learner_chooses_sharing_from_age


def _shared_topics(
    policy: PersonalizationPolicy, profile: LearnerProfile, today: datetime.date | None
) -> frozenset[str]:
    topics = {Topic.MESSAGES.value}  # a message to a guardian is always theirs to read
    topics |= {topic for topic, flag in _ALWAYS_SHARED_FLAGS.items() if getattr(policy, flag)}
    age = profile.learner.age_on(today or timezone.localdate())
    if age is not None and age < policy.learner_chooses_sharing_from_age:
        return frozenset(topics | set(LEARNER_CHOSEN))
    if profile.share_profile:
        topics.add(PROFILE)
    if profile.share_goals:
        topics.add(Topic.GOALS.value)
        if profile.share_reflections:  # a reflection is about a goal: never without the goals
            topics.add(Topic.REFLECTIONS.value)
    return frozenset(topics)


def topics_shared_with_guardians(
    school_id: int, learner_id: int, *, today: datetime.date | None = None
) -> frozenset[str]:
    """What the guardians of this learner in this school are told now: THE sharing rule.

    - Messages, always (each guardian reads only their own conversations).
    - What the school always shares (:class:`PersonalizationPolicy` ``always_share_*``: practice, assessment,
      support, feedback), at every age and whatever the learner chooses.
    - Profile, goals and reflections: below the school's choosing age, shared (the school's rule for
      minors); from that age, as the learner chooses (reflections only together with goals). An unknown
      birth date counts as old enough to choose, so a missing date shares nothing against the learner's will.

    Topics are :class:`tessera.events.topics.Topic` values and :data:`PROFILE`.
    """
    return topics_shared_with_guardians_of([(school_id, learner_id)], today=today).get(
        (school_id, learner_id), frozenset()
    )


def topics_shared_with_guardians_of(
    pairs: Iterable[tuple[int, int]], *, today: datetime.date | None = None
) -> dict[tuple[int, int], frozenset[str]]:
    """:func:`topics_shared_with_guardians` for many ``(school_id, learner_id)`` pairs in three queries
    (profiles, learners without one, policies), for pages that list several children. A learner who does
    not exist has no entry."""
    pairs = set(pairs)
    if not pairs:
        return {}
    learner_ids = {learner for _, learner in pairs}
    profiles = {
        (p.school_id, p.learner_id): p
        for p in LearnerProfile.objects.filter(learner_id__in=learner_ids).select_related("learner")
        if (p.school_id, p.learner_id) in pairs
    }
    missing = {learner for school, learner in pairs if (school, learner) not in profiles}
    learners = {u.pk: u for u in User.objects.filter(pk__in=missing)} if missing else {}
    for school, learner in pairs - profiles.keys():
        if learner in learners:
            profiles[school, learner] = LearnerProfile(school_id=school, learner=learners[learner])
    schools = {school for school, _ in profiles}
    policies = {p.school_id: p for p in PersonalizationPolicy.objects.filter(school_id__in=schools)}
    return {
        key: _shared_topics(policies.get(key[0]) or PersonalizationPolicy(school_id=key[0]), profile, today)
        for key, profile in profiles.items()
    }


def guardians_see(profile: LearnerProfile, what: str, *, today: datetime.date | None = None) -> bool:
    """Whether the learner's guardians see ``what`` (a topic of :func:`topics_shared_with_guardians`);
    for a profile already at hand, saved or not."""
    return what in _shared_topics(policy_of(profile.school_id), profile, today)


def _guardian_visible_profile_ids(user: User) -> list[int]:
    pairs = _guardian_shared_pairs(user, PROFILE)
    if not pairs:
        return []
    candidates = LearnerProfile.objects.filter(learner_id__in={learner for _, learner in pairs})
    return [p.pk for p in candidates if (p.school_id, p.learner_id) in pairs]


def profiles_visible_to(user: User | None) -> QuerySet[LearnerProfile]:
    """Profiles the user may read: their own, of learners they teach or support, and of their children as
    the sharing rule allows."""
    if user is None or not school_permissions.signed_in(user):
        return LearnerProfile.objects.none()
    return LearnerProfile.objects.filter(
        _own(user) | works_with(user) | Q(pk__in=_guardian_visible_profile_ids(user))
    )


def can_view_profile(user: User | None, profile: LearnerProfile) -> bool:
    return profiles_visible_to(user).filter(pk=profile.pk).exists()


def profiles_editable_by(user: User | None) -> QuerySet[LearnerProfile]:
    """Only the learner edits their profile."""
    if user is None or not school_permissions.signed_in(user):
        return LearnerProfile.objects.none()
    return LearnerProfile.objects.filter(_own(user))


def can_edit_profile(user: User | None, profile: LearnerProfile) -> bool:
    return profiles_editable_by(user).filter(pk=profile.pk).exists()


# --- the learner's own pages: profile, goals (steps, reflections, comments), confidence ------------
# Goals follow the profile's rule: the learner edits; those who work with them read (and comment);
# guardians read as the sharing rule allows. ``school``/``learner`` name the columns, as in works_with.


def _guardian_shared_pairs(user: User, *what: str) -> set[tuple[int, int]]:
    """(school, learner) pairs of the user's children who share any of ``what`` with their guardians."""
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
    policies = {
        p.school_id: p for p in PersonalizationPolicy.objects.filter(school_id__in={s for s, _ in pairs})
    }
    shared = set()
    for school_id, learner_id in pairs:
        profile = profiles.get((school_id, learner_id)) or LearnerProfile(
            school_id=school_id, learner=learners[learner_id]
        )
        policy = policies.get(school_id) or PersonalizationPolicy(school_id=school_id)
        if _shared_topics(policy, profile, None) & set(what):
            shared.add((school_id, learner_id))
    return shared


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


def goals_visible_to(user: User | None) -> QuerySet[Goal]:
    if user is None or not school_permissions.signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(_personal_visibility(user, Topic.GOALS))


def can_view_reflections(user: User | None, goal: Goal) -> bool:
    """Whether the user reads the reflections of a goal they may see: guardians only when the learner
    shares reflections too."""
    if user is None or not school_permissions.signed_in(user):
        return False
    return Goal.objects.filter(_personal_visibility(user, Topic.REFLECTIONS), pk=goal.pk).exists()


def can_view_goal(user: User | None, goal: Goal) -> bool:
    return goals_visible_to(user).filter(pk=goal.pk).exists()


def goals_editable_by(user: User | None) -> QuerySet[Goal]:
    """Only the learner changes their goals, steps and reflections."""
    if user is None or not school_permissions.signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(_own(user))


def can_edit_goal(user: User | None, goal: Goal) -> bool:
    return goals_editable_by(user).filter(pk=goal.pk).exists()


def goals_commentable_by(user: User | None) -> QuerySet[Goal]:
    """Teachers of the learner and the staff assigned to support them comment on goals."""
    if user is None or not school_permissions.signed_in(user):
        return Goal.objects.none()
    return Goal.objects.filter(works_with(user))


def can_comment_goal(user: User | None, goal: Goal) -> bool:
    return goals_commentable_by(user).filter(pk=goal.pk).exists()
