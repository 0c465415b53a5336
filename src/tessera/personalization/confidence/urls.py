"""The learner's "How sure I feel" page, mounted at /me/."""

from django.urls import path

from tessera.personalization.confidence import views

urlpatterns = [
    path("confidence/", views.confidence, name="personalization-confidence"),
]
