"""The learner's own pages, mounted at /me/. Other parts of personalization add one include line each."""

from django.urls import path

from tessera.personalization import views

urlpatterns = [
    path("profile/", views.profile_edit, name="personalization-profile"),
    path("profile/sharing/", views.profile_sharing, name="personalization-profile-sharing"),
    path("profile/history/", views.profile_history, name="personalization-profile-history"),
    path("library/", views.library, name="personalization-library"),
    path("library/<int:resource_id>/save/", views.resource_save, name="personalization-resource-save"),
    path("library/<int:resource_id>/unsave/", views.resource_unsave, name="personalization-resource-unsave"),
    path("goals/", views.goals, name="personalization-goals"),
    path("goals/<int:goal_id>/", views.goal_detail, name="personalization-goal"),
    path("goals/<int:goal_id>/status/", views.goal_status, name="personalization-goal-status"),
    path("goals/<int:goal_id>/steps/", views.step_add, name="personalization-step-add"),
    path("goals/<int:goal_id>/steps/<int:step_id>/tick/", views.step_tick, name="personalization-step-tick"),
    path("goals/<int:goal_id>/steps/<int:step_id>/move/", views.step_move, name="personalization-step-move"),
    path("goals/<int:goal_id>/reflections/", views.reflection_add, name="personalization-reflection-add"),
    path("confidence/", views.confidence, name="personalization-confidence"),
]
