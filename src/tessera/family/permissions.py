"""Who may follow a child's feed: their current guardians in that school, nobody else.

A guardianship is a link in one school: being a child's guardian in school B opens nothing of their
events in school A. Written as a pair, like :mod:`tessera.schools.permissions`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tessera.schools.models import Guardianship, User
from tessera.schools.permissions import signed_in


def feeds_visible_to(user: User) -> QuerySet[Guardianship]:
    """The user's current guardianships: each one is a feed (a child in a school) they may follow."""
    if not signed_in(user):
        return Guardianship.objects.none()
    return Guardianship.objects.filter(guardian=user, revoked_at__isnull=True)


def guardianship_of(user: User, *, school_id: int, learner_id: int) -> Guardianship | None:
    """The user's current guardianship of that child in that school (child and school selected), or None."""
    return (
        feeds_visible_to(user)
        .filter(school_id=school_id, learner_id=learner_id)
        .select_related("learner", "school")
        .first()
    )


def can_follow_feed(*, user: User, school_id: int, learner_id: int) -> bool:
    return feeds_visible_to(user).filter(school_id=school_id, learner_id=learner_id).exists()


def feed_followers(*, school_id: int, learner_id: int) -> frozenset[int]:
    """Ids of the users who may follow this child's feed now (the same rule as :func:`can_follow_feed`,
    for every open stream of the child at once)."""
    return frozenset(
        Guardianship.objects.filter(
            school_id=school_id, learner_id=learner_id, revoked_at__isnull=True, guardian__is_active=True
        ).values_list("guardian_id", flat=True)
    )
