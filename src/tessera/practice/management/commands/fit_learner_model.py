"""``manage.py fit_learner_model [framework ids]``: fit and store the learner model of frameworks.

Fits on the answers stored for each framework, or on a synthetic practice log when there are none (see
:mod:`tessera.practice.learner_model`). Without ids, fits every framework.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tessera.curriculum.models import Framework
from tessera.practice.learner_model import learner_model_fit


class Command(BaseCommand):
    help = "Fit the learner model of frameworks on their stored answers (or a synthetic log)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework_ids", nargs="*", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        frameworks = Framework.objects.order_by("pk")
        if options["framework_ids"]:
            frameworks = frameworks.filter(pk__in=options["framework_ids"])
        for framework in frameworks:
            fit = learner_model_fit(framework=framework)
            self.stdout.write(f"{framework.code}: fitted on {fit.response_count} {fit.source} answers")
