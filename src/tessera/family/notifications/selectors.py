"""Reads of a guardian's notification settings, and the quiet-hours rule."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from tessera.family.notifications.models import GuardianNotificationSettings
from tessera.family.permissions import feeds_visible_to
from tessera.schools.models import User


def default_timezone(guardian: User) -> str:
    """The time zone of the school of the guardian's first child, else ``settings.TIME_ZONE``."""
    first = feeds_visible_to(guardian).select_related("school").order_by("pk").first()
    return first.school.timezone if first is not None else settings.TIME_ZONE


def notification_settings_of(guardian: User) -> GuardianNotificationSettings:
    """The guardian's saved settings, or the defaults (unsaved: reading writes nothing)."""
    row = GuardianNotificationSettings.objects.filter(guardian=guardian).first()
    return row or GuardianNotificationSettings(guardian=guardian, timezone=default_timezone(guardian))


def zone_of(row: GuardianNotificationSettings) -> ZoneInfo:
    try:
        return ZoneInfo(row.timezone)
    except (ZoneInfoNotFoundError, ValueError):  # saved before a zone was removed from tzdata
        return ZoneInfo("UTC")


def in_quiet_hours(row: GuardianNotificationSettings, now: datetime.datetime) -> bool:
    """Whether ``now`` falls in the guardian's quiet hours, in their time zone. The window includes its
    start and excludes its end; one whose start is after its end crosses midnight (21:00-07:00).
    Nothing Tessera e-mails a guardian goes out inside it."""
    window = row.quiet_hours
    if window is None:
        return False
    start, end = window
    local = now.astimezone(zone_of(row)).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


def timezone_choices(guardian: User) -> list[str]:
    """Suggestions for the time zone field: the zones of the guardian's schools, then UTC."""
    zones = feeds_visible_to(guardian).values_list("school__timezone", flat=True).distinct()
    return [*sorted(set(zones) - {"UTC"}), "UTC"]
