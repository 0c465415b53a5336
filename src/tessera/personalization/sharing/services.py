"""Writes of the school's sharing rules: what it always shares with families, and from which age learners
choose (:func:`sharing_policy_set`, for the school's administrators).

Keyword-only, transactional, raising :mod:`tessera.schools.errors`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tessera.personalization.sharing.models import PersonalizationPolicy
from tessera.schools.errors import DomainError
from tessera.schools.models import School, User
from tessera.schools.permissions import require_school_admin

POLICY_FIELDS = (
    "learner_chooses_sharing_from_age",
    "always_share_practice",
    "always_share_assessment",
    "always_share_support",
    "always_share_feedback",
)
CHOOSING_AGES = range(5, 26)


@transaction.atomic
def sharing_policy_set(
    *, actor: User, school: School, data: dict[str, Any]
) -> tuple[PersonalizationPolicy, bool]:
    """A school administrator sets what the school always shares with guardians and from which age the
    learner chooses about their profile, goals and reflections. Returns the policy and whether it changed;
    the family feeds follow at once (they apply the rule when read)."""
    require_school_admin(actor, school, to=_("set what it shares with families"))
    unknown = set(data) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(
            _("Not a sharing rule: %(rules)s.") % {"rules": ", ".join(sorted(unknown))},
            code="personalization.unknown_sharing_rule",
        )
    age = data.get("learner_chooses_sharing_from_age")
    if age is not None and age not in CHOOSING_AGES:
        raise DomainError(
            _("The age from which learners choose is from %(first)d to %(last)d.")
            % {"first": CHOOSING_AGES.start, "last": CHOOSING_AGES.stop - 1},
            code="personalization.invalid_choosing_age",
        )
    policy, created = PersonalizationPolicy.objects.select_for_update().get_or_create(school=school)
    changed = False
    for name, value in data.items():
        if getattr(policy, name) != value:
            setattr(policy, name, value)
            changed = True
    if changed or created:
        policy.save()
    return policy, changed
