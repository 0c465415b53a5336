"""A learner's profile for the people who work with them, under /learners/<membership id>/."""

from django.urls import path

from tessera.personalization.profile import views

urlpatterns = [
    path("<int:membership_id>/profile/", views.learner_profile, name="personalization-learner-profile"),
    path(
        "<int:membership_id>/profile/history/",
        views.learner_profile_history,
        name="personalization-learner-profile-history",
    ),
]
