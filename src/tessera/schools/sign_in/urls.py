"""A class's sign-in pages for its teachers and the school's administrators (/classes/<id>/sign-in/)."""

from django.urls import path

from tessera.schools.sign_in import views

urlpatterns = [
    path("classes/<int:class_id>/sign-in/", views.class_sign_in, name="class-sign-in"),
    path(
        "classes/<int:class_id>/sign-in/<int:learner_id>/password/",
        views.learner_password,
        name="learner-password",
    ),
]
