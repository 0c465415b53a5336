"""The background worker for one machine (``make run``): runs queued tasks and, every
``DIGEST_CHECK_SECONDS``, enqueues the digests that are due.

django-tasks runs tasks but schedules nothing, so this loop is the scheduler too: each turn it calls
:func:`tessera.family.tasks.digests_due` when the check is due, then django-tasks-db's own ``db_worker
--batch`` (which runs every ready task and returns), then sleeps ``--interval`` seconds. In production
you can run it as is, or run ``db_worker`` and put ``send_digests`` in cron instead (see the README).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tessera.family.tasks import digests_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run queued background tasks and enqueue due digests every DIGEST_CHECK_SECONDS (Ctrl-C stops)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when no task is ready (default 1)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = settings.DIGEST_CHECK_SECONDS
        self.stdout.write(f"Worker running: tasks as they come, due digests every {every:g} s.")
        next_check = 0.0
        while True:
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + every
                try:
                    enqueued = digests_due()
                except Exception:  # a locked or unreachable database: log it and try at the next check
                    logger.exception("Checking for due digests failed")
                else:
                    if enqueued:
                        logger.info("Enqueued %d digest(s)", len(enqueued))
            call_command(
                "db_worker",
                batch=True,
                startup_delay=False,
                reload=False,
                interval=0,
                verbosity=options["verbosity"],
            )
            time.sleep(options["interval"])
