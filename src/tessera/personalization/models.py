"""Personalization: what the learner owns and chooses.

- :class:`LearnerProfile` (one per learner and school) with its history (:class:`LearnerProfileVersion`,
  one row per saved edit) and the learner's choices whether guardians see their profile, goals and
  reflections (the school's :class:`PersonalizationPolicy` sets the age from which the learner chooses,
  and what is always shared).
- Voice and choice: :class:`ChoiceBoard` (an objective in a class, with ways to learn and ways to show
  learning as :class:`ChoiceOption`) and the learner's :class:`Choice`; :class:`Proposal` (a learner's own
  objective or activity, accepted, adjusted with a comment, or declined with a reason).
- :class:`SavedResource`: the learner's library.
- :class:`Goal` with :class:`GoalStep`, :class:`Reflection` and :class:`GoalComment`;
  :class:`ConfidenceRating` is a self-assessment compared with the evidence (calibration).
- The learning network: :class:`NetworkConnection` (an invitation the other side accepts),
  :class:`HelpRequest` (peer help, with both sides' consent) and :class:`HelpMessage` (reportable).
- :class:`ClassProgression`: a class set to competency-based progression.

Every table carries ``school`` (tenancy); free text has a length limit here and in the forms.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency, Resource
from tessera.schools.models import SchoolClass, TenantModel

SHORT_TEXT = 200
LONG_TEXT = 2000
USER = settings.AUTH_USER_MODEL


def submission_token() -> models.UUIDField[Any, Any]:
    """The one-time token of the form that created the row (unique per learner, null for rows made
    without a form and for rows older than the token): a form sent twice stores one row."""
    return models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("The one-time token of the form that created it: a double submit stores it once."),
    )


class LearningPreference(models.TextChoices):
    """How I learn best (several may be chosen)."""

    WORKED_EXAMPLES_FIRST = "worked_examples_first", _("Worked examples first")
    VIDEO = "video", _("Watching videos")
    READING = "reading", _("Reading")
    HANDS_ON = "hands_on", _("Hands-on, trying things")
    WORKSHEETS = "worksheets", _("Worksheets and exercises")
    ALONE = "alone", _("Working alone")
    WITH_OTHERS = "with_others", _("Working with others")


class PersonalizationPolicy(TenantModel):
    """A school's rules for what guardians are told.

    - What is **always shared** with a learner's guardians, whatever the learner's age or choice: the
      ``always_share_*`` flags (practice progress, assessment grades, support sessions, teacher feedback).
      Support sessions are off by default: a support plan says whether families hear of them.
    - From ``learner_chooses_sharing_from_age`` on, the learner decides whether guardians see their
      profile, goals and reflections (:class:`LearnerProfile`); below it the school shares them.

    Messages to a guardian are always theirs to read. The one place that combines these rules is
    :func:`tessera.personalization.permissions.topics_shared_with_guardians`.
    """

    learner_chooses_sharing_from_age = models.PositiveSmallIntegerField(
        default=13, help_text=_("From this age the learner chooses what their family sees of their own work.")
    )
    always_share_practice = models.BooleanField(
        default=True, help_text=_("Practice progress: competencies mastered.")
    )
    always_share_assessment = models.BooleanField(default=True, help_text=_("Assessment grades."))
    always_share_support = models.BooleanField(
        default=False,
        help_text=_("Support sessions logged by specialists and para-professionals (none are recorded yet)."),
    )
    always_share_feedback = models.BooleanField(
        default=True, help_text=_("Teachers' feedback on assessments.")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school"], name="personalization_policy_once")]

    def __str__(self) -> str:
        return f"personalization policy of {self.school_id}"


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


class SavedResource(TenantModel):
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "learner", "resource"], name="saved_resource_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} saved {self.resource_id}"


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


class ConfidenceRating(TenantModel):
    """How sure the learner says they are about a competency (1 not yet … 4 I could teach it)."""

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    confidence = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=1) & Q(confidence__lte=4), name="confidence_one_to_four"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} rates {self.competency_id}: {self.confidence}"


class NetworkConnection(TenantModel):
    """A person in a learner's learning network: invited by one side, accepted by the other."""

    class Kind(models.TextChoices):
        PEER = "peer", _("Peer")
        TEACHER = "teacher", _("Teacher")
        MENTOR = "mentor", _("Mentor")
        OTHER = "other", _("Other staff")

    class Status(models.TextChoices):
        PENDING = "pending", _("Invited")
        ACCEPTED = "accepted", _("In the network")
        DECLINED = "declined", _("Declined")

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "learner", "member"], name="network_connection_once"),
            models.CheckConstraint(condition=~Q(learner=models.F("member")), name="network_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in the network of {self.learner_id}"


class HelpRequest(TenantModel):
    """A learner stuck on a competency asks a peer who mastered it. The peer consents by accepting."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Asked")
        ACCEPTED = "accepted", _("Helping")
        DECLINED = "declined", _("Declined")
        CLOSED = "closed", _("Closed")

    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    question = models.TextField(max_length=LONG_TEXT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKED)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(learner=models.F("helper")), name="help_not_self")]

    def __str__(self) -> str:
        return f"{self.learner_id} asks {self.helper_id} about {self.competency_id}"


class HelpMessage(TenantModel):
    """One message of a help conversation; visible to the school's staff per policy, and reportable."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=LONG_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)
    reported_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(null=True, blank=True)
    report_reason = models.CharField(max_length=SHORT_TEXT, blank=True, default="")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message in help request {self.request_id}"


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


class _SchoolFromOwner(models.QuerySet[Any]):
    """The rows of a many-to-many's through model that carries ``school_id``: rows that the many-to-many
    manager creates (``goal.competencies.set(...)`` / ``.add(...)`` bulk-create them through
    ``_default_manager.using(db)``, without ``save()``) take the school of the row that owns them (the
    through model's ``school_from`` field), so callers need no ``through_defaults``."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        owner_field = self.model.school_from
        missing = {getattr(o, f"{owner_field}_id") for o in objs if o.school_id is None}
        if missing:
            owner = self.model._meta.get_field(owner_field).related_model
            schools = dict(owner._default_manager.filter(pk__in=missing).values_list("pk", "school_id"))
            for o in objs:
                if o.school_id is None:
                    o.school_id = schools[getattr(o, f"{owner_field}_id")]
        return super().bulk_create(objs, *args, **kwargs)


class GoalCompetency(TenantModel):
    """A competency a goal is about (the through row of ``Goal.competencies``, with the goal's school)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")

    school_from = "goal"
    objects = _SchoolFromOwner.as_manager()

    class Meta:
        # The table Django created for the many-to-many before it had a through model (rows kept).
        db_table = "personalization_goal_competencies"
        constraints = [
            models.UniqueConstraint(fields=["school", "goal", "competency"], name="goal_competency_once")
        ]

    def __str__(self) -> str:
        return f"goal {self.goal_id}: competency {self.competency_id}"


class ClassProgressionCompetency(TenantModel):
    """A competency of a class's sequence (the through row of ``ClassProgression.competencies``)."""

    progression = models.ForeignKey(
        ClassProgression, on_delete=models.CASCADE, db_column="classprogression_id"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")

    school_from = "progression"
    objects = _SchoolFromOwner.as_manager()

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
