"""Every read of the family feed, already limited to what the guardian may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tessera.family.models import FeedEvent
from tessera.family.permissions import feeds_visible_to
from tessera.schools.models import Guardianship, School, User

FEED_BATCH = 200  # events read per query when catching up


@dataclass(frozen=True)
class FeedItem:
    """One event as a guardian reads it."""

    id: int
    kind: str
    text: str
    link: str
    at: datetime.datetime

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "link": self.link,
            "at": self.at.isoformat(),
        }


def _zone(school: School) -> ZoneInfo:
    try:
        return ZoneInfo(school.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


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
    when = _when(event.created_at, _zone(event.school), now or timezone.now())
    values = {"name": name, "when": when, **{k: v for k, v in p.items() if isinstance(v, str | int | float)}}
    kind = event.kind
    if kind == FeedEvent.Kind.COMPETENCY_MASTERED:
        answers = int(p.get("answers", 0))
        if answers == 1:
            return _("%(name)s mastered %(competency)s %(when)s after 1 practice question") % values
        return _("%(name)s mastered %(competency)s %(when)s after %(answers)s practice questions") % values
    if kind == FeedEvent.Kind.GOAL_REACHED:
        return _("%(name)s reached their goal “%(goal)s” %(when)s") % values
    if kind == FeedEvent.Kind.ASSESSMENT_GRADED:
        return _("%(assessment)s of %(name)s was graded %(when)s: %(grade)s") % values
    if kind == FeedEvent.Kind.TEACHER_FEEDBACK:
        return _("%(teacher)s wrote feedback for %(name)s %(when)s") % values
    if kind == FeedEvent.Kind.SUPPORT_SESSION:
        return _("%(name)s had a support session %(when)s") % values
    if kind == FeedEvent.Kind.MESSAGE_RECEIVED:
        return _("New message from %(sender)s about %(name)s %(when)s") % values
    return _("Something new for %(name)s %(when)s") % values


def child_page_url(school_id: int, learner_id: int) -> str:
    return reverse("family-child", kwargs={"school_id": school_id, "learner_id": learner_id})


def feed_item(event: FeedEvent, *, now: datetime.datetime | None = None) -> FeedItem:
    try:
        text = event_sentence(event, now=now)
    except (KeyError, ValueError, TypeError):  # a payload without what its sentence needs
        text = _("Something new for %(name)s") % {"name": event.learner.first_name or event.learner.name}
    link = f"{child_page_url(event.school_id, event.learner_id)}#event-{event.pk}"
    return FeedItem(event.pk, event.kind, text, link, event.created_at)


def _events(school_id: int, learner_id: int):  # type: ignore[no-untyped-def]
    return FeedEvent.objects.filter(school_id=school_id, learner_id=learner_id).select_related(
        "learner", "school"
    )


def feed_recent(
    *, school_id: int, learner_id: int, now: datetime.datetime | None = None
) -> tuple[list[FeedItem], int]:
    """The recent window, oldest first, and the cursor to follow it from: at most
    ``FAMILY_FEED_RECENT_EVENTS`` events of the last ``FAMILY_FEED_RECENT_DAYS`` days, and the newest id
    of the child's events (0 when none). What a stream sends first without a (valid) ``Last-Event-ID``;
    everything after the cursor is new."""
    now = now or timezone.now()
    cursor = (
        FeedEvent.objects.filter(school_id=school_id, learner_id=learner_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0
    since = now - datetime.timedelta(days=settings.FAMILY_FEED_RECENT_DAYS)
    newest = _events(school_id, learner_id).filter(created_at__gte=since, id__lte=cursor).order_by("-id")
    events = list(newest[: settings.FAMILY_FEED_RECENT_EVENTS])
    return [feed_item(e, now=now) for e in reversed(events)], cursor


def feed_after(*, school_id: int, learner_id: int, after_id: int, limit: int = FEED_BATCH) -> list[FeedItem]:
    """Events after ``after_id``, oldest first (at most ``limit``; ask again after the last)."""
    events = _events(school_id, learner_id).filter(id__gt=after_id).order_by("id")[:limit]
    now = timezone.now()
    return [feed_item(e, now=now) for e in events]


@dataclass(frozen=True)
class ChildFeed:
    """A child in one school, their recent events and the cursor a live stream continues from."""

    guardianship: Guardianship
    items: list[FeedItem]
    cursor: int


def children_of(user: User) -> list[ChildFeed]:
    """Each child the user is a current guardian of, per school, with its recent events."""
    links = feeds_visible_to(user).select_related("learner", "school").order_by("learner__first_name", "pk")
    return [ChildFeed(g, *feed_recent(school_id=g.school_id, learner_id=g.learner_id)) for g in links]


def child_of(user: User, *, school_id: int, learner_id: int) -> ChildFeed | None:
    link = (
        feeds_visible_to(user)
        .filter(school_id=school_id, learner_id=learner_id)
        .select_related("learner", "school")
        .first()
    )
    if link is None:
        return None
    return ChildFeed(link, *feed_recent(school_id=school_id, learner_id=learner_id))
