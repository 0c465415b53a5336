import datetime
from collections.abc import Sequence

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _supports(school_id: int, learner_id: int, on: datetime.date) -> Sequence[object]:
    from tessera.individualization.selectors import accommodations_in_force
    from tessera.practice.accommodations import Applied

    return [Applied(s.kind, s.value, s.label) for s in accommodations_in_force(school_id, learner_id, on)]


class IndividualizationConfig(AppConfig):
    name = "tessera.individualization"
    verbose_name = _("Individualization")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tessera.individualization import consumers  # noqa: F401  (subscribes to the event log)
        from tessera.practice.accommodations import reader_register

        reader_register(_supports)  # type: ignore[arg-type]
