"""Who may use a practice session: only the learner who practises in it (everyone else gets 404).

Written once as a pair, like :mod:`tessera.schools.permissions`: a queryset filter for selectors and an
object check for services, both from the same condition.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from tessera.curriculum.models import Competency
from tessera.curriculum.permissions import frameworks_visible_to
from tessera.practice.models import PracticeSession
from tessera.schools.models import Membership, User
from tessera.schools.permissions import signed_in


def sessions_of(user: User | None) -> QuerySet[PracticeSession]:
    """Sessions the user practises in (their own, in a school where they are still a learner)."""
    if not signed_in(user):
        return PracticeSession.objects.none()
    still_learner = Membership.objects.filter(
        school=OuterRef("school_id"), user=user, role=Membership.Role.LEARNER
    )
    return PracticeSession.objects.annotate(still_learner=Exists(still_learner)).filter(
        still_learner=True, learner=user
    )


def can_practise_in(user: User | None, session: PracticeSession) -> bool:
    """The same condition as :func:`sessions_of`, checked on the loaded session: no query when the session
    was read through :func:`sessions_of` in this request (the condition was part of that query), else
    one indexed query."""
    if user is None or not signed_in(user) or session.learner_id != user.pk:
        return False
    if getattr(session, "still_learner", False) is True:
        return True
    return Membership.objects.filter(
        school_id=session.school_id, user=user, role=Membership.Role.LEARNER
    ).exists()


def is_learner(user: User | None) -> bool:
    """A learner of some school: who may submit answers at all (a batch names its sessions per answer)."""
    return signed_in(user) and Membership.objects.filter(user=user, role=Membership.Role.LEARNER).exists()


def competencies_visible_to(user: User) -> QuerySet[Competency]:
    """Competencies of frameworks the user can see: what a start request may name (anything else is a 404
    with the same message, so ids of other schools' competencies reveal nothing)."""
    return Competency.objects.filter(framework__in=frameworks_visible_to(user)).select_related("framework")
