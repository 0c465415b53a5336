"""How each guardian hears about their children: in the app only, or also a weekly e-mail digest.

One :class:`GuardianNotificationSettings` row per guardian (not per school: one digest covers every child
in every school), created with the defaults when the guardian first saves the form; until then
:func:`tessera.family.notifications.selectors.notification_settings_of` returns the defaults unsaved.
A :class:`DigestDelivery` row per guardian and digest week makes sending idempotent: a retried task or a
second scheduler run finds the row and sends nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class GuardianNotificationSettings(models.Model):
    class Delivery(models.TextChoices):
        IN_APP = "in_app", _("In the app only")
        WEEKLY_EMAIL = "weekly_email", _("In the app and a weekly e-mail summary")

    class Weekday(models.IntegerChoices):
        """ISO weekdays, as ``date.isoweekday()`` numbers them."""

        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")
        SUNDAY = 7, _("Sunday")

    guardian = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IN_APP)
    digest_weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.FRIDAY)
    digest_hour = models.PositiveSmallIntegerField(default=17, help_text=_("Local hour, 0-23."))
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    timezone = models.CharField(max_length=60, help_text=_("An IANA time zone, e.g. Europe/Madrid."))
    weekly_since = models.DateTimeField(
        null=True, blank=True, help_text=_("When the weekly e-mail was chosen: no digest is due before it.")
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name_plural = "guardian notification settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__in=["in_app", "weekly_email"]), name="notification_delivery_known"
            ),
            models.CheckConstraint(
                condition=Q(digest_weekday__gte=1, digest_weekday__lte=7), name="notification_weekday_range"
            ),
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="notification_hour_range"),
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | (Q(quiet_start__isnull=False, quiet_end__isnull=False) & ~Q(quiet_start=F("quiet_end"))),
                name="notification_quiet_hours_pair",
            ),
            models.CheckConstraint(
                condition=~Q(delivery="weekly_email") | Q(weekly_since__isnull=False),
                name="notification_weekly_since_set",
            ),
        ]

    def __str__(self) -> str:
        return f"notifications of {self.guardian_id}: {self.delivery}"

    @property
    def quiet_hours(self) -> tuple[datetime.time, datetime.time] | None:
        if self.quiet_start is None or self.quiet_end is None:
            return None
        return self.quiet_start, self.quiet_end


class DigestDelivery(models.Model):
    """One weekly digest sent to one guardian; ``week_key`` is the ISO week of its scheduled moment."""

    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_key = models.CharField(max_length=10, help_text=_("ISO year and week, e.g. 2026-W48."))
    sent_at = models.DateTimeField(default=now)
    children = models.PositiveSmallIntegerField(default=0, help_text=_("How many children it covered."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "week_key"], name="digest_once_a_week")]

    def __str__(self) -> str:
        return f"digest {self.week_key} to {self.guardian_id}"
