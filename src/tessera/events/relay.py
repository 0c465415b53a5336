"""The background worker's side of the event log: hand pending deliveries to relayed consumers.

Each delivery is handled in its own transaction together with marking it delivered, so a handler's
database effects happen exactly once even when the worker stops mid-batch (the next run starts at the first
pending delivery); effects outside the database (an export to another system) happen at least once, so
such handlers must be idempotent (the event id is a natural key). A failing handler is retried on later
runs, in order: a consumer's deliveries wait behind its oldest pending one, up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tessera.events.log import Mode, Subscription, subscriptions
from tessera.events.models import RelayDelivery

MAX_ATTEMPTS = 10
logger = logging.getLogger(__name__)


def relay_run(subscription: Subscription, *, batch: int = 100) -> int:
    """Deliver up to ``batch`` pending events to one relayed consumer, oldest first; how many were
    delivered. Stops at the first failure (recorded on its delivery, retried on the next run)."""
    pending = list(
        RelayDelivery.objects.filter(
            consumer=subscription.consumer, delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        .order_by("event_id")
        .values_list("pk", flat=True)[:batch]
    )
    delivered = 0
    for delivery_id in pending:
        try:
            with transaction.atomic():
                delivery = (
                    RelayDelivery.objects.select_for_update()
                    .select_related("event")
                    .get(pk=delivery_id, delivered_at__isnull=True)
                )
                subscription.handler(delivery.event)
                delivery.delivered_at = timezone.now()
                delivery.attempts += 1
                delivery.save(update_fields=["delivered_at", "attempts"])
        except RelayDelivery.DoesNotExist:
            continue  # another worker delivered it meanwhile
        except Exception as error:
            logger.exception("Relaying event to %s failed", subscription.consumer)
            RelayDelivery.objects.filter(pk=delivery_id).update(
                attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            break
        delivered += 1
    return delivered


def relay_all(*, batch: int = 100) -> int:
    """One pass over every relayed consumer (the worker calls it each turn); how many were delivered."""
    return sum(relay_run(subscription, batch=batch) for subscription in subscriptions(Mode.RELAY))
