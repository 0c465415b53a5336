"""Load the demo school, its maths framework and weeks of its learners' practice (idempotent), then print
every demo login with its role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tessera.demo.curriculum import demo_framework_load
from tessera.demo.differentiation import demo_groups_load
from tessera.demo.family import demo_family_load
from tessera.demo.individualization import demo_plan_load
from tessera.demo.personalization import demo_personalization_load
from tessera.demo.practice_history import HistoryReport, demo_history_load
from tessera.demo.question_bank import demo_question_bank_load
from tessera.demo.school import DEMO_PASSWORD, demo_logins, demo_school_load
from tessera.schools.errors import DomainError


class Command(BaseCommand):
    help = "Create the demo school if it does not exist yet, then print its logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the list of logins.")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Skip the learners' weeks of practice history (and the learner model fit it needs).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            school, created = demo_school_load()
            with transaction.atomic():
                framework, framework_created = demo_framework_load(school=school)
                demo_personalization_load(school=school, framework=framework)
            history = None if options["no_history"] else demo_history_load(school=school, framework=framework)
            grouping = demo_groups_load(school=school)
            plan = demo_plan_load(school=school)
            questions = demo_question_bank_load(school=school, framework=framework)
            notes = demo_family_load(school=school)
        except DomainError as error:
            raise CommandError(
                f"Could not load the demo school, so nothing was changed: {error.message} "
                "The demo school needs its own usernames (admin, t.garcia, …); load it into a fresh database."
            ) from error
        verb = "Created" if created else "Already loaded:"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo school “{school.name}”."))
        verb = "Created" if framework_created else "Already loaded:"
        self.stdout.write(self.style.SUCCESS(f"{verb} maths framework “{framework.name}”."))
        if history is not None:
            self.stdout.write(self.style.SUCCESS(_history_line(history)))
        if grouping is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created flexible groups in {grouping.school_class.name} for “{grouping.objective}”, "
                    "with a tiered task per group, roles and feedback."
                )
            )
        if plan is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created a signed support plan for {plan.learner.name}, with an evaluation, a team "
                    "meeting and four weeks of logged one-on-one support."
                )
            )
        if questions:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {questions} questions with maths and a resource page by the maths teacher."
                )
            )
        if notes:
            self.stdout.write(
                self.style.SUCCESS(f"Created a school announcement and {notes} teachers' notes to guardians.")
            )
        if options["quiet_logins"]:
            return
        logins = demo_logins(school)
        self.stdout.write(f"\nDemo logins ({len(logins)}); every password is: {DEMO_PASSWORD}\n")
        width = max(len(login.username) for login in logins)
        for login in logins:
            detail = f"  {login.detail}" if login.detail else ""
            self.stdout.write(f"  {login.username:<{width}}  {login.role}{detail}")


def _history_line(history: HistoryReport) -> str:
    if not history.created:
        return f"Already loaded: practice history ({history.answers} answers of {history.learners} learners)."
    return (
        f"Created practice history: {history.answers} answers in {history.sessions} sessions of "
        f"{history.learners} learners over the last school weeks ({history.seconds:.1f} s)."
    )
