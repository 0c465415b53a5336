"""Reads shared by the learner's own pages and the pages about a learner: whose pages they are (filtered
by :mod:`tessera.personalization.permissions`), and the frameworks a learner's school uses."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tessera.curriculum import permissions as curriculum_permissions
from tessera.curriculum.models import Framework
from tessera.personalization import permissions
from tessera.schools.models import Membership, School, User

# --- whose pages ---------------------------------------------------------------------------------


def learner_memberships(user: User) -> list[Membership]:
    """The schools where the user is a learner (their own pages exist there), by school name."""
    return list(
        Membership.objects.filter(user=user, role=Membership.Role.LEARNER)
        .select_related("school")
        .order_by("school__name", "pk")
    )


def own_membership(user: User, school_id: int | None) -> Membership | None:
    """The user's learner membership in ``school_id`` (or their first school when not given)."""
    memberships = learner_memberships(user)
    if school_id is None:
        return memberships[0] if memberships else None
    return next((m for m in memberships if m.school_id == school_id), None)


def learner_page_for(user: User, membership_id: int) -> Membership | None:
    """A learner membership whose profile and goals the user may read, or None."""
    return (
        permissions.learners_with_pages_visible_to(user)
        .select_related("user", "school")
        .filter(pk=membership_id)
        .first()
    )


# --- the school's frameworks ---------------------------------------------------------------------


def school_frameworks(learner: User, school: School) -> QuerySet[Framework]:
    return curriculum_permissions.frameworks_visible_to(learner).filter(
        Q(school=school) | Q(school__isnull=True)
    )
