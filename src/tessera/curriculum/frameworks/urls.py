"""Pages of curriculum.frameworks, under /school/: changes to a school's framework."""

from django.urls import path

from tessera.curriculum.frameworks import views

BASE = "<int:school_id>/frameworks/<int:framework_id>/"
COMPETENCY = BASE + "competencies/<int:competency_id>/"

urlpatterns = [
    path(BASE + "domains/new/", views.domain_add, name="curriculum-domain-add"),
    path(BASE + "competencies/new/", views.competency_add, name="curriculum-competency-add"),
    path(COMPETENCY + "edit/", views.competency_edit, name="curriculum-competency-edit"),
    path(COMPETENCY + "prerequisites/new/", views.prerequisite_add, name="curriculum-prerequisite-add"),
    path(
        COMPETENCY + "prerequisites/<int:prerequisite_id>/remove/",
        views.prerequisite_remove,
        name="curriculum-prerequisite-remove",
    ),
    path(BASE + "copy/", views.framework_copy, name="curriculum-framework-copy"),
]
