"""Differentiation: flexible groups in a class, computed from mastery and shaped by the teacher.

- :class:`Grouping`: an objective of a class (one or several competencies) split into :class:`Group` s.
- :class:`Placement`: a learner in a group, from the data (with the reasons), pinned or moved by the teacher;
  a placement that ends is kept (``ended_at``): the history of groupings.
- :class:`KeepApart`: two learners of a class the teacher never wants in the same group.
- :class:`Regrouping`: a regrouping suggestion as the teacher decided it (accepted, in part, or dismissed).
- :class:`EvidenceCheck`: a short check asked of a learner without enough evidence to be placed.
- :class:`GroupTask` (tiered), :class:`GroupRole`, :class:`TaskSubmission` and :class:`TaskFeedback`: the
  group's work, its roles, what learners hand in and what the teacher says about it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency, Resource
from tessera.schools.models import SchoolClass, SchoolFromOwner, TenantModel

USER = settings.AUTH_USER_MODEL
SHORT_TEXT = 200
LONG_TEXT = 4000


class Grouping(TenantModel):
    """One objective of a class split into flexible groups."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    objective = models.CharField(max_length=SHORT_TEXT)
    competencies: models.ManyToManyField[Competency, GroupingCompetency] = models.ManyToManyField(
        Competency, through="GroupingCompetency", related_name="+"
    )
    group_count = models.PositiveSmallIntegerField(null=True, blank=True)
    max_size = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group_count__isnull=True) ^ Q(max_size__isnull=True),
                name="grouping_count_or_size",
            )
        ]

    def __str__(self) -> str:
        return self.objective


class Group(TenantModel):
    """A group of a grouping, with its own objective (the grouping's unless the teacher narrows it) and the
    resources chosen for it. Names are neutral: nothing in a name ranks the groups."""

    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    objective = models.CharField(max_length=SHORT_TEXT, blank=True, default="")
    resources: models.ManyToManyField[Resource, GroupResource] = models.ManyToManyField(
        Resource, through="GroupResource", blank=True, related_name="+"
    )

    class Meta:
        ordering = ["grouping", "position"]
        constraints = [models.UniqueConstraint(fields=["grouping", "position"], name="group_position_once")]

    def __str__(self) -> str:
        return self.name


class Placement(TenantModel):
    class Source(models.TextChoices):
        DATA = "data", _("From the evidence")
        TEACHER = "teacher", _("Moved by the teacher")
        PINNED = "pinned", _("Pinned by the teacher")

    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="placements")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DATA)
    score = models.FloatField(null=True, blank=True, help_text=_("The learner's level when placed, 0-1."))
    reasons = models.JSONField(default=list, help_text=_("Why, from the evidence: [{code, values}]."))
    suggested_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a teacher's placement: the group the evidence suggested."),
    )
    placed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    placed_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group__position", "learner__last_name", "learner__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["grouping", "learner"],
                condition=Q(ended_at__isnull=True),
                name="placement_current_once",
            )
        ]


class KeepApart(TenantModel):
    """Two learners of a class never put in the same group (stored with the smaller user id first)."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    learner_a = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    learner_b = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "learner_a", "learner_b"], name="keep_apart_once"
            ),
            models.CheckConstraint(condition=Q(learner_a__lt=F("learner_b")), name="keep_apart_ordered"),
        ]


class Regrouping(TenantModel):
    """A regrouping suggestion as the teacher decided it: every move proposed, each accepted or not."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        DISMISSED = "dismissed", _("Dismissed")

    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="regroupings")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    moves = models.JSONField(
        default=list,
        help_text=_("[{learner_id, from_group_id, to_group_id, score, accepted}]"),
    )
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-pk"]


class EvidenceCheck(TenantModel):
    """A short check asked of a learner the grouping could not place for lack of evidence."""

    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="checks")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    questions = models.PositiveSmallIntegerField(default=5)
    requested_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grouping", "learner"], name="evidence_check_once")]


class GroupTask(TenantModel):
    """Work for one group towards its objective, tiered by scaffolding, with a short check at the end."""

    class Tier(models.TextChoices):
        SUPPORT = "support", _("More support: fewer steps and worked examples")
        CORE = "core", _("Core")
        EXTENSION = "extension", _("Extension: a further challenge")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=SHORT_TEXT)
    instructions = models.TextField(max_length=LONG_TEXT)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.CORE)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    resources: models.ManyToManyField[Resource, TaskResource] = models.ManyToManyField(
        Resource, through="TaskResource", blank=True, related_name="+"
    )
    starts_on = models.DateField()
    due_on = models.DateField()
    check_questions = models.PositiveSmallIntegerField(
        default=5, help_text=_("Questions in the short check at the end (0: no check).")
    )
    check_minutes = models.PositiveSmallIntegerField(default=10)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("starts_on")), name="group_task_due_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class GroupRole(TenantModel):
    """A learner's role inside their group, set by the teacher and shown to the group."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        RECORDER = "recorder", _("Recorder")
        CHECKER = "checker", _("Checker")
        TIMEKEEPER = "timekeeper", _("Timekeeper")
        REPORTER = "reporter", _("Reporter")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="roles")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "learner"], name="group_role_once")]


class TaskSubmission(TenantModel):
    """What a learner handed in for a task: the learner's, whichever group they are in later."""

    task = models.ForeignKey(GroupTask, on_delete=models.CASCADE, related_name="submissions")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=LONG_TEXT)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "learner"], name="task_submission_once")]


class TaskFeedback(TenantModel):
    """A teacher's comment on a learner's group work; the learner sees it, the family where sharing allows."""

    task = models.ForeignKey(GroupTask, on_delete=models.CASCADE, related_name="feedback")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=LONG_TEXT)
    token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["task", "token"], name="task_feedback_token_once")]


class GroupingCompetency(TenantModel):
    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")

    school_from = "grouping"
    objects = SchoolFromOwner.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grouping", "competency"], name="grouping_competency_once")
        ]


class GroupResource(TenantModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")

    school_from = "group"
    objects = SchoolFromOwner.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "resource"], name="group_resource_once")]


class TaskResource(TenantModel):
    task = models.ForeignKey(GroupTask, on_delete=models.CASCADE)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")

    school_from = "task"
    objects = SchoolFromOwner.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "resource"], name="task_resource_once")]
