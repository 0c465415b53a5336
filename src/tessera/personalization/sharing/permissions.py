"""The sharing rule: what a learner's guardians are told, from the school's policy
(:class:`~tessera.personalization.sharing.models.PersonalizationPolicy`) and, from the school's choosing age,
the learner's own choices (on their :class:`~tessera.personalization.profile.models.LearnerProfile`).

The family's feed, digest and pages, the profile and goal pages all ask it
(:func:`topics_shared_with_guardians`), so guardians are told the same everywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from tessera.events.topics import Topic as Topic  # the sharing rule's vocabulary, re-exported for its users
from tessera.personalization.profile.models import LearnerProfile
from tessera.personalization.sharing.models import PersonalizationPolicy
from tessera.schools.models import Guardianship, User

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
