"""Differentiation's pages: a class's groups (/classes/<id>/groups/) and the learner's own (/me/groups/)."""

from django.urls import path

from tessera.differentiation import views

urlpatterns = [
    path("classes/<int:class_id>/groups/", views.groupings_page, name="class-groupings"),
    path("classes/<int:class_id>/groups/<int:grouping_id>/", views.grouping_page, name="class-grouping"),
    path(
        "classes/<int:class_id>/groups/<int:grouping_id>/tasks/<int:task_id>/",
        views.task_page,
        name="group-task",
    ),
]

learner_urlpatterns = [path("groups/", views.my_groups_page, name="my-groups")]
