"""Reads of the learner's profile: the profile and its history (what each saved edit changed), and what
their family sees of it now (the sharing rule, :mod:`tessera.personalization.sharing.permissions`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.personalization.profile.models import LearnerProfile, LearnerProfileVersion, LearningPreference
from tessera.personalization.sharing import permissions  # the sharing rule: what the family sees
from tessera.schools.models import School, User


def profile_of(learner: User, school: School) -> LearnerProfile | None:
    return LearnerProfile.objects.filter(school=school, learner=learner).first()


PROFILE_LABELS = {
    "strengths": gettext_lazy("Strengths"),
    "challenges": gettext_lazy("Challenges"),
    "interests": gettext_lazy("Interests"),
    "passions": gettext_lazy("Passions"),
    "aspirations": gettext_lazy("Aspirations"),
    "learning_preferences": gettext_lazy("How I learn best"),
    "languages": gettext_lazy("Languages"),
    "accessibility": gettext_lazy("Accessibility preferences"),
    "reading_level": gettext_lazy("Reading level"),
    "share_profile": gettext_lazy("Profile shared with my family"),
    "share_goals": gettext_lazy("Goals shared with my family"),
    "share_reflections": gettext_lazy("Reflections shared with my family"),
}
SHARING_FIELDS = ("share_profile", "share_goals", "share_reflections")
PREFERENCE_LABELS = dict(LearningPreference.choices)


def display_value(name: str, value: Any) -> str:
    if name == "learning_preferences":
        return ", ".join(str(PREFERENCE_LABELS.get(v, v)) for v in value or [])
    if name == "interests":
        return ", ".join(value or [])
    if name in SHARING_FIELDS:
        return _("yes") if value else _("no")
    if name == "reading_level":
        return "" if value is None else _("grade %d") % value
    return str(value or "")


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class VersionRow:
    version: LearnerProfileVersion
    changes: list[Change]


def profile_history(profile: LearnerProfile) -> list[VersionRow]:
    """Each saved edit with what it changed, newest first."""
    rows: list[VersionRow] = []
    previous: dict[str, Any] = {}
    for version in profile.versions.select_related("edited_by").order_by("created_at", "pk"):
        changes = []
        for name, label in PROFILE_LABELS.items():
            before = display_value(name, previous.get(name))
            after = display_value(name, version.snapshot.get(name))
            if before != after:
                changes.append(Change(str(label), before, after))
        rows.append(VersionRow(version, changes))
        previous = version.snapshot
    return rows[::-1]


@dataclass
class ProfileView:
    profile: LearnerProfile | None
    fields: list[tuple[str, str]]
    shares_profile: bool  # what the learner's guardians see now (the school's rule or the learner's choice)
    shares_goals: bool
    shares_reflections: bool
    can_choose_sharing: bool
    choosing_age: int


def profile_view(learner: User, school: School) -> ProfileView:
    profile = profile_of(learner, school)
    shown = profile or LearnerProfile(school=school, learner=learner)
    age = learner.age_on(timezone.localdate())
    from_age = permissions.choosing_age(school.pk)
    fields = [
        (str(label), display_value(name, getattr(shown, name)))
        for name, label in PROFILE_LABELS.items()
        if name not in SHARING_FIELDS
    ]
    return ProfileView(
        profile=profile,
        fields=fields,
        shares_profile=permissions.guardians_see(shown, permissions.PROFILE),
        shares_goals=permissions.guardians_see(shown, permissions.Topic.GOALS),
        shares_reflections=permissions.guardians_see(shown, permissions.Topic.REFLECTIONS),
        can_choose_sharing=age is None or age >= from_age,
        choosing_age=from_age,
    )
