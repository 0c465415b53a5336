"""The learning network: :class:`NetworkConnection` (an invitation the other side accepts),
:class:`HelpRequest` (peer help, with both sides' consent) and :class:`HelpMessage` (reportable)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tessera.curriculum.models import Competency
from tessera.personalization.fields import LONG_TEXT, SHORT_TEXT, USER
from tessera.schools.models import TenantModel


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
