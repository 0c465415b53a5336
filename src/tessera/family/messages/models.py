"""Messages between a guardian and a teacher of their child, with read receipts, and school announcements.

A :class:`Conversation` is about one child in one school, between one guardian and one teacher. Who may
still use it is decided on every request (:mod:`tessera.family.messages.selectors`): a revoked
guardianship or a teacher who no longer teaches the child loses access, the rows stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tessera.schools.models import TenantModel

MESSAGE_MAX_LENGTH = 2000


class Conversation(TenantModel):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "learner", "guardian", "teacher"], name="conversation_once"
            )
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} about {self.learner_id}"


class Message(TenantModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    token = models.CharField(
        max_length=64, help_text=_("The form's one-time token: a double submit stores the message once.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True, help_text=_("When the other side first read it."))

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "sender", "token"], name="message_token_once"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE_MAX_LENGTH), name="message_body_length"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "read_at"], name="message_unread")]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"


class Announcement(TenantModel):
    """A school administrator's announcement to the whole school (``school_class`` empty) or one class."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"], name="announcement_recent")]

    def __str__(self) -> str:
        return self.title
