"""The learner's library, mounted at /me/."""

from django.urls import path

from tessera.personalization.library import views

urlpatterns = [
    path("library/", views.library, name="personalization-library"),
    path("library/<int:resource_id>/save/", views.resource_save, name="personalization-resource-save"),
    path("library/<int:resource_id>/unsave/", views.resource_unsave, name="personalization-resource-unsave"),
]
