from collections.abc import Collection
from typing import Any

from django.apps import AppConfig


class PracticeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tessera.practice"
    label = "practice"

    def ready(self) -> None:
        from tessera.curriculum.items.usage import answered_reader_register
        from tessera.curriculum.signals import framework_imported

        framework_imported.connect(_fit_imported_framework, dispatch_uid="practice-fit-imported-framework")
        answered_reader_register(_answered_items)


def _answered_items(item_ids: Collection[int]) -> set[int]:
    """The items among ``item_ids`` that have answers: curriculum versions them instead of editing."""
    from tessera.practice.models import Answer

    return set(Answer.objects.filter(item_id__in=list(item_ids)).values_list("item_id", flat=True).distinct())


def _fit_imported_framework(sender: object, *, framework: Any, **kwargs: Any) -> None:
    """A new framework's learner model is fitted on the worker, before anyone answers (never in a request)."""
    from tessera.practice.learner_model import learner_model_fit_enqueue

    learner_model_fit_enqueue(framework)
