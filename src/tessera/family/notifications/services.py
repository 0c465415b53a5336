"""Every write of a guardian's notification settings: keyword-only, transactional, raising domain errors."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction
from django.utils.timezone import now as current_time
from django.utils.translation import gettext as _

from tessera.family.notifications.models import GuardianNotificationSettings
from tessera.family.permissions import feeds_visible_to
from tessera.schools.errors import DomainError
from tessera.schools.models import User

Delivery = GuardianNotificationSettings.Delivery


def timezone_check(name: str) -> str:
    """The IANA time zone name, stripped, or :class:`DomainError`."""
    name = (name or "").strip()
    if name not in zoneinfo.available_timezones():
        raise DomainError(
            _("“%(name)s” is not a time zone we know; use a name such as Europe/Madrid or UTC.")
            % {"name": name},
            code="family.unknown_time_zone",
        )
    return name


@transaction.atomic
def notification_settings_update(
    *,
    guardian: User,
    delivery: str,
    weekday: int,
    hour: int,
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    timezone: str,
) -> GuardianNotificationSettings:
    """Save how ``guardian`` hears about their children; the row is created on the first save.

    Refuses (:class:`DomainError`, nothing saved) anyone without a current guardianship, the weekly
    e-mail without an e-mail address, an unknown delivery, weekday, hour or time zone, and quiet hours
    with only one end or with equal ends (an empty or a whole-day window)."""
    if not feeds_visible_to(guardian).exists():
        raise DomainError(
            _("Notification settings are for guardians of a child."), code="family.not_a_guardian"
        )
    if delivery not in Delivery.values:
        raise DomainError(
            _("“%(delivery)s” is not a way to be notified; choose the app only or the weekly e-mail.")
            % {"delivery": delivery},
            code="family.unknown_delivery",
        )
    if delivery == Delivery.WEEKLY_EMAIL and not (guardian.email or "").strip():
        raise DomainError(
            _(
                "Add an e-mail address first: ask your child's school to add it to your account, then choose "
                "the weekly e-mail."
            ),
            code="family.email_missing",
        )
    if weekday not in GuardianNotificationSettings.Weekday.values:
        raise DomainError(
            _("The weekday must be a number from 1 (Monday) to 7 (Sunday)."), code="family.invalid_weekday"
        )
    if not 0 <= hour <= 23:
        raise DomainError(_("The hour must be from 0 to 23."), code="family.invalid_hour")
    if (quiet_start is None) != (quiet_end is None):
        raise DomainError(
            _("Give quiet hours both a start and an end, or leave both empty."),
            code="family.quiet_hours_incomplete",
        )
    if quiet_start is not None and quiet_start == quiet_end:
        raise DomainError(
            _("Quiet hours must start and end at different times."), code="family.quiet_hours_empty"
        )
    zone = timezone_check(timezone)
    now = current_time()
    row, _created = GuardianNotificationSettings.objects.select_for_update().get_or_create(
        guardian=guardian, defaults={"timezone": zone}
    )
    if delivery == Delivery.WEEKLY_EMAIL and row.delivery != Delivery.WEEKLY_EMAIL:
        row.weekly_since = now
    elif delivery == Delivery.IN_APP:
        row.weekly_since = None
    row.delivery = delivery
    row.digest_weekday = weekday
    row.digest_hour = hour
    row.quiet_start = quiet_start
    row.quiet_end = quiet_end
    row.timezone = zone
    row.updated_at = now
    row.save()
    return row
