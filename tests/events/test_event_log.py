"""The event log's three ways of consuming a fact, as a user of each would notice them:

- in the producer's transaction: the family feed's row exists exactly when the answer does;
- on commit: a live announcement is never made for a change that rolled back;
- relayed by the background worker: a consumer stopped mid-batch resumes where it stopped, and each event's
  effect happens once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from tessera.events.log import (
    Mode,
    Subscription,
    event_record,
    fact_of,
    subscription_add,
    subscription_remove,
)
from tessera.events.models import Event, RelayDelivery
from tessera.events.relay import relay_run
from tessera.family.feed.services import feed_event_record
from tessera.family.models import FeedEvent
from tessera.practice.events import CompetencyMastered
from tessera.schools.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def mastered(world: Any, number: int = 1) -> Event:
    return event_record(
        school=world.a.school, learner=world.a.learner, fact=CompetencyMastered(number, f"Skill {number}", 3)
    )


@pytest.fixture
def consumer() -> Iterator[list[Subscription]]:
    """Subscribe test consumers for one test (the registry is the process's)."""
    added: list[Subscription] = []
    yield added
    for subscription in added:
        subscription_remove(subscription.consumer)


def add(added: list[Subscription], subscription: Subscription) -> Subscription:
    subscription_add(subscription)
    added.append(subscription)
    return subscription


def test_a_fact_is_refused_outside_the_transaction_of_its_change(world: Any) -> None:
    with pytest.raises(DomainError, match="inside the transaction"):
        mastered(world)
    assert not Event.objects.exists()


def test_an_in_transaction_consumers_rows_vanish_with_a_rolled_back_write(world: Any) -> None:
    with pytest.raises(Boom), transaction.atomic():
        mastered(world)
        assert FeedEvent.objects.filter(kind="competency_mastered").count() == 1  # the feed saw it...
        raise Boom("the answer failed after the fact was recorded")
    assert not Event.objects.exists() and not FeedEvent.objects.exists()  # ...and it is gone with it
    with transaction.atomic():
        event = mastered(world)
    feed = FeedEvent.objects.get()
    assert fact_of(event) == CompetencyMastered(1, "Skill 1", 3)
    assert (feed.kind, feed.topic, feed.payload["competency"]) == (
        "competency_mastered",
        "practice",
        "Skill 1",
    )


def test_an_on_commit_consumer_hears_only_of_committed_facts(
    world: Any, consumer: list[Subscription]
) -> None:
    heard: list[int] = []
    add(
        consumer,
        Subscription(
            "test.live",
            frozenset({CompetencyMastered.kind}),
            Mode.ON_COMMIT,
            lambda e: heard.append(e.payload["competency_id"]),
        ),
    )
    with pytest.raises(Boom), transaction.atomic():
        mastered(world, 1)
        raise Boom
    assert heard == []
    with transaction.atomic():
        mastered(world, 2)
        assert heard == [], "not before the commit"
    assert heard == [2]


def test_a_relayed_consumer_resumes_where_it_stopped_and_each_effect_happens_once(
    world: Any, consumer: list[Subscription]
) -> None:
    fail_on = {3}

    def export(event: Event) -> None:
        # An effect in the database (here a feed row naming the event), then possibly a failure after it.
        feed_event_record(
            school=event.school, learner=event.learner, kind="teacher_feedback", payload={"relayed": event.pk}
        )
        if event.payload["competency_id"] in fail_on:
            raise Boom("the other system is down")

    relay = add(
        consumer, Subscription("test.export", frozenset({CompetencyMastered.kind}), Mode.RELAY, export)
    )
    for number in range(1, 6):
        with transaction.atomic():
            mastered(world, number)
    assert RelayDelivery.objects.filter(consumer="test.export", delivered_at__isnull=True).count() == 5

    assert relay_run(relay) == 2  # stops at the third: its effect rolled back, its failure recorded
    failed = RelayDelivery.objects.get(consumer="test.export", event__payload__competency_id=3)
    assert (
        failed.delivered_at is None and failed.attempts == 1 and "other system is down" in failed.last_error
    )

    fail_on.clear()
    call_command("run_worker", "--once", "--interval", "0")  # the real worker's turn relays the rest
    assert not RelayDelivery.objects.filter(consumer="test.export", delivered_at__isnull=True).exists()
    relayed = [row.payload["relayed"] for row in FeedEvent.objects.filter(kind="teacher_feedback")]
    events = list(Event.objects.filter(kind=CompetencyMastered.kind).values_list("pk", flat=True))
    assert sorted(relayed) == sorted(events), "each event's effect exactly once, in spite of the failure"
    assert relay_run(relay) == 0, "nothing is delivered twice"
