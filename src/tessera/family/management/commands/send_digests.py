"""Enqueue the weekly digests that are due now (run it from cron; ``run_worker`` also runs it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tessera.family.notifications.tasks import digests_due


def _aware(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--now “{value}” is not an ISO date and time, e.g. 2026-11-27T18:00+01:00."
        ) from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Enqueue a digest for every guardian whose weekly e-mail is due (the task backend sends them)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", type=_aware, default=None, help="Pretend it is this moment (ISO 8601), for testing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        enqueued = digests_due(options["now"])
        self.stdout.write(f"Enqueued {len(enqueued)} digest(s).")
