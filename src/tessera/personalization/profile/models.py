"""The learner's profile (one per learner and school) and its history (:class:`LearnerProfileVersion`,
one row per saved edit).

The profile also keeps the learner's choices whether their guardians see their profile, goals and
reflections (the school's policy, :mod:`tessera.personalization.sharing`, sets the age from which the
learner chooses) and whether they are open to helping peers (:mod:`tessera.personalization.network`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT, USER
from tessera.schools.models import TenantModel


class LearningPreference(models.TextChoices):
    """How I learn best (several may be chosen)."""

    WORKED_EXAMPLES_FIRST = "worked_examples_first", _("Worked examples first")
    VIDEO = "video", _("Watching videos")
    READING = "reading", _("Reading")
    HANDS_ON = "hands_on", _("Hands-on, trying things")
    WORKSHEETS = "worksheets", _("Worksheets and exercises")
    ALONE = "alone", _("Working alone")
    WITH_OTHERS = "with_others", _("Working with others")


class LearnerProfile(TenantModel):
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    strengths = models.TextField(blank=True, default="", max_length=LONG_TEXT)
    challenges = models.TextField(blank=True, default="", max_length=LONG_TEXT)
    interests = models.JSONField(default=list, blank=True, help_text=_("Topics, e.g. football, music."))
    passions = models.TextField(blank=True, default="", max_length=LONG_TEXT)
    aspirations = models.TextField(blank=True, default="", max_length=LONG_TEXT)
    learning_preferences = models.JSONField(
        default=list, blank=True, help_text=_("LearningPreference values.")
    )
    languages = models.CharField(max_length=SHORT_TEXT, blank=True, default="")
    accessibility = models.TextField(
        blank=True, default="", max_length=LONG_TEXT, help_text=_("e.g. larger text, read-aloud.")
    )
    reading_level = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("A grade, 0 to 13."))
    # The learner's choices, once they are old enough to choose (see PersonalizationPolicy). A reflection
    # belongs to a goal, so sharing reflections needs sharing goals (a database constraint).
    share_profile = models.BooleanField(default=False, help_text=_("My family sees my profile."))
    share_goals = models.BooleanField(default=False, help_text=_("My family sees my goals."))
    share_reflections = models.BooleanField(
        default=False, help_text=_("My family sees my reflections on my goals.")
    )
    open_to_help = models.BooleanField(
        default=False, help_text=_("The learner agrees to be suggested to peers who ask for help.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "learner"], name="learner_profile_once"),
            models.CheckConstraint(
                condition=Q(reading_level__isnull=True) | Q(reading_level__lte=13),
                name="learner_profile_reading_level",
            ),
            models.CheckConstraint(
                condition=Q(share_reflections=False) | Q(share_goals=True),
                name="learner_profile_reflections_need_goals",
            ),
        ]

    def __str__(self) -> str:
        return f"profile of {self.learner_id}"


class LearnerProfileVersion(TenantModel):
    """The profile as it was after one edit: its history, newest last."""

    profile = models.ForeignKey(LearnerProfile, on_delete=models.CASCADE, related_name="versions")
    snapshot = models.JSONField()
    edited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"version of profile {self.profile_id} at {self.created_at}"
