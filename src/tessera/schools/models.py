"""Schools (tenants), people and the memberships that give them roles.

Every tenant-owned table carries ``school`` (``school_id``): it is the distribution key of a sharded
PostgreSQL (Citus) later, and every permission filter starts from it. Users are global: one person can
be a teacher in one school and the guardian of a child in another.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who can sign in. Roles come from memberships, never from flags on the user."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # The language of the pages this person sees; blank follows the browser's Accept-Language.
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES
    )

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


class School(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    timezone = models.CharField(max_length=60, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        """The school's time zone (UTC when the stored name is not a known zone): school days, streaks and
        "today" are counted in it."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class TenantModel(models.Model):
    """Base for every table owned by one school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE)

    class Meta:
        abstract = True


class AcademicTerm(TenantModel):
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="term_name_unique_per_school"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(TenantModel):
    """A class (section) of learners taught by one or more teachers during a term."""

    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=80)
    grade_level = models.PositiveSmallIntegerField()
    term = models.ForeignKey(AcademicTerm, on_delete=models.PROTECT, related_name="classes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grade_level", "name"]
        verbose_name_plural = "school classes"
        constraints = [
            models.UniqueConstraint(fields=["school", "term", "name"], name="class_name_unique_per_term"),
            models.CheckConstraint(condition=Q(grade_level__lte=13), name="class_grade_level_k_to_13"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """A person's role in a school. One person may hold several roles (several rows)."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("School administrator")
        TEACHER = "teacher", _("Teacher")
        LEARNER = "learner", _("Learner")
        SPECIALIST = "specialist", _("Specialist")
        PARA_PROFESSIONAL = "para_professional", _("Para-professional")
        MENTOR = "mentor", _("Mentor")

    class Specialty(models.TextChoices):
        NONE = "", _("None")
        SPECIAL_EDUCATOR = "special_educator", _("Special educator")
        THERAPIST = "therapist", _("Therapist")
        PSYCHOLOGIST = "psychologist", _("Psychologist")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    specialty = models.CharField(max_length=20, choices=Specialty.choices, blank=True, default="")
    grade_level = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Learners only."))
    sourced_id = models.CharField(
        max_length=64, blank=True, default="", help_text=_("The person's id in the roster file it came from.")
    )
    approved_at = models.DateTimeField(null=True, blank=True, help_text=_("Mentors only: when approved."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user", "role"], name="one_membership_per_role"),
            models.CheckConstraint(
                condition=Q(role="specialist") | Q(specialty=""), name="specialty_only_for_specialists"
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.school}"


class TeachingAssignment(TenantModel):
    class Kind(models.TextChoices):
        LEAD = "lead", _("Lead teacher")
        CO = "co", _("Co-teacher")

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="teaching")
    teacher = models.ForeignKey(User, on_delete=models.CASCADE, related_name="teaching")
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.LEAD)
    # When the teaching ended (the row stays, for the record); assigning the teacher again makes a new row.
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "teacher"],
                condition=Q(ended_at__isnull=True),
                name="teacher_once_per_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} teaches {self.school_class} ({self.kind})"


class Enrolment(TenantModel):
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["learner__last_name", "learner__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school_class", "learner"], name="learner_once_per_class"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.school_class}"


class Guardianship(TenantModel):
    """A guardian's link to a learner of this school. A guardian may have children in several schools."""

    class Relationship(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Legal guardian")
        RELATIVE = "relative", _("Relative")
        OTHER = "other", _("Other")

    guardian = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardianships")
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardians_links")
    relationship = models.CharField(max_length=10, choices=Relationship.choices, default=Relationship.PARENT)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "guardian", "learner"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_guardianship",
            ),
            models.CheckConstraint(
                condition=~Q(guardian=models.F("learner")), name="guardian_is_not_learner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} is {self.get_relationship_display().lower()} of {self.learner}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SupportAssignment(TenantModel):
    """A specialist, para-professional or mentor who works with one particular learner."""

    class Role(models.TextChoices):
        SPECIALIST = "specialist", _("Specialist")
        PARA_PROFESSIONAL = "para_professional", _("Para-professional")
        MENTOR = "mentor", _("Mentor")

    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="support_assignments")
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="supporters")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "staff", "learner", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_active_support_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} supports {self.learner} ({self.role})"


class GuardianInvitation(TenantModel):
    """A single-use, expiring code that lets a guardian create an account linked to a learner.

    Only a hash of the code is stored, so a database leak does not leak usable codes.
    """

    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_invitations")
    email = models.EmailField()
    relationship = models.CharField(
        max_length=10, choices=Guardianship.Relationship.choices, default=Guardianship.Relationship.PARENT
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.learner}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class AuditEntry(TenantModel):
    """Who did what to whose account, and when: sign-in changes and access that ends or resumes.

    Written by the services that make those changes, in the same transaction; never edited.
    """

    class Action(models.TextChoices):
        PASSWORD_SET = "password_set", _("Set a learner's password")
        SIGN_IN_CARD = "sign_in_card", _("Printed a sign-in card")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Deactivated an account")
        ACCOUNT_REACTIVATED = "account_reactivated", _("Reactivated an account")
        TEACHING_ENDED = "teaching_ended", _("Ended a teaching assignment")
        SUPPORT_ENDED = "support_ended", _("Ended a support assignment")
        TERM_DATES_CHANGED = "term_dates_changed", _("Changed a term's dates")

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=24, choices=Action.choices)
    subject = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    school_class = models.ForeignKey(SchoolClass, on_delete=models.SET_NULL, null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["school", "subject", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.subject} {self.detail}"


class SchoolFromOwner(models.QuerySet[Any]):
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
