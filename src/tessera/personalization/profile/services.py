"""Writes of the learner's profile: its fields (a save that changes something keeps a version, its
history) and the learner's choices whether their family sees their profile, goals and reflections.

Keyword-only, transactional, raising :mod:`tessera.schools.errors`: :class:`PermissionDenied` when the
user may not do this.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT
from tessera.personalization.profile.models import LearnerProfile, LearnerProfileVersion, LearningPreference
from tessera.personalization.services import _require_learner
from tessera.personalization.sharing import permissions  # the sharing rule: the school's choosing age
from tessera.schools.errors import DomainError, PermissionDenied
from tessera.schools.models import School, User
from tessera.schools.text import has_control_characters

PROFILE_FIELDS = (
    "strengths",
    "challenges",
    "interests",
    "passions",
    "aspirations",
    "learning_preferences",
    "languages",
    "accessibility",
    "reading_level",
    "share_profile",
    "share_goals",
    "share_reflections",
)
SHARING_FIELDS = ("share_profile", "share_goals", "share_reflections")
TEXT_FIELDS = ("strengths", "challenges", "passions", "aspirations", "languages", "accessibility")
MAX_INTERESTS = 20


# The profile's free-text fields, named in their limit errors in the reader's language.
TEXT_FIELD_NAMES = {
    "strengths": gettext_noop("Strengths"),
    "challenges": gettext_noop("Challenges"),
    "passions": gettext_noop("Passions"),
    "aspirations": gettext_noop("Aspirations"),
    "languages": gettext_noop("Languages"),
    "accessibility": gettext_noop("Accessibility"),
}


def profile_snapshot(profile: LearnerProfile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in PROFILE_FIELDS}


def _clean_topics(topics: list[str]) -> list[str]:
    seen: list[str] = []
    for topic in topics:
        if has_control_characters(topic):
            raise DomainError(
                _("Interests contain characters that are not text."), code="personalization.text_not_plain"
            )
        topic = " ".join(topic.split()).lower()[:60]
        if topic and topic not in seen:
            seen.append(topic)
    if len(seen) > MAX_INTERESTS:
        raise DomainError(
            _("At most %(max)d interests, please.") % {"max": MAX_INTERESTS},
            code="personalization.too_many_interests",
        )
    return seen


@transaction.atomic
def profile_update(*, learner: User, school: School, data: dict[str, Any]) -> tuple[LearnerProfile, bool]:
    """Save the learner's own profile. A save that changes something writes a version (its history).
    Returns the profile and whether anything changed. The sharing choices are set only through
    :func:`profile_sharing_set`."""
    _require_learner(learner, school)
    profile, _created = LearnerProfile.objects.select_for_update().get_or_create(
        school=school, learner=learner
    )
    before = profile_snapshot(profile)
    unknown = set(data) - set(PROFILE_FIELDS) | (set(SHARING_FIELDS) & set(data))
    if unknown:
        raise DomainError(
            _("Not a profile field: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="personalization.unknown_profile_field",
        )
    if "interests" in data:
        data = {**data, "interests": _clean_topics(list(data["interests"]))}
    if "learning_preferences" in data:
        valid = set(LearningPreference.values)
        bad = [p for p in data["learning_preferences"] if p not in valid]
        if bad:
            raise DomainError(
                _("Unknown learning preference: %(preferences)s.") % {"preferences": ", ".join(bad)},
                code="personalization.unknown_learning_preference",
            )
        data = {
            **data,
            "learning_preferences": [
                p for p in LearningPreference.values if p in data["learning_preferences"]
            ],
        }
    level = data.get("reading_level")
    if level is not None and not 0 <= level <= 13:
        raise DomainError(
            _("The reading level is a grade from 0 to 13."), code="personalization.invalid_reading_level"
        )
    for name in TEXT_FIELDS:
        if name in data:
            value = str(data[name] or "").strip()
            limit = SHORT_TEXT if name == "languages" else LONG_TEXT
            if len(value) > limit:
                raise DomainError(
                    _("%(field)s: at most %(limit)d characters, please.")
                    % {"field": _(TEXT_FIELD_NAMES[name]), "limit": limit},
                    code="personalization.text_too_long",
                )
            if has_control_characters(value):
                raise DomainError(
                    _("%(field)s: contains characters that are not text.")
                    % {"field": _(TEXT_FIELD_NAMES[name])},
                    code="personalization.text_not_plain",
                )
            data = {**data, name: value}
    for name, value in data.items():
        setattr(profile, name, value)
    changed = profile_snapshot(profile) != before
    if changed or _created:
        profile.save()
    if changed:
        LearnerProfileVersion.objects.create(
            school=school, profile=profile, snapshot=profile_snapshot(profile), edited_by=learner
        )
    return profile, changed


@transaction.atomic
def profile_sharing_set(
    *, learner: User, school: School, profile: bool, goals: bool, reflections: bool
) -> tuple[LearnerProfile, bool]:
    """The learner's choices whether their family sees their profile, their goals and their reflections,
    from the school's choosing age (:class:`PermissionDenied` below it). Reflections belong to goals, so
    sharing them without the goals is a :class:`DomainError`. Returns the profile and whether a choice
    changed (saving the same choices again changes nothing and writes no history)."""
    _require_learner(learner, school)
    if reflections and not goals:
        raise DomainError(
            _(
                "Your reflections are about your goals: share your goals too, "
                "or keep your reflections private."
            ),
            code="personalization.reflections_need_goals",
        )
    record, _created = LearnerProfile.objects.select_for_update().get_or_create(
        school=school, learner=learner
    )
    age = learner.age_on(timezone.localdate())
    from_age = permissions.choosing_age(school.pk)
    if age is not None and age < from_age:
        raise PermissionDenied(
            _("Your school shares your profile with your family until you are %(age)d; then you choose.")
            % {"age": from_age},
            code="personalization.below_choosing_age",
        )
    choices = {"share_profile": profile, "share_goals": goals, "share_reflections": reflections}
    changed = any(getattr(record, name) != value for name, value in choices.items())
    if changed:
        for name, value in choices.items():
            setattr(record, name, value)
        record.save(update_fields=[*SHARING_FIELDS, "updated_at"])
        LearnerProfileVersion.objects.create(
            school=school, profile=record, snapshot=profile_snapshot(record), edited_by=learner
        )
    return record, changed
