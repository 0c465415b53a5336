"""Background sending of weekly digests (django-tasks), and the scheduler that decides who is due.

django-tasks has no periodic scheduler: :func:`digests_due` runs from the ``send_digests`` management
command (cron in production) or every ``DIGEST_CHECK_SECONDS`` from ``run_worker`` (``make run``), and
enqueues one :func:`digest_send` per due guardian. Sending is idempotent: a :class:`DigestDelivery` row
per guardian and week is written in the transaction that sets ``last_digest_at`` and sends the e-mail, so
a retried task or a second scheduler run sends nothing more. If the mail server refuses the message, the
transaction rolls back and the next run tries again.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from tessera.family.notifications.digest import digest_build, digest_email
from tessera.family.notifications.models import DigestDelivery, GuardianNotificationSettings
from tessera.family.notifications.selectors import in_quiet_hours, zone_of

MIN_DAYS_BETWEEN_DIGESTS = 6


def scheduled_moment(row: GuardianNotificationSettings, now: datetime.datetime) -> datetime.datetime:
    """The latest moment at or before ``now`` with the guardian's digest weekday and hour, in their zone."""
    zone = zone_of(row)
    local = now.astimezone(zone)
    day = local.date() - datetime.timedelta(days=(local.isoweekday() - row.digest_weekday) % 7)
    moment = datetime.datetime.combine(day, datetime.time(row.digest_hour), tzinfo=zone)
    if moment > local:
        moment = datetime.datetime.combine(
            day - datetime.timedelta(days=7), datetime.time(row.digest_hour), tzinfo=zone
        )
    return moment


def week_key(moment: datetime.datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def _weekly_guardians() -> QuerySet[GuardianNotificationSettings]:
    """Settings of active guardians with an e-mail address and a current guardianship who chose e-mail."""
    return (
        GuardianNotificationSettings.objects.filter(
            delivery=GuardianNotificationSettings.Delivery.WEEKLY_EMAIL,
            guardian__is_active=True,
            guardian__guardianships__revoked_at__isnull=True,
        )
        .exclude(guardian__email="")
        .distinct()
    )


def digests_due(now: datetime.datetime | None = None) -> list[int]:
    """Enqueue :func:`digest_send` for every guardian whose digest is due at ``now``; their ids.

    Due: their local weekday and hour has come since they chose the e-mail, their last digest (if any) is at
    least ``MIN_DAYS_BETWEEN_DIGESTS`` days before that moment, and it is not
    their quiet hours (a digest due inside them waits until they end: a later run sends it)."""
    now = now or timezone.now()
    enqueued = []
    for row in _weekly_guardians():
        moment = scheduled_moment(row, now)
        if row.weekly_since is not None and moment < row.weekly_since:
            continue
        last = row.last_digest_at
        # Measured from this week's moment, not from now: a digest never comes late on another day (after
        # a change of day, the first new day that is far enough from the last digest is the next one).
        if last is not None and moment - last < datetime.timedelta(MIN_DAYS_BETWEEN_DIGESTS):
            continue
        if in_quiet_hours(row, now):
            continue
        key = week_key(moment)
        if DigestDelivery.objects.filter(guardian_id=row.guardian_id, week_key=key).exists():
            continue
        digest_send.enqueue(row.guardian_id, key)
        enqueued.append(row.guardian_id)
    return enqueued


@task()
def digest_send(guardian_id: int, week_key: str) -> bool:
    """Send one guardian's digest for ``week_key`` unless it was sent already; whether it was sent now.

    Checks again what may have changed since it was enqueued: the guardian may have switched back to
    the app only, lost their e-mail address or their children, or entered quiet hours (then nothing is
    recorded, and the scheduler enqueues it again after them)."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            GuardianNotificationSettings.objects.select_for_update(of=("self",))
            .filter(pk__in=_weekly_guardians().filter(guardian_id=guardian_id).values("pk"))
            .select_related("guardian")
            .first()
        )
        if row is None or in_quiet_hours(row, now):
            return False
        if DigestDelivery.objects.filter(guardian_id=guardian_id, week_key=week_key).exists():
            return False
        digest = digest_build(guardian=row.guardian, until=now)
        DigestDelivery.objects.create(
            guardian_id=guardian_id, week_key=week_key, sent_at=now, children=len(digest.children)
        )
        row.last_digest_at = now
        row.save(update_fields=["last_digest_at"])
        digest_email(digest).send()
    return True
