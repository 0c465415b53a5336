"""Background fitting of learner models (django-tasks; the worker is ``manage.py run_worker``).

A request never fits: a framework without a fit enqueues :func:`learner_model_fit_task` (see
:mod:`tessera.practice.learner_model`), and so does importing a framework.
"""

from __future__ import annotations

from django_tasks import task

from tessera.curriculum.models import Framework
from tessera.practice.learner_model import learner_model_fit
from tessera.practice.models import LearnerModelFit


@task()
def learner_model_fit_task(framework_id: int, missing_only: bool = True) -> int | None:
    """Fit ``framework_id``'s model; with ``missing_only``, only if it has no fit with a mastery tracker
    yet (several processes may have enqueued it). The new fit's id, or None when nothing was fitted."""
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:  # deleted since
        return None
    if missing_only and LearnerModelFit.objects.filter(framework=framework).exclude(mastery_json="").exists():
        return None
    return learner_model_fit(framework=framework).pk
