"""Every read of the family feed, already limited to what the guardian may see.

Two rules limit a child's events, both applied when the feed is read (never when it is written, so a
change of what is shared also hides, or shows again, the events already recorded):

- the event's topic must be shared with the child's guardians now
  (:func:`tessera.personalization.sharing.permissions.topics_shared_with_guardians`), the same for every
  guardian of the child, so the live streams of a child share one read (:mod:`tessera.family.feed.stream`);
- an event meant for one guardian (``FeedEvent.guardian``, e.g. a message in their conversation) is only
  theirs: :func:`for_guardian` keeps a guardian's items of such a shared read.

:func:`events_visible_to_guardian` is the one queryset with both rules, for pages and digests.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tessera.family.feed.models import FeedEvent
from tessera.family.permissions import can_follow_feed, feeds_visible_to, guardianship_of
from tessera.personalization.goals.models import Goal
from tessera.personalization.sharing import permissions as sharing
from tessera.schools.models import Guardianship, Membership, User

FEED_BATCH = 200  # events read per query when catching up


@dataclass(frozen=True)
class FeedItem:
    """One event as a guardian reads it."""

    id: int
    kind: str
    text: str
    link: str
    at: datetime.datetime
    guardian_id: int | None = None  # only for this guardian (None: every guardian of the child)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "link": self.link,
            "at": self.at.isoformat(),
        }


def _when(at: datetime.datetime, zone: ZoneInfo, now: datetime.datetime) -> str:
    day, today = at.astimezone(zone).date(), now.astimezone(zone).date()
    if day == today:
        return _("today")
    if day == today - datetime.timedelta(days=1):
        return _("yesterday")
    return _("on %(date)s") % {"date": date_format(day, "l j F")}


def event_sentence(event: FeedEvent, *, now: datetime.datetime | None = None) -> str:
    """The event as a note from the teacher, e.g. "Maya mastered Equivalent fractions today after 14
    practice questions". ``event.learner`` and ``event.school`` should be selected with it."""
    p = event.payload
    name = event.learner.first_name or event.learner.name
    when = _when(event.created_at, event.school.zone, now or timezone.now())
    values = {"name": name, "when": when, **{k: v for k, v in p.items() if isinstance(v, str | int | float)}}
    kind = event.kind
    if kind == FeedEvent.Kind.COMPETENCY_MASTERED:
        answers = int(p.get("answers", 0))
        if answers == 1:
            return _("%(name)s mastered %(competency)s %(when)s after 1 practice question") % values
        return _("%(name)s mastered %(competency)s %(when)s after %(answers)s practice questions") % values
    if kind == FeedEvent.Kind.MASTERY_LOST:
        return (
            _(
                "A review %(when)s showed %(name)s needs more practice on %(competency)s: it counts as "
                "mastered again once %(name)s shows it again"
            )
            % values
        )
    if kind == FeedEvent.Kind.GOAL_REACHED:
        return _("%(name)s reached their goal “%(goal)s” %(when)s") % values
    if kind == FeedEvent.Kind.ASSESSMENT_GRADED:
        return _("%(assessment)s of %(name)s was graded %(when)s: %(grade)s") % values
    if kind == FeedEvent.Kind.TEACHER_FEEDBACK:
        if "goal" in p:
            return _("%(teacher)s commented on the goal “%(goal)s” of %(name)s %(when)s") % values
        if "proposal" in p:
            return _("%(teacher)s answered the proposal “%(proposal)s” of %(name)s %(when)s") % values
        if "task" in p:
            return _("%(teacher)s commented on the group work “%(task)s” of %(name)s %(when)s") % values
        return _("%(teacher)s wrote feedback for %(name)s %(when)s") % values
    if kind == FeedEvent.Kind.SUPPORT_SESSION:
        return _("%(name)s had a support session %(when)s") % values
    if kind == FeedEvent.Kind.MESSAGE_RECEIVED:
        return _("New message from %(sender)s about %(name)s %(when)s") % values
    return _("Something new for %(name)s %(when)s") % values


MASTERY_KINDS = frozenset({FeedEvent.Kind.COMPETENCY_MASTERED, FeedEvent.Kind.MASTERY_LOST})


def child_page_url(school_id: int, learner_id: int) -> str:
    return reverse("family-child", kwargs={"school_id": school_id, "learner_id": learner_id})


def feed_item(event: FeedEvent, *, now: datetime.datetime | None = None) -> FeedItem:
    try:
        text = event_sentence(event, now=now)
    except (KeyError, ValueError, TypeError):  # a payload without what its sentence needs
        text = _("Something new for %(name)s") % {"name": event.learner.first_name or event.learner.name}
    return FeedItem(event.pk, event.kind, text, _event_link(event), event.created_at, event.guardian_id)


def _event_link(event: FeedEvent) -> str:
    """Where the details are: a mastered competency on the child's progress page, a message in its
    conversation, anything else at its place on the child's page."""
    competency_id = event.payload.get("competency_id")
    if event.kind in MASTERY_KINDS and isinstance(competency_id, int):
        progress = reverse(
            "family-child-progress", kwargs={"school_id": event.school_id, "learner_id": event.learner_id}
        )
        return f"{progress}#competency-{competency_id}"
    conversation_id = event.payload.get("conversation_id")
    if event.kind == FeedEvent.Kind.MESSAGE_RECEIVED and isinstance(conversation_id, int):
        return reverse("family-conversation", kwargs={"conversation_id": conversation_id})
    return f"{child_page_url(event.school_id, event.learner_id)}#event-{event.pk}"


def events_visible_to_guardian(*, guardian_id: int, school_id: int, learner_id: int) -> QuerySet[FeedEvent]:
    """The child's events this guardian may read now: none unless they are a current guardian of the
    child in that school; of a shared topic; for every guardian or for them. In id order."""
    guardian = User.objects.filter(pk=guardian_id).first()
    if guardian is None or not can_follow_feed(user=guardian, school_id=school_id, learner_id=learner_id):
        return FeedEvent.objects.none()
    topics = sharing.topics_shared_with_guardians(school_id, learner_id)
    return (
        FeedEvent.objects.filter(school_id=school_id, learner_id=learner_id, topic__in=topics)
        .filter(Q(guardian__isnull=True) | Q(guardian_id=guardian_id))
        .select_related("learner", "school")
        .order_by("id")
    )


def feed_recent(
    *, guardian_id: int, school_id: int, learner_id: int, now: datetime.datetime | None = None
) -> tuple[list[FeedItem], int]:
    """The guardian's recent window, oldest first, and the cursor to follow it from: at most
    ``FAMILY_FEED_RECENT_EVENTS`` of the events they may read of the last ``FAMILY_FEED_RECENT_DAYS``
    days, and the newest id of all the child's events (0 when none; hidden ones too, so a stream never
    reads them again). What a stream sends first without a (valid) ``Last-Event-ID``; everything after the
    cursor is new."""
    now = now or timezone.now()
    cursor = (
        FeedEvent.objects.filter(school_id=school_id, learner_id=learner_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0
    since = now - datetime.timedelta(days=settings.FAMILY_FEED_RECENT_DAYS)
    visible = events_visible_to_guardian(guardian_id=guardian_id, school_id=school_id, learner_id=learner_id)
    newest = visible.filter(created_at__gte=since, id__lte=cursor).order_by("-id")
    events = list(newest[: settings.FAMILY_FEED_RECENT_EVENTS])
    return [feed_item(e, now=now) for e in reversed(events)], cursor


def feed_resume_cursor(last_event_id: int) -> int:
    """Where a stream that reconnects with ``last_event_id`` continues: after it, unless it is above every
    event id there is (the database was restored from a backup, or the id is made up): then from the
    start, so the guardian is replayed what they may see rather than nothing until the ids catch up.
    Event ids come from one sequence for all children, so the newest of all events is the bound."""
    newest = FeedEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return last_event_id if last_event_id <= newest else 0


@dataclass(frozen=True)
class FeedPage:
    """A read of a child's events after a cursor, for all of the child's guardians at once."""

    items: list[FeedItem]  # of the topics shared now; some may be for one guardian (see for_guardian)
    cursor: int  # the last id read, hidden events included: the next read continues after it
    complete: bool  # fewer than the limit were read: nothing more for now


def feed_after(*, school_id: int, learner_id: int, after_id: int, limit: int = FEED_BATCH) -> FeedPage:
    """Events after ``after_id``, oldest first (at most ``limit`` read; ask again after ``cursor``), of the
    topics shared with the child's guardians now. Not limited to one guardian: see :func:`for_guardian`."""
    events = list(
        FeedEvent.objects.filter(school_id=school_id, learner_id=learner_id, id__gt=after_id)
        .select_related("learner", "school")
        .order_by("id")[:limit]
    )
    topics = sharing.topics_shared_with_guardians(school_id, learner_id) if events else frozenset()
    now = timezone.now()
    items = [feed_item(e, now=now) for e in events if e.topic in topics]
    cursor = events[-1].pk if events else after_id
    return FeedPage(items, cursor, len(events) < limit)


def for_guardian(items: list[FeedItem], guardian_id: int) -> list[FeedItem]:
    """The items of a child's read that are for this guardian (every guardian's, and their own)."""
    return [item for item in items if item.guardian_id in (None, guardian_id)]


@dataclass(frozen=True)
class ChildSharing:
    """What a child shares with their guardians in one school, for the child's page."""

    topics: frozenset[str]
    chooses: bool  # old enough (or birth date unknown) to choose; else the school shares
    choosing_age: int
    membership: Membership | None  # the child's learner membership: their profile and goal pages
    goals: list[Goal]

    @property
    def profile(self) -> bool:
        return sharing.PROFILE in self.topics

    @property
    def goals_shared(self) -> bool:
        return FeedEvent.Topic.GOALS in self.topics

    @property
    def reflections(self) -> bool:
        return FeedEvent.Topic.REFLECTIONS in self.topics


@dataclass(frozen=True)
class ChildFeed:
    """A child in one school, their recent events and the cursor a live stream continues from."""

    guardianship: Guardianship
    items: list[FeedItem]
    cursor: int


def _feed(user: User, link: Guardianship) -> ChildFeed:
    return ChildFeed(
        link, *feed_recent(guardian_id=user.pk, school_id=link.school_id, learner_id=link.learner_id)
    )


def children_of(user: User, *, now: datetime.datetime | None = None) -> list[ChildFeed]:
    """Each child the user is a current guardian of, per school, with its recent events (each child's
    :func:`feed_recent`, read for all children in a fixed number of queries)."""
    now = now or timezone.now()
    links = list(
        feeds_visible_to(user).select_related("learner", "school").order_by("learner__first_name", "pk")
    )
    if not links:
        return []
    children = Q()
    for link in links:
        children |= Q(school_id=link.school_id, learner_id=link.learner_id)
    cursors = {
        (row["school_id"], row["learner_id"]): row["newest"]
        for row in FeedEvent.objects.filter(children)
        .order_by()
        .values("school_id", "learner_id")
        .annotate(newest=Max("id"))
    }
    since = now - datetime.timedelta(days=settings.FAMILY_FEED_RECENT_DAYS)
    up_to_cursor = Q(pk__in=[])  # as feed_recent: nothing after the cursor the page hands to the stream
    for (school_id, learner_id), cursor in cursors.items():
        up_to_cursor |= Q(school_id=school_id, learner_id=learner_id, id__lte=cursor)
    newest = FeedEvent.objects.filter(
        events_visible_to_guardian_q(user.pk, links), up_to_cursor, created_at__gte=since
    ).annotate(
        rank=Window(RowNumber(), partition_by=[F("school_id"), F("learner_id")], order_by=F("id").desc())
    )
    events: dict[tuple[int, int], list[FeedEvent]] = {}
    for event in newest.filter(rank__lte=settings.FAMILY_FEED_RECENT_EVENTS).select_related(
        "learner", "school"
    ):
        events.setdefault((event.school_id, event.learner_id), []).append(event)
    feeds = []
    for link in links:
        key = (link.school_id, link.learner_id)
        cursor = cursors.get(key) or 0
        recent = sorted(events.get(key, []), key=lambda e: e.pk)
        feeds.append(ChildFeed(link, [feed_item(e, now=now) for e in recent], cursor))
    return feeds


def events_visible_to_guardian_q(guardian_id: int, links: list[Guardianship]) -> Q:
    """:func:`events_visible_to_guardian` for several of the guardian's current guardianships at once (the
    caller passes only current ones, e.g. from ``feeds_visible_to``): a filter of FeedEvent."""
    topics = sharing.topics_shared_with_guardians_of((g.school_id, g.learner_id) for g in links)
    shown = Q(pk__in=[])
    for link in links:
        key = (link.school_id, link.learner_id)
        shown |= Q(school_id=key[0], learner_id=key[1], topic__in=topics.get(key, frozenset()))
    return shown & (Q(guardian__isnull=True) | Q(guardian_id=guardian_id))


def child_of(user: User, *, school_id: int, learner_id: int) -> ChildFeed | None:
    link = guardianship_of(user, school_id=school_id, learner_id=learner_id)
    if link is None:
        return None
    return _feed(user, link)


def child_sharing(child: ChildFeed) -> ChildSharing:
    """What the child of ``child`` shares with their guardians now, with the goals when shared."""
    g = child.guardianship
    topics = sharing.topics_shared_with_guardians(g.school_id, g.learner_id)
    age = g.learner.age_on(timezone.localdate())
    from_age = sharing.choosing_age(g.school_id)
    membership = Membership.objects.filter(
        school_id=g.school_id, user_id=g.learner_id, role=Membership.Role.LEARNER
    ).first()
    goals = []
    if FeedEvent.Topic.GOALS in topics:
        goals = list(Goal.objects.filter(school_id=g.school_id, learner_id=g.learner_id))
    return ChildSharing(topics, age is None or age >= from_age, from_age, membership, goals)
