"""Record facts and subscribe to them: the public face of the event log.

A producer declares each kind of fact it records as a frozen dataclass in its own ``events.py``, decorated
with :func:`event_kind` (the name is ``<app>.<fact>``; the fields are the payload), and records one with
:func:`event_record` inside the transaction of the change, which refuses to run outside one. A consumer
subscribes in its own module (imported by its ``AppConfig.ready``) with :func:`subscribe`, in one of three
modes:

- ``IN_TRANSACTION``: called inside the producer's transaction, so its rows commit or roll back with the
  change (the family feed's rows, an audit log);
- ``ON_COMMIT``: called once the change has committed, never for a rolled-back one (live fan-out);
- ``RELAY``: a :class:`~tessera.events.models.RelayDelivery` row is written with the event, and the
  background worker calls the handler later (:mod:`tessera.events.relay`), retried until it succeeds, at
  least once; the delivery is marked in the handler's own transaction, so database effects happen once.

Ideas taken: Zulip's ``send_event_on_commit`` (nothing is announced that did not commit), Open edX's
``openedx-events`` (typed event data declared by the producer, receivers in the consumer), Saleor's webhook
deliveries (a durable row per consumer, retried by a worker).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from django.db import transaction
from django.utils import timezone

from tessera.events.models import Event, EventStream, RelayDelivery
from tessera.schools.errors import DomainError
from tessera.schools.models import School, User


class Fact:
    """Base of a producer's declared fact; subclasses are frozen dataclasses with a ``kind``."""

    kind: ClassVar[str]


F = TypeVar("F", bound=type[Fact])
_KINDS: dict[str, type[Fact]] = {}


def event_kind(cls: F) -> F:
    """Declare a kind of fact (a frozen dataclass subclassing :class:`Fact`); its ``kind`` is its name."""
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:
        raise TypeError(f"{cls.__name__} must be a frozen dataclass to be an event kind")
    if cls.kind in _KINDS and _KINDS[cls.kind] is not cls:
        raise TypeError(f"event kind {cls.kind!r} is declared twice")
    _KINDS[cls.kind] = cls
    return cls


def fact_of(event: Event) -> Fact:
    """The typed fact behind a stored event."""
    return _KINDS[event.kind](**event.payload)


class Mode(enum.Enum):
    IN_TRANSACTION = "in_transaction"
    ON_COMMIT = "on_commit"
    RELAY = "relay"


Handler = Callable[[Event], None]


@dataclass(frozen=True)
class Subscription:
    consumer: str
    kinds: frozenset[str]
    mode: Mode
    handler: Handler


_SUBSCRIPTIONS: dict[str, Subscription] = {}


def subscribe(*facts: type[Fact], consumer: str, mode: Mode) -> Callable[[Handler], Handler]:
    """Register the decorated function as ``consumer``'s handler of ``facts``, called in ``mode``."""

    def register(handler: Handler) -> Handler:
        subscription_add(Subscription(consumer, frozenset(fact.kind for fact in facts), mode, handler))
        return handler

    return register


def subscription_add(subscription: Subscription) -> None:
    if subscription.consumer in _SUBSCRIPTIONS:
        raise ValueError(f"consumer {subscription.consumer!r} is already subscribed")
    _SUBSCRIPTIONS[subscription.consumer] = subscription


def subscription_remove(consumer: str) -> None:
    _SUBSCRIPTIONS.pop(consumer, None)


def subscriptions(mode: Mode | None = None) -> list[Subscription]:
    return [s for s in _SUBSCRIPTIONS.values() if mode is None or s.mode == mode]


def event_record(
    *, school: School, learner: User, fact: Fact, actor: User | None = None, at: datetime | None = None
) -> Event:
    """Record ``fact`` about ``learner`` in ``school``, in the caller's transaction, and hand it to its
    subscribers. ``at`` is when it happened (generated history passes it); the clock otherwise.

    Raises :class:`DomainError` outside a transaction (a fact must commit or roll back with its change) or
    for an undeclared kind: programmer errors, so their messages stay in English (codes
    ``events.outside_transaction``, ``events.undeclared_kind``).
    """
    if not transaction.get_connection().in_atomic_block:
        raise DomainError(
            "event_record must run inside the transaction of the change it reports.",
            code="events.outside_transaction",
        )
    if _KINDS.get(fact.kind) is not type(fact):
        raise DomainError(f"“{fact.kind}” is not a declared event kind.", code="events.undeclared_kind")
    stream, _ = EventStream.objects.select_for_update().get_or_create(school=school, learner=learner)
    payload: dict[str, Any] = dataclasses.asdict(fact)  # type: ignore[call-overload]
    event = Event.objects.create(
        school=school,
        learner=learner,
        actor=actor,
        kind=fact.kind,
        payload=payload,
        occurred_at=at or timezone.now(),
    )
    stream.last_event_id = event.pk
    stream.save(update_fields=["last_event_id"])
    for subscription in subscriptions():
        if fact.kind in subscription.kinds:
            _hand_over(subscription, event)
    return event


def _hand_over(subscription: Subscription, event: Event) -> None:
    if subscription.mode is Mode.IN_TRANSACTION:
        subscription.handler(event)
    elif subscription.mode is Mode.ON_COMMIT:
        handler = subscription.handler
        transaction.on_commit(lambda: handler(event))
    else:
        RelayDelivery.objects.create(school_id=event.school_id, event=event, consumer=subscription.consumer)
