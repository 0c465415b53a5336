"""The family feed's outbox: one row per thing a guardian is told about their child.

A :class:`FeedEvent` is written by :func:`tessera.family.feed.services.feed_event_record` in the same
transaction as the change it reports, so an event exists exactly when the change does (a rolled back
answer leaves no event). Its id is the server-sent event id: a stream sends the events of one learner in
one school in id order and remembers the last id it sent.

Ids come from the database's sequence, which hands them out in insert order, not commit order: two
transactions for the same child could commit out of order, and a stream that had already sent the later id
would skip the earlier one. :class:`FeedStream` prevents that: recording an event first locks the child's
row (``SELECT ... FOR UPDATE``), so the events of one learner in one school are inserted and committed one
transaction after the other, and their ids grow in commit order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tessera.events.topics import Topic
from tessera.schools.models import TenantModel


class FeedEvent(TenantModel):
    """One thing to tell the child's guardians, with who may read it.

    ``topic`` says what the event reveals (practice, goals, assessment…); whether a child's guardians see
    a topic is decided when the feed is read (:func:`tessera.personalization.sharing.permissions.
    topics_shared_with_guardians`), so a learner who stops sharing their goals also hides the goal events
    already recorded. ``guardian`` is set for an event meant for one guardian only (a message in their
    conversation); empty, it is for every guardian of the child.
    """

    Topic = Topic  # the sharing vocabulary lives beside the event log (tessera.events.topics)

    class Kind(models.TextChoices):
        COMPETENCY_MASTERED = "competency_mastered", _("Competency mastered")
        MASTERY_LOST = "mastery_lost", _("Mastery to practise again")
        GOAL_REACHED = "goal_reached", _("Goal reached")
        ASSESSMENT_GRADED = "assessment_graded", _("Assessment graded")
        TEACHER_FEEDBACK = "teacher_feedback", _("Teacher feedback")
        SUPPORT_SESSION = "support_session", _("Support session")
        MESSAGE_RECEIVED = "message_received", _("Message received")

    id = models.BigAutoField(primary_key=True)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only this guardian sees the event; empty: every guardian of the child."),
    )
    payload = models.JSONField(default=dict, help_text=_("What the plain-language sentence needs."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["school", "learner", "id"], name="feed_event_stream")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.learner_id} ({self.pk})"


class FeedStream(TenantModel):
    """One row per learner and school with events: the lock that orders their events (see above)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "learner"], name="feed_stream_once")]

    def __str__(self) -> str:
        return f"feed of {self.learner_id} in {self.school_id}"
