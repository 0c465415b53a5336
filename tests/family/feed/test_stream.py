"""The live feed over server-sent events: who may follow it, replay after Last-Event-ID, live events,
exactly once across a reconnect, heartbeats, and a revoked guardianship ending the stream.

The streams are read through Django's async test client inside ``async_to_sync``: the view's database
work (``sync_to_async``) then runs in the test's thread, and events are committed for real
(``transaction=True``) so that ``on_commit`` announces them as in production.
"""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient, Client
from django.utils import timezone

from tessera.family.feed.stream import parse_last_event_id
from tessera.family.models import FeedEvent
from tessera.personalization.sharing.models import PersonalizationPolicy
from tessera.schools import services as school_services
from tessera.schools.models import Guardianship, Membership
from tests.family.conftest import SSEReader, commit_events, open_feed

pytestmark = pytest.mark.django_db(transaction=True)


def stream_url(school: Any, learner: Any) -> str:
    return f"/family/feed/{school.pk}/{learner.pk}/stream"


def _get(user: Any, url: str) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(url)


@pytest.fixture
def two_schools(world: Any) -> Any:
    """School A's learner also attends school B, where ``b.guardian`` is their guardian."""
    b = world.b
    Membership.objects.create(school=b.school, user=world.a.learner, role=Membership.Role.LEARNER)
    school_services.guardian_link(actor=None, school=b.school, guardian=b.guardian, learner=world.a.learner)
    return world


# ------------------------------------------------------------------------------------------ permissions


def test_only_a_current_guardian_of_the_child_in_that_school_may_follow_the_feed(two_schools: Any) -> None:
    a, b = two_schools.a, two_schools.b
    commit_events(a.school, a.learner, 1)
    url_a = stream_url(a.school, a.learner)
    assert _get(a.guardian, url_a).status_code == 200
    assert _get(a.guardian, url_a)["Content-Type"].startswith("text/event-stream")
    # Another child's id, a child of another school, and the same child through another school's link.
    assert _get(a.guardian, stream_url(a.school, a.other_learner)).status_code == 404
    assert _get(a.guardian, stream_url(b.school, b.learner)).status_code == 404
    assert _get(a.guardian, stream_url(b.school, a.learner)).status_code == 404
    assert _get(b.guardian, url_a).status_code == 404
    assert _get(b.guardian, stream_url(b.school, a.learner)).status_code == 200
    for person in (a.teacher, a.admin, a.learner, a.other_learner, a.specialist, two_schools.outsider):
        assert _get(person, url_a).status_code == 404, person
    assert _get(None, url_a).status_code == 302  # to the sign-in page


def test_a_former_guardian_gets_404(world: Any) -> None:
    a = world.a
    Guardianship.objects.filter(guardian=a.guardian).update(revoked_at=timezone.now())
    assert _get(a.guardian, stream_url(a.school, a.learner)).status_code == 404


def test_no_event_of_another_child_or_school_leaks_into_a_feed(
    two_schools: Any, fast_heartbeat: float
) -> None:
    a, b = two_schools.a, two_schools.b
    mine = commit_events(a.school, a.learner, 2)
    commit_events(a.school, a.other_learner, 2)
    commit_events(b.school, a.learner, 2)  # the same child, in school B

    @async_to_sync
    async def run() -> list[int]:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        seen = [e.id for e in await feed.until_keep_alive()]
        await feed.close()
        return seen  # type: ignore[return-value]

    assert run() == mine


def test_revoking_the_guardianship_ends_an_open_stream(world: Any, fast_heartbeat: float) -> None:
    a = world.a

    @async_to_sync
    async def run() -> None:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        await feed.until_keep_alive()
        await sync_to_async(
            lambda: Guardianship.objects.filter(guardian=a.guardian).update(revoked_at=timezone.now())
        )()
        await sync_to_async(commit_events)(a.school, a.learner, 1)
        while (block := await feed.block(timeout=5)) is not None:
            assert block.id is None, "an event was sent after the guardianship was revoked"

    run()


# -------------------------------------------------------------------------------- replay and live events


def test_exactly_the_missed_events_after_a_reconnect_with_last_event_id(
    world: Any, fast_heartbeat: float
) -> None:
    """Drop the connection, commit events, reconnect with Last-Event-ID: exactly the missed ones, once."""
    a = world.a
    before = commit_events(a.school, a.learner, 2)

    @async_to_sync
    async def run() -> None:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        assert [e.id for e in await feed.events(2)] == before  # the recent window
        live = await sync_to_async(commit_events)(a.school, a.learner, 1, start=3)
        assert [e.id for e in await feed.events(1)] == live
        await feed.close()  # the connection drops

        missed = await sync_to_async(commit_events)(a.school, a.learner, 3, start=4)

        _, feed = await open_feed(a.guardian, a.school, a.learner, last_event_id=str(live[0]))
        assert feed is not None
        replayed = await feed.events(3)
        assert [e.id for e in replayed] == missed
        assert [e.data["text"] for e in replayed if e.data] == [
            f"Learner mastered Competency {n} today after {n} practice questions" for n in (4, 5, 6)
        ]
        later = await sync_to_async(commit_events)(a.school, a.learner, 1, start=7)
        assert [e.id for e in await feed.events(1)] == later
        assert await feed.until_keep_alive() == [], "nothing is sent twice"
        await feed.close()

    run()


def test_the_query_parameter_works_like_the_header(world: Any, fast_heartbeat: float) -> None:
    a = world.a
    ids = commit_events(a.school, a.learner, 3)

    @async_to_sync
    async def run() -> list[int]:
        _, feed = await open_feed(a.guardian, a.school, a.learner, str(ids[0]), query=True)
        assert feed is not None
        seen = [e.id for e in await feed.until_keep_alive()]
        await feed.close()
        return seen  # type: ignore[return-value]

    assert run() == ids[1:]


def test_a_live_event_arrives_through_the_notification_not_the_heartbeat(
    world: Any, slow_heartbeat: float
) -> None:
    a = world.a

    @async_to_sync
    async def run() -> None:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        assert (await feed.block()).raw.startswith("retry:")  # type: ignore[union-attr]
        ids = await sync_to_async(commit_events)(a.school, a.learner, 2)
        assert [e.id for e in await feed.events(2, timeout=5)] == ids
        await feed.close()

    run()


def test_the_guardian_stays_signed_in_after_following_a_feed(world: Any, fast_heartbeat: float) -> None:
    """An open stream lets go of its request's session and user (see family_feed_stream): that must not
    sign the guardian out, nor change what the next page of the same browser shows."""
    a = world.a
    ids = commit_events(a.school, a.learner, 2)

    @async_to_sync
    async def run() -> None:
        client = AsyncClient()
        await client.aforce_login(a.guardian, backend="django.contrib.auth.backends.ModelBackend")
        response = await client.get(stream_url(a.school, a.learner), headers={"Last-Event-ID": "0"})
        feed = SSEReader(response)
        assert [e.id for e in await feed.until_keep_alive()] == ids
        later = await sync_to_async(commit_events)(a.school, a.learner, 1, start=3)
        assert [e.id for e in await feed.events(1)] == later  # still streaming after a heartbeat
        home = await client.get("/family/")
        await feed.close()
        assert home.status_code == 200
        assert a.learner.first_name in home.content.decode()

    run()


@pytest.mark.parametrize("malformed", ["abc", "-3", "1.5", "", "   ", "9" * 40, "12abc"])
def test_a_malformed_last_event_id_gets_the_recent_window(
    world: Any, fast_heartbeat: float, malformed: str
) -> None:
    a = world.a
    old = commit_events(a.school, a.learner, 2)
    FeedEvent.objects.filter(pk__in=old).update(created_at=timezone.now() - datetime.timedelta(days=8))
    recent = commit_events(a.school, a.learner, 3, start=3)

    @async_to_sync
    async def run() -> tuple[int, list[int]]:
        status, feed = await open_feed(a.guardian, a.school, a.learner, malformed)
        assert feed is not None
        seen = [e.id for e in await feed.until_keep_alive()]
        await feed.close()
        return status, seen

    status, seen = run()
    assert status == 200
    assert seen == recent, "the last 7 days, oldest first; older events are not replayed"


def test_the_recent_window_is_at_most_the_last_50_events(
    world: Any, fast_heartbeat: float, settings: Any
) -> None:
    a = world.a
    settings.FAMILY_FEED_RECENT_EVENTS = 5
    ids = commit_events(a.school, a.learner, 8)

    @async_to_sync
    async def run() -> list[int]:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        seen = [e.id for e in await feed.until_keep_alive()]
        await feed.close()
        return seen  # type: ignore[return-value]

    assert run() == ids[-5:]


def test_each_event_has_an_id_and_json_data_with_text_and_link(world: Any, fast_heartbeat: float) -> None:
    a = world.a
    (event_id,) = commit_events(a.school, a.learner, 1)

    @async_to_sync
    async def run() -> Any:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        (event,) = await feed.events(1)
        await feed.close()
        return event

    event = run()
    assert event.id == event_id
    assert event.data["id"] == event_id
    assert event.data["kind"] == "competency_mastered"
    assert event.data["text"] == "Learner mastered Competency 1 today after 1 practice question"
    assert event.data["link"] == f"/family/{a.school.pk}/{a.learner.pk}/#event-{event_id}"
    assert "id: " in event.raw and "data: " in event.raw


def test_parse_last_event_id() -> None:
    assert parse_last_event_id("42") == 42
    assert parse_last_event_id(" 42 ") == 42
    for bad in (None, "", "x", "-1", "4.2", "9" * 19):
        assert parse_last_event_id(bad) is None


def test_a_lost_notification_delays_an_event_to_the_next_heartbeat_but_never_loses_it(
    world: Any, fast_heartbeat: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tessera.family.feed import fanout

    a = world.a
    monkeypatch.setattr(fanout, "publish", lambda school_id, learner_id: None)  # every notification lost

    @async_to_sync
    async def run() -> None:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        await feed.block()
        ids = await sync_to_async(commit_events)(a.school, a.learner, 2)
        assert [e.id for e in await feed.events(2, timeout=5)] == ids
        await feed.close()

    run()


def test_the_streams_of_one_child_share_one_read_per_notification(
    world: Any, slow_heartbeat: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tessera.family.feed import stream

    a = world.a
    school_services.guardian_link(actor=None, school=a.school, guardian=a.other_teacher, learner=a.learner)
    reads: list[int] = []
    real_read = stream._snapshot_read

    def counted(**kwargs: Any) -> Any:
        reads.append(kwargs["after_id"])
        return real_read(**kwargs)

    monkeypatch.setattr(stream, "_snapshot_read", counted)

    @async_to_sync
    async def run() -> None:
        feeds = [
            (await open_feed(person, a.school, a.learner))[1] for person in (a.guardian, a.other_teacher)
        ]
        waiting = [asyncio.ensure_future(feed.events(1)) for feed in feeds if feed is not None]
        await asyncio.sleep(0.5)  # both streams have replayed (nothing) and wait for notifications
        ids = await sync_to_async(commit_events)(a.school, a.learner, 1)
        for received in await asyncio.gather(*waiting):
            assert [e.id for e in received] == ids
        for feed in feeds:
            await feed.close()  # type: ignore[union-attr]

    run()
    assert len(reads) == 1, reads


# ------------------------------------------------------------------------------- who is told what


def _commit(school: Any, learner: Any, kind: str, payload: dict[str, Any], **audience: Any) -> int:
    from django.db import transaction

    from tessera.family.feed.services import feed_event_record

    with transaction.atomic():
        return feed_event_record(school=school, learner=learner, kind=kind, payload=payload, **audience).pk


def test_a_message_event_reaches_only_the_guardian_it_was_written_to(
    world: Any, fast_heartbeat: float
) -> None:
    a = world.a
    school_services.guardian_link(actor=None, school=a.school, guardian=a.other_teacher, learner=a.learner)
    second = a.other_teacher  # a second guardian of the same child, not in the conversation

    @async_to_sync
    async def run() -> None:
        first_feed = (await open_feed(a.guardian, a.school, a.learner))[1]
        second_feed = (await open_feed(second, a.school, a.learner))[1]
        assert first_feed is not None and second_feed is not None
        await first_feed.until_keep_alive()
        await second_feed.until_keep_alive()
        message = await sync_to_async(_commit)(
            a.school, a.learner, "message_received", {"sender": "Ms T"}, guardian=a.guardian
        )
        mastered = await sync_to_async(commit_events)(a.school, a.learner, 1)
        assert [e.id for e in await first_feed.events(2)] == [message, *mastered]
        assert [e.id for e in await second_feed.events(1)] == mastered
        assert await second_feed.until_keep_alive() == []
        for feed in (first_feed, second_feed):
            await feed.close()
        for last_event_id in ("0", None):  # nor on a replay, nor in the recent window
            _, feed = await open_feed(second, a.school, a.learner, last_event_id)
            assert feed is not None
            assert [e.id for e in await feed.until_keep_alive()] == mastered
            await feed.close()

    run()


def test_a_goal_event_is_sent_only_while_the_learner_shares_their_goals(
    world: Any, fast_heartbeat: float
) -> None:
    from tessera.personalization.profile import services as profile_services

    a = world.a
    PersonalizationPolicy.objects.create(
        school=a.school, learner_chooses_sharing_from_age=12
    )  # a.learner: 12

    def goal_reached(title: str) -> int:
        return _commit(a.school, a.learner, "goal_reached", {"goal": title})

    def share_goals(share: bool) -> None:
        profile_services.profile_sharing_set(
            learner=a.learner, school=a.school, profile=False, goals=share, reflections=False
        )

    @async_to_sync
    async def run() -> None:
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        await feed.until_keep_alive()
        hidden = await sync_to_async(goal_reached)("Private goal")
        mastered = await sync_to_async(commit_events)(a.school, a.learner, 1)
        assert [e.id for e in await feed.events(1)] == mastered  # past the hidden one
        await sync_to_async(share_goals)(True)
        shared = await sync_to_async(goal_reached)("Shared goal")
        (event,) = await feed.events(1)
        assert event.id == shared and event.data is not None
        assert event.data["text"] == "Learner reached their goal “Shared goal” today"
        assert await feed.until_keep_alive() == [], "the hidden event is not sent later"
        await feed.close()

        # Read again from the start: what is shared now, also for the past (sharing is applied on read).
        _, feed = await open_feed(a.guardian, a.school, a.learner, last_event_id="0")
        assert feed is not None
        assert [e.id for e in await feed.until_keep_alive()] == [hidden, *mastered, shared]
        await feed.close()
        await sync_to_async(share_goals)(False)
        _, feed = await open_feed(a.guardian, a.school, a.learner)
        assert feed is not None
        assert [e.id for e in await feed.until_keep_alive()] == mastered
        await feed.close()

    run()


def test_the_cursor_moves_past_a_full_batch_of_hidden_events(
    world: Any, fast_heartbeat: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tessera.family.feed import selectors

    a = world.a
    monkeypatch.setitem(selectors.feed_after.__kwdefaults__, "limit", 3)  # type: ignore[index]
    PersonalizationPolicy.objects.create(school=a.school, always_share_practice=False)
    commit_events(a.school, a.learner, 7)  # practice: not shared by this school
    goal = _commit(a.school, a.learner, "goal_reached", {"goal": "Shared by the school (a.learner is 12)"})

    @async_to_sync
    async def run() -> list[int]:
        _, feed = await open_feed(a.guardian, a.school, a.learner, last_event_id="0")
        assert feed is not None
        seen = [e.id for e in await feed.until_keep_alive()]
        await feed.close()
        return seen  # type: ignore[return-value]

    assert run() == [goal]


def test_a_last_event_id_above_every_event_replays_from_the_start(world: Any, fast_heartbeat: float) -> None:
    """After a database restore the ids a browser remembers can be ahead of the table's: the reconnect
    gets everything the guardian may read of the child, not silence until the ids catch up."""
    a = world.a
    ids = commit_events(a.school, a.learner, 3)
    ahead = FeedEvent.objects.order_by("-id").values_list("id", flat=True).first() + 1000  # type: ignore[operator]

    @async_to_sync
    async def run() -> list[int]:
        for query in (False, True):  # the header and the query parameter
            _, feed = await open_feed(a.guardian, a.school, a.learner, str(ahead), query=query)
            assert feed is not None
            seen = [e.id for e in await feed.until_keep_alive()]
            await feed.close()
            assert seen == ids, query
        return seen  # type: ignore[return-value]

    run()
