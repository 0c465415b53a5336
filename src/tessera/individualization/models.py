"""Individualization: one learner's needs, the team's plan, and the supports that follow the learner.

- :class:`Evaluation` (with :class:`EvaluationAttachment`): a specialist's evaluation of a learner.
- :class:`TeamMeeting`: who met, when, what they decided.
- :class:`SupportPlan`: one *version* of a learner's plan (an amendment is a new version with its own date);
  its :class:`PlanMember` s sign it, the guardian's signature being their consent; it takes effect only when
  every required member has signed. Its :class:`PlanObjective` s (measurable), :class:`PlanService` s,
  :class:`Accommodation` s (typed: how the learner works) and :class:`Modification` s (what is expected).
- :class:`SupportLog`: a one-on-one session a teacher or para-professional gave; :class:`ObjectiveDataPoint`:
  a measure of an objective (from a log, from practice, or entered).
- :class:`TeamAlert`: an objective off track, for the team to look at.
- :class:`AccommodationPause`: a support the learner turned off for one day, where the plan allows it.
- :class:`RecordRead`: every read and write of these records (who, when, which, from where).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency
from tessera.schools.models import TenantModel

USER = settings.AUTH_USER_MODEL
SHORT_TEXT = 200
LONG_TEXT = 8000


class Area(models.TextChoices):
    READING = "reading", _("Reading")
    WRITING = "writing", _("Writing")
    MATHEMATICS = "mathematics", _("Mathematics")
    ATTENTION = "attention", _("Attention")
    MEMORY = "memory", _("Memory")
    MOTOR = "motor", _("Motor skills")
    COMMUNICATION = "communication", _("Communication")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social and emotional")
    SENSORY = "sensory", _("Sensory")


class Evaluation(TenantModel):
    class Kind(models.TextChoices):
        PSYCHOEDUCATIONAL = "psychoeducational", _("Psycho-educational")
        SPEECH_LANGUAGE = "speech_language", _("Speech and language")
        OCCUPATIONAL = "occupational", _("Occupational therapy")
        ACADEMIC = "academic", _("Academic")
        BEHAVIOURAL = "behavioural", _("Behavioural")
        OTHER = "other", _("Other")

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    evaluated_on = models.DateField()
    evaluator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    areas = models.JSONField(default=list, help_text=_("Areas evaluated (codes of Area)."))
    findings = models.TextField(max_length=LONG_TEXT)
    recommendations = models.TextField(max_length=LONG_TEXT, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-pk"]


class EvaluationAttachment(TenantModel):
    """A PDF or image of an evaluation, stored in the server's private folder and served only through a
    permission check (never from a public URL)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(max_length=SHORT_TEXT)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class TeamMeeting(TenantModel):
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    participants = models.TextField(max_length=LONG_TEXT, help_text=_("Who took part, and in what role."))
    decisions = models.TextField(max_length=LONG_TEXT)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]


class SupportPlan(TenantModel):
    """One version of a learner's plan. Version 1 covers ``starts_on`` to ``ends_on``; an amendment is a new
    version with the same period, taking effect from ``effective_from`` (never before its own date); the
    version it amends is superseded from that day. Active versions of a learner never overlap."""

    class Kind(models.TextChoices):
        IEP = "iep", _("Individualized education program (IEP)")
        PLAN_504 = "504", _("Section 504 plan")
        SEN_SUPPORT = "sen_support", _("SEN support plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: waiting for signatures")
        ACTIVE = "active", _("In effect")
        SUPERSEDED = "superseded", _("Replaced by an amendment")

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.IEP)
    version = models.PositiveSmallIntegerField(default=1)
    amends = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    effective_from = models.DateField(help_text=_("The first day this version applies."))
    superseded_on = models.DateField(null=True, blank=True)
    present_levels = models.TextField(max_length=LONG_TEXT)
    change_summary = models.TextField(max_length=LONG_TEXT, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["learner", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["school", "learner", "amends"], name="plan_amended_once"),
            models.UniqueConstraint(fields=["school", "learner", "version"], name="plan_version_once"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="plan_ends_after_start"),
            models.CheckConstraint(
                condition=Q(effective_from__gte=F("starts_on")) & Q(effective_from__lte=F("ends_on")),
                name="plan_effective_in_period",
            ),
        ]


class PlanMember(TenantModel):
    """A member of the plan's team for one version; ``required`` members must sign before it takes effect.
    A guardian's signature is their consent."""

    class Role(models.TextChoices):
        SPECIALIST = "specialist", _("Specialist")
        TEACHER = "teacher", _("Teacher")
        PARA_PROFESSIONAL = "para_professional", _("Para-professional")
        ADMINISTRATOR = "administrator", _("School administrator")
        GUARDIAN = "guardian", _("Guardian")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    required = models.BooleanField(default=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="plan_member_once")]


class PlanObjective(TenantModel):
    """A measurable individual objective: from ``baseline`` to ``target`` (in ``unit``) by ``target_date``."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="objectives")
    area = models.CharField(max_length=20, choices=Area.choices)
    description = models.CharField(max_length=SHORT_TEXT)
    baseline = models.FloatField()
    target = models.FloatField()
    unit = models.CharField(max_length=40, default="%")
    target_date = models.DateField()
    measured_how = models.CharField(max_length=SHORT_TEXT)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    competency = models.ForeignKey(
        Competency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Practice evidence on this competency adds data points."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def aim_on(self, day: datetime.date) -> float:
        """Where the learner should be on ``day``: the straight line from the baseline at the plan's start
        to the target on the objective's date."""
        start, end = self.plan.starts_on, self.target_date
        if day <= start or end <= start:
            return self.baseline if day <= start else self.target
        share = min(1.0, (day - start).days / (end - start).days)
        return self.baseline + share * (self.target - self.baseline)


class PlanService(TenantModel):
    class Kind(models.TextChoices):
        ONE_ON_ONE = "one_on_one", _("One-on-one support")
        SMALL_GROUP = "small_group", _("Small-group support")
        THERAPY = "therapy", _("Therapy")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ONE_ON_ONE)
    minutes_per_week = models.PositiveSmallIntegerField()
    provider = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")


class Accommodation(TenantModel):
    """A change to *how* the learner works, typed: it applies by itself wherever the learner works."""

    class Kind(models.TextChoices):
        EXTENDED_TIME = "extended_time", _("Extended time")
        BREAKS = "breaks", _("Breaks allowed")
        READ_ALOUD = "read_aloud", _("Read-aloud of items and options")
        LARGER_TEXT = "larger_text", _("Larger text and spacing")
        FEWER_OPTIONS = "fewer_options", _("Fewer answer options")
        CALCULATOR = "calculator", _("Calculator allowed")
        ALTERNATIVE_RESPONSE = "alternative_response", _("Alternative response mode")
        QUIET_SETTING = "quiet_setting", _("Quiet setting")

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="accommodations")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    factor = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, help_text=_("Extended time: 1.25, 1.5 or 2.")
    )
    options = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Fewer options: 2 or 3."))
    mode = models.CharField(max_length=20, blank=True, default="", help_text=_("Alternative response: how."))
    learner_may_pause = models.BooleanField(
        default=False, help_text=_("The learner may turn it off for a day.")
    )

    EXTENDED_TIME_FACTORS = (Decimal("1.25"), Decimal("1.5"), Decimal("2"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="accommodation_once_per_plan")]


class Modification(TenantModel):
    """A change to *what* is expected of the learner (kept apart from accommodations, which change how)."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="modifications")
    description = models.CharField(max_length=SHORT_TEXT)
    competency = models.ForeignKey(
        Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


class SupportLog(TenantModel):
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    logged_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    objective = models.ForeignKey(
        PlanObjective, on_delete=models.SET_NULL, null=True, blank=True, related_name="logs"
    )
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    what_was_done = models.TextField(max_length=LONG_TEXT)
    notes = models.TextField(max_length=LONG_TEXT, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]


class ObjectiveDataPoint(TenantModel):
    class Source(models.TextChoices):
        LOG = "log", _("Support session")
        PRACTICE = "practice", _("Practice evidence")
        ENTERED = "entered", _("Entered by the team")

    objective = models.ForeignKey(PlanObjective, on_delete=models.CASCADE, related_name="data_points")
    measured_on = models.DateField()
    value = models.FloatField()
    source = models.CharField(max_length=10, choices=Source.choices)
    log = models.OneToOneField(SupportLog, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["objective", "measured_on", "pk"]


class TeamAlert(TenantModel):
    """An objective off track (``points`` measures in a row below its aim line), shown to the plan's team
    until a measure is back on the line or a member marks it reviewed (``closed_by``; None when the
    learner's measures closed it)."""

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(PlanObjective, on_delete=models.CASCADE, related_name="alerts")
    points = models.PositiveSmallIntegerField()
    raised_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective"], condition=Q(closed_at__isnull=True), name="one_open_alert_per_objective"
            )
        ]


class AccommodationPause(TenantModel):
    """The learner turned a support off for one day (only where the plan lets them)."""

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Accommodation.Kind.choices)
    on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "kind", "on"], name="pause_once_a_day")]


class RecordRead(TenantModel):
    """An access to a learner's sensitive records: who, when, what, from where. Never edited."""

    class Action(models.TextChoices):
        READ = "read", _("Read")
        WROTE = "wrote", _("Changed")
        DOWNLOADED = "downloaded", _("Downloaded")

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    record = models.CharField(max_length=80, help_text=_("What was accessed, e.g. 'plan 3 (version 2)'."))
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["school", "learner", "-at"])]
