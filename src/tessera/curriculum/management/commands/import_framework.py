"""Import a framework file into one school, or as a shared framework every school may read.

Shared frameworks are written only here (the platform), never through a school's pages or API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tessera.curriculum import framework_file, services
from tessera.schools.models import School


class Command(BaseCommand):
    help = "Import a framework JSON file into a school (--school SLUG) or as a shared framework (--shared)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The framework file (JSON, Tessera framework format).")
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--school", help="The slug of the school that owns the framework.")
        owner.add_argument("--shared", action="store_true", help="Import as a shared framework.")

    def handle(self, *args: Any, **options: Any) -> None:
        school = None
        if options["school"]:
            school = School.objects.filter(slug=options["school"]).first()
            if school is None:
                raise CommandError(f"No school with slug “{options['school']}”.")
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        document = framework_file.framework_file_parse(data)
        result = services.framework_import(actor=None, school=school, document=document)
        if result.framework is None:
            raise CommandError(
                f"{len(result.errors)} error(s); nothing was imported:\n" + "\n".join(map(str, result.errors))
            )
        owner = "shared" if school is None else f"for {school.name}"
        self.stdout.write(self.style.SUCCESS(f"Imported framework “{result.framework.name}” ({owner})."))
