"""An objective's progress, for those who may read the learner's records."""

from django.urls import path

from tessera.individualization import learner_views

urlpatterns = [
    path(
        "schools/<int:school_id>/objectives/<int:objective_id>/progress/",
        learner_views.objective_progress,
        name="objective-progress",
    ),
]
