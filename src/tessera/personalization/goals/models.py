"""A learner's goals: about competencies (:class:`GoalCompetency`; progress from evidence) or personal
(progress from its :class:`GoalStep` rows), with the learner's :class:`Reflection` at milestones and the
:class:`GoalComment` of the teachers and supporters who work with them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT, USER, submission_token
from tessera.schools.models import SchoolFromOwner, TenantModel


class Goal(TenantModel):
    """A learner's goal: about competencies (progress from evidence) or personal (progress from steps)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=SHORT_TEXT)
    why = models.TextField(blank=True, default="", max_length=LONG_TEXT)
    competencies: models.ManyToManyField[Competency, GoalCompetency] = models.ManyToManyField(
        Competency, blank=True, related_name="+", through="GoalCompetency"
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reached_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    token = submission_token()

    class Meta:
        ordering = ["status", "target_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "learner", "token"], name="goal_token_once")]

    def __str__(self) -> str:
        return self.title


class GoalStep(TenantModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=SHORT_TEXT)
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["goal", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Reflection(TenantModel):
    """The learner's reflection at a milestone of a goal, answering a prompt."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reflections")
    prompt = models.CharField(max_length=SHORT_TEXT)
    text = models.TextField(max_length=LONG_TEXT)
    milestone = models.CharField(max_length=SHORT_TEXT, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"reflection on {self.goal_id}"


class GoalComment(TenantModel):
    """A teacher's (or mentor's) comment on a learner's goal or reflection."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment on {self.goal_id}"


class GoalCompetency(TenantModel):
    """A competency a goal is about (the through row of ``Goal.competencies``, with the goal's school)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")

    school_from = "goal"
    objects = SchoolFromOwner.as_manager()

    class Meta:
        # The table Django created for the many-to-many before it had a through model (rows kept).
        db_table = "personalization_goal_competencies"
        constraints = [
            models.UniqueConstraint(fields=["school", "goal", "competency"], name="goal_competency_once")
        ]

    def __str__(self) -> str:
        return f"goal {self.goal_id}: competency {self.competency_id}"
