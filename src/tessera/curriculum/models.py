"""Competency frameworks: a tree (framework → domain → competency), a prerequisite graph, items and
resources.

Shared frameworks: a framework with ``school`` NULL is shared. Every signed-in member of any school may
read it; no school may change it (only the platform, through ``manage.py import_framework --shared``).
A school's own framework has ``school`` set. Every row below a framework repeats the framework's
``school`` (NULL for shared ones), like :class:`tessera.schools.models.TenantModel`, so tenant filters and
a later sharding key work on every table; the import service is the one writer and keeps them equal.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tessera.schools.models import School

CODE_LENGTH = 64
NAME_LENGTH = 200
TEXT_LENGTH = 4000


def content_version_first() -> int:
    """A new framework's first content version: random, so a framework that gets the id of one deleted or
    rolled back (a restored backup, a test database) does not get its version too, nor its cached bank."""
    return secrets.randbelow(2**40)


class FrameworkOwned(models.Model):
    """Base for every curriculum table: the owning school, NULL for a shared framework."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        abstract = True


class Framework(FrameworkOwned):
    code = models.SlugField(max_length=CODE_LENGTH)
    name = models.CharField(max_length=NAME_LENGTH)
    description = models.TextField(blank=True, default="", max_length=TEXT_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    content_version = models.PositiveBigIntegerField(
        default=content_version_first,
        help_text=_(
            "Changes whenever its competencies, prerequisites or items change: the item bank each server "
            "process keeps in memory (tessera.curriculum.bank) is reloaded when it does."
        ),
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"], condition=Q(school__isnull=False), name="framework_code_per_school"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(school__isnull=True), name="shared_framework_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shared(self) -> bool:
        return self.school_id is None


class Domain(FrameworkOwned):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(max_length=CODE_LENGTH)
    name = models.CharField(max_length=NAME_LENGTH)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_code_per_framework"),
        ]

    def __str__(self) -> str:
        return self.name


class Competency(FrameworkOwned):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(max_length=CODE_LENGTH)
    name = models.CharField(max_length=NAME_LENGTH)
    description = models.TextField(blank=True, default="", max_length=TEXT_LENGTH)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["domain__position", "position", "pk"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_code_per_framework"),
        ]

    def __str__(self) -> str:
        return self.name


class Prerequisite(FrameworkOwned):
    """``prerequisite`` comes before ``competency``. Both belong to ``framework``; no cycles (checked by
    the services, since a database constraint cannot see a path)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="prerequisites")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="prerequisite_links")
    prerequisite = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="unlocks_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competency", "prerequisite"], name="prerequisite_once"),
            models.CheckConstraint(condition=~Q(competency=F("prerequisite")), name="prerequisite_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.prerequisite} before {self.competency}"


class Item(FrameworkOwned):
    """A question that assesses one or more competencies. The correct answer is for staff only."""

    class Kind(models.TextChoices):
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        MULTIPLE_SELECTION = "multiple_selection", _("Multiple selection")
        NUMERIC = "numeric", _("Numeric")
        SHORT_TEXT = "short_text", _("Short text")
        OPEN_RESPONSE = "open_response", _("Open response (marked with a rubric)")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=CODE_LENGTH)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    stem = models.TextField(max_length=TEXT_LENGTH, help_text=_("Markdown, with maths between \\( and \\)."))
    choices = models.JSONField(
        default=list, blank=True, help_text=_("Multiple choice and selection: the options.")
    )
    correct_choice = models.PositiveSmallIntegerField(null=True, blank=True)
    correct_choices = models.JSONField(
        default=list, blank=True, help_text=_("Multiple selection: the options to select (their numbers).")
    )
    rubric = models.TextField(
        blank=True,
        default="",
        max_length=TEXT_LENGTH,
        help_text=_("Open response: what a full answer shows."),
    )
    language = models.CharField(max_length=10, default="en")
    tags = models.JSONField(default=list, blank=True)
    # Versions: an item with answers is never changed in place; saving it makes a new row (version + 1, same
    # ``lineage``) and marks this one superseded, so every answer keeps the version it answered.
    lineage = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("The first version (null on the first version itself)."),
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1)
    superseded_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True, help_text=_("Hidden from practice; kept."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    numeric_answer = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(default=0)
    accepted_answers = models.JSONField(default=list, blank=True, help_text=_("Short text answers."))
    hints = models.JSONField(default=list, blank=True, help_text=_("Shown one at a time, in order."))
    feedback = models.TextField(blank=True, default="", max_length=TEXT_LENGTH)
    difficulty = models.FloatField(default=0, help_text=_("On the logit scale: 0 is average, +2 is hard."))
    competencies: models.ManyToManyField[Competency, ItemCompetency] = models.ManyToManyField(
        Competency, through="ItemCompetency", related_name="items"
    )

    class Meta:
        ordering = ["framework", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=Q(superseded_at__isnull=True),
                name="item_code_per_framework",
            ),
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="item_tolerance_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="multiple_choice") | Q(correct_choice__isnull=False),
                name="item_choice_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(numeric_answer__isnull=False), name="item_numeric_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def first_version_id(self) -> int:
        return self.lineage_id or self.pk

    @property
    def offered(self) -> bool:
        """Whether practice may choose it: the current version, not retired, marked by the machine."""
        return self.superseded_at is None and self.retired_at is None and self.kind != self.Kind.OPEN_RESPONSE

    def spec(self) -> dict[str, object]:
        """What :func:`tessera.curriculum.answers.answer_check` needs."""
        if self.kind == self.Kind.MULTIPLE_CHOICE:
            return {"kind": self.kind, "choices": self.choices, "answer": self.correct_choice}
        if self.kind == self.Kind.MULTIPLE_SELECTION:
            return {"kind": self.kind, "choices": self.choices, "answer": self.correct_choices}
        if self.kind == self.Kind.OPEN_RESPONSE:
            return {"kind": self.kind}
        if self.kind == self.Kind.NUMERIC:
            return {"kind": self.kind, "answer": self.numeric_answer, "tolerance": self.tolerance}
        return {"kind": self.kind, "accepted": self.accepted_answers}


class ItemCompetency(FrameworkOwned):
    item = models.ForeignKey(Item, on_delete=models.CASCADE)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE)
    primary = models.BooleanField(default=False, help_text=_("The competency the item mainly assesses."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "competency"], name="item_competency_once")]

    def __str__(self) -> str:
        return f"{self.item} assesses {self.competency}"


class Resource(FrameworkOwned):
    class Kind(models.TextChoices):
        READING = "reading", _("Reading")
        VIDEO = "video", _("Video")
        INTERACTIVE = "interactive", _("Interactive")
        WORKSHEET = "worksheet", _("Worksheet")

    class Form(models.TextChoices):
        LINK = "link", _("A link")
        FILE = "file", _("A file")
        PAGE = "page", _("A page written here")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="resources")
    code = models.CharField(max_length=CODE_LENGTH)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=NAME_LENGTH)
    form = models.CharField(max_length=10, choices=Form.choices, default=Form.LINK)
    url = models.URLField(max_length=500, blank=True, default="")
    file = models.ForeignKey(
        "CurriculumFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(
        blank=True, default="", max_length=TEXT_LENGTH * 5, help_text=_("Markdown, maths.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    media_type = models.CharField(max_length=100, blank=True, default="")
    reading_level = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("A grade, 0 to 13."))
    interest_topics = models.JSONField(default=list, blank=True)
    competencies: models.ManyToManyField[Competency, ResourceCompetency] = models.ManyToManyField(
        Competency, through="ResourceCompetency", related_name="resources"
    )

    class Meta:
        ordering = ["framework", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="resource_code_per_framework"),
            models.CheckConstraint(
                condition=Q(reading_level__isnull=True) | Q(reading_level__lte=13),
                name="resource_reading_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ResourceCompetency(FrameworkOwned):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "competency"], name="resource_competency_once")
        ]

    def __str__(self) -> str:
        return f"{self.resource} teaches {self.competency}"


class CurriculumFile(models.Model):
    """An image or document a school's staff uploaded for its items and resources: checked by its content,
    kept outside the web root under a random name, served only to those who may see the school's
    curriculum (``curriculum-file``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE)
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(max_length=NAME_LENGTH)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
