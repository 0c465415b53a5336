"""The background worker for one machine (``make run``): runs queued tasks, relays the event log to its
relayed consumers (:func:`tessera.events.relay.relay_all`) and, every ``DIGEST_CHECK_SECONDS``, does the
periodic chores: enqueues the weekly digests that are due, ends the practice sessions left idle (so their
evidence counts) and removes evaluation files whose upload rolled back.

django-tasks runs tasks but schedules nothing, so this loop is the scheduler too. Each turn it calls
:func:`tessera.family.notifications.tasks.digests_due` when the check is due, then lets django-tasks-db's
own worker (the ``Worker`` of its ``db_worker`` command, in batch mode) run every ready task, then sleeps
``--interval`` seconds. Ctrl-C or SIGTERM stops it after the task it is running, as ``db_worker`` does.
In production run it as a service as it is, or run ``db_worker`` and ``send_digests`` from cron instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from tessera.events.relay import relay_all
from tessera.family.notifications.tasks import digests_due
from tessera.individualization.services import orphaned_attachments_remove
from tessera.practice.services import idle_sessions_end

logger = logging.getLogger(__name__)


CHORES: tuple[tuple[str, Callable[[], int]], ...] = (
    ("Enqueued %d weekly digest(s)", lambda: len(digests_due())),
    ("Ended %d idle practice session(s)", idle_sessions_end),
    ("Removed %d orphaned evaluation file(s)", orphaned_attachments_remove),
)


def chores() -> None:
    """Each periodic chore in turn; one that fails (a locked or unreachable database) is logged and tried
    again at the next check, and does not stop the others."""
    for done, chore in CHORES:
        try:
            count = chore()
        except Exception:
            logger.exception("A periodic chore failed (%s)", done)
        else:
            if count:
                logger.info(done, count)


class Command(BaseCommand):
    help = "Run queued background tasks, and the periodic chores every DIGEST_CHECK_SECONDS (Ctrl-C stops)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when no task is ready (default 1)."
        )
        parser.add_argument("--once", action="store_true", help="One turn, then stop (for cron and tests).")

    def handle(self, *args: Any, **options: Any) -> None:
        # The batch worker says "starting" and "no more tasks" every turn: keep its warnings only (task
        # starts, ends and failures are logged by django_tasks, which stays at the configured level).
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        every = settings.DIGEST_CHECK_SECONDS
        self.stdout.write(f"Background worker: queued tasks as they come, periodic chores every {every:g} s.")
        next_check = 0.0
        while worker.running:
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + every
                chores()
            try:
                relayed = relay_all()
            except Exception:  # the database is away: the deliveries wait for the next turn
                logger.exception("Relaying the event log failed")
            else:
                if relayed:
                    logger.info("Relayed %d event(s)", relayed)
            worker.run()
            if options["once"]:
                break
            if worker.running:
                time.sleep(options["interval"])
