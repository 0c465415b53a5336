"""``manage.py fit_learner_model [framework ids]``: fit and store the learner model of frameworks.

Fits on the answers stored for each framework, or on a synthetic practice log when there are none (see
:mod:`tessera.practice.learner_model`). Without ids, fits every framework; ``--missing-only`` skips
frameworks that already have a fit with its mastery tracker (older fits count as missing), so a fresh
install serves its fitted models from the first request (a request never fits: without a fit it enqueues
one for the worker and uses the default model meanwhile). When a framework had no fit with a tracker but
has stored answers (an upgraded install, or answers given with the default model), the stored mastery
figures are recomputed from them once, with the new fit
(:func:`tessera.practice.learner_model.learner_model_fit`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tessera.curriculum.models import Framework
from tessera.practice.learner_model import learner_model_fit
from tessera.practice.models import Answer, LearnerModelFit


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
            replays = (
                not LearnerModelFit.objects.filter(framework=framework).exclude(mastery_json="").exists()
                and Answer.objects.filter(competency__framework=framework).exists()
            )
            fit = learner_model_fit(framework=framework)
            self.stdout.write(f"{framework.code}: fitted on {fit.response_count} {fit.source} answers")
            if replays:
                self.stdout.write(f"{framework.code}: mastery figures recomputed from the stored answers")
