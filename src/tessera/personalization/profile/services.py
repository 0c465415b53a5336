"""Writes of the learner's profile: its fields (a save that changes something keeps a version, its
history) and the learner's choices whether their family sees their profile, goals and reflections.

Keyword-only, transactional, raising :mod:`tessera.schools.errors`: :class:`PermissionDenied` when the
user may not do this.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

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


def profile_snapshot(profile: LearnerProfile) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in PROFILE_FIELDS}


def _clean_topics(topics: list[str]) -> list[str]:
    seen: list[str] = []
    for topic in topics:
        if has_control_characters(topic):
            raise DomainError("Interests contain characters that are not text.")
        topic = " ".join(topic.split()).lower()[:60]
        if topic and topic not in seen:
            seen.append(topic)
    if len(seen) > MAX_INTERESTS:
        raise DomainError(f"At most {MAX_INTERESTS} interests, please.")
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
        raise DomainError(f"Not a profile field: {', '.join(sorted(unknown))}.")
    if "interests" in data:
        data = {**data, "interests": _clean_topics(list(data["interests"]))}
    if "learning_preferences" in data:
        valid = set(LearningPreference.values)
        bad = [p for p in data["learning_preferences"] if p not in valid]
        if bad:
            raise DomainError(f"Unknown learning preference: {', '.join(bad)}.")
        data = {
            **data,
            "learning_preferences": [
                p for p in LearningPreference.values if p in data["learning_preferences"]
            ],
        }
    level = data.get("reading_level")
    if level is not None and not 0 <= level <= 13:
        raise DomainError("The reading level is a grade from 0 to 13.")
    for name in TEXT_FIELDS:
        if name in data:
            value = str(data[name] or "").strip()
            limit = SHORT_TEXT if name == "languages" else LONG_TEXT
            if len(value) > limit:
                raise DomainError(f"{name.capitalize()}: at most {limit} characters, please.")
            if has_control_characters(value):
                raise DomainError(f"{name.capitalize()}: contains characters that are not text.")
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
            "Your reflections are about your goals: share your goals too, or keep your reflections private."
        )
    record, _ = LearnerProfile.objects.select_for_update().get_or_create(school=school, learner=learner)
    age = learner.age_on(timezone.localdate())
    from_age = permissions.choosing_age(school.pk)
    if age is not None and age < from_age:
        raise PermissionDenied(
            f"Your school shares your profile with your family until you are {from_age}; then you choose."
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
