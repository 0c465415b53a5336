"""Who may read and change a learner's profile: the learner edits it; the people who work with them read
it; their guardians read it as the sharing rule allows (:mod:`tessera.personalization.sharing.permissions`).
Each permission is a pair: a queryset filter (for selectors) and an object check (for services)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tessera.personalization.permissions import _own, works_with
from tessera.personalization.profile.models import LearnerProfile
from tessera.personalization.sharing.permissions import PROFILE, _guardian_shared_pairs
from tessera.schools.models import User
from tessera.schools.permissions import signed_in


def _guardian_visible_profile_ids(user: User) -> list[int]:
    pairs = _guardian_shared_pairs(user, PROFILE)
    if not pairs:
        return []
    candidates = LearnerProfile.objects.filter(learner_id__in={learner for _, learner in pairs})
    return [p.pk for p in candidates if (p.school_id, p.learner_id) in pairs]


def profiles_visible_to(user: User | None) -> QuerySet[LearnerProfile]:
    """Profiles the user may read: their own, of learners they teach or support, and of their children as
    the sharing rule allows."""
    if user is None or not signed_in(user):
        return LearnerProfile.objects.none()
    return LearnerProfile.objects.filter(
        _own(user) | works_with(user) | Q(pk__in=_guardian_visible_profile_ids(user))
    )


def can_view_profile(user: User | None, profile: LearnerProfile) -> bool:
    return profiles_visible_to(user).filter(pk=profile.pk).exists()


def profiles_editable_by(user: User | None) -> QuerySet[LearnerProfile]:
    """Only the learner edits their profile."""
    if user is None or not signed_in(user):
        return LearnerProfile.objects.none()
    return LearnerProfile.objects.filter(_own(user))


def can_edit_profile(user: User | None, profile: LearnerProfile) -> bool:
    return profiles_editable_by(user).filter(pk=profile.pk).exists()
