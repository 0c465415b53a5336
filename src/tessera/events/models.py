"""The event log: one row per fact a producer records, in the transaction of the change it reports.

An :class:`Event` is about one learner in one school (its *stream*). Recording one first locks the
stream's :class:`EventStream` row, so the events of one learner get ids in commit order, as the family
feed's outbox does (see :mod:`tessera.family.feed.models`). Across learners ids still commit out of order, so
consumers relayed by the worker do not follow a bare "last id" cursor (it would skip an id that commits
after a higher one): each gets a :class:`RelayDelivery` row per event, written in the same transaction,
and marks it delivered in the transaction of its handler's effect (Saleor's event deliveries).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tessera.schools.models import TenantModel


class Event(TenantModel):
    """One fact: ``kind`` names it (``<app>.<fact>``, declared by the producer in its ``events.py``),
    ``payload`` holds the producer's typed fields, ``learner`` is whom it is about."""

    id = models.BigAutoField(primary_key=True)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who made the change; empty for the learner's own practice or the system."),
    )
    kind = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(default=timezone.now)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["school", "learner", "id"], name="event_stream")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.learner_id} ({self.pk})"


class EventStream(TenantModel):
    """One row per learner and school with events: the lock that orders their events."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "learner"], name="event_stream_once")]

    def __str__(self) -> str:
        return f"events of {self.learner_id} in {self.school_id}"


class RelayDelivery(TenantModel):
    """An event waiting for (or delivered to) one consumer that the background worker relays."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    consumer = models.CharField(max_length=80)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "consumer"], name="relay_delivery_once"),
        ]
        indexes = [models.Index(fields=["consumer", "delivered_at", "event"], name="relay_pending")]

    def __str__(self) -> str:
        return f"{self.event_id} to {self.consumer}"
