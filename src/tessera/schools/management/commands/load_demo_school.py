"""Load the demo school (idempotent) and print every demo login with its role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tessera.schools.demo import DEMO_PASSWORD, demo_logins, demo_school_load


class Command(BaseCommand):
    help = "Create the demo school if it does not exist yet, then print its logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the list of logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        school, created = demo_school_load()
        verb = "Created" if created else "Already loaded:"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo school “{school.name}”."))
        if options["quiet_logins"]:
            return
        logins = demo_logins(school)
        self.stdout.write(f"\nDemo logins ({len(logins)}); every password is: {DEMO_PASSWORD}\n")
        width = max(len(login.username) for login in logins)
        for login in logins:
            detail = f"  {login.detail}" if login.detail else ""
            self.stdout.write(f"  {login.username:<{width}}  {login.role}{detail}")
