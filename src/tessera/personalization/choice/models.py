"""Voice and choice in a class.

- :class:`ChoiceBoard`: an objective in a class, with ways to learn and ways to show learning as
  :class:`ChoiceOption`, and the learner's :class:`Choice`.
- :class:`Proposal`: a learner's own objective or activity, accepted, adjusted with a comment, or declined
  with a reason.
- :class:`ClassProgression`: a class set to competency-based progression, with its sequence
  (:class:`ClassProgressionCompetency`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency, Resource
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT, USER, submission_token
from tessera.schools.models import SchoolClass, SchoolFromOwner, TenantModel


class ChoiceBoard(TenantModel):
    """For one objective in a class: several ways to learn and to show learning; the learner picks."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    objective = models.CharField(max_length=SHORT_TEXT)
    competency = models.ForeignKey(
        Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    co_designed_with = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A learner who designed the board with the teacher."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.objective


class ChoiceOption(TenantModel):
    class Purpose(models.TextChoices):
        LEARN = "learn", _("A way to learn")
        SHOW = "show", _("A way to show what I learned")

    board = models.ForeignKey(ChoiceBoard, on_delete=models.CASCADE, related_name="options")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    title = models.CharField(max_length=SHORT_TEXT)
    description = models.TextField(blank=True, default="", max_length=LONG_TEXT)
    resource = models.ForeignKey(Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["board", "purpose", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Choice(TenantModel):
    """A learner's pick on a board: one way to learn and one way to show (changing it replaces it)."""

    board = models.ForeignKey(ChoiceBoard, on_delete=models.CASCADE, related_name="choices")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(ChoiceOption, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=ChoiceOption.Purpose.choices)
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "learner", "purpose"], name="choice_once_per_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} chose {self.option_id}"


class Proposal(TenantModel):
    """A learner's own objective or activity, for the class's teachers to decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the teacher")
        ACCEPTED = "accepted", _("Accepted")
        ADJUSTED = "adjusted", _("Accepted with changes")
        DECLINED = "declined", _("Declined")

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=SHORT_TEXT)
    description = models.TextField(max_length=LONG_TEXT)
    competency = models.ForeignKey(
        Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    teacher_comment = models.TextField(blank=True, default="", max_length=LONG_TEXT)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    token = submission_token()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(status="accepted") | ~Q(teacher_comment=""),
                name="proposal_adjusted_or_declined_says_why",
            ),
            models.UniqueConstraint(fields=["school", "learner", "token"], name="proposal_token_once"),
        ]

    def __str__(self) -> str:
        return self.title


class ClassProgression(TenantModel):
    """How learners of a class move on: when a date passes (calendar), or when they show mastery."""

    class Mode(models.TextChoices):
        CALENDAR = "calendar", _("By the calendar")
        PERSONALIZATION = "personalization", _("Competency-based: move on when mastered")

    school_class = models.OneToOneField(SchoolClass, on_delete=models.CASCADE, related_name="progression")
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.CALENDAR)
    competencies: models.ManyToManyField[Competency, ClassProgressionCompetency] = models.ManyToManyField(
        Competency,
        blank=True,
        related_name="+",
        through="ClassProgressionCompetency",
        help_text=_("The class's sequence, in teaching order."),
    )

    def __str__(self) -> str:
        return f"{self.school_class_id}: {self.mode}"


class ClassProgressionCompetency(TenantModel):
    """A competency of a class's sequence (the through row of ``ClassProgression.competencies``)."""

    progression = models.ForeignKey(
        ClassProgression, on_delete=models.CASCADE, db_column="classprogression_id"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")

    school_from = "progression"
    objects = SchoolFromOwner.as_manager()

    class Meta:
        # The table Django created for the many-to-many before it had a through model (rows kept).
        db_table = "personalization_classprogression_competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "progression", "competency"], name="progression_competency_once"
            )
        ]

    def __str__(self) -> str:
        return f"progression {self.progression_id}: competency {self.competency_id}"
