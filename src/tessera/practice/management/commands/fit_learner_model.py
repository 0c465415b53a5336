"""``manage.py fit_learner_model [framework ids]``: fit and store the learner model of frameworks.

Fits on the answers stored for each framework, or on a synthetic practice log when there are none (see
:mod:`tessera.practice.learner_model`). Without ids, fits every framework; ``--missing-only`` skips
frameworks that already have a fit with its mastery tracker (older fits count as missing), so the first
practice request of a fresh install does not wait for one. When a framework's earlier fits all predate the
mastery tracker (an upgraded install), the stored mastery figures are recomputed from the stored answers
once, with the new fit (:func:`tessera.practice.learner_model.learner_model_fit`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tessera.curriculum.models import Framework
from tessera.practice.learner_model import fits_predate_tracker, learner_model_fit
from tessera.practice.models import LearnerModelFit


class Command(BaseCommand):
    help = "Fit the learner model of frameworks on their stored answers (or a synthetic log)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework_ids", nargs="*", type=int)
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Fit only frameworks without a fitted model and mastery tracker (what `make run` does "
            "on every start).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        frameworks = Framework.objects.order_by("pk")
        if options["framework_ids"]:
            frameworks = frameworks.filter(pk__in=options["framework_ids"])
        if options["missing_only"]:
            fitted = LearnerModelFit.objects.exclude(mastery_json="").values("framework_id")
            frameworks = frameworks.exclude(pk__in=fitted)
        for framework in frameworks:
            upgrading = fits_predate_tracker(framework)
            fit = learner_model_fit(framework=framework)
            self.stdout.write(f"{framework.code}: fitted on {fit.response_count} {fit.source} answers")
            if upgrading:
                self.stdout.write(f"{framework.code}: mastery figures recomputed from the stored answers")
