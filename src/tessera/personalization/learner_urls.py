"""A learner's profile and goals for the people who work with them, under /learners/<membership id>/."""

from django.urls import path

from tessera.personalization import views

urlpatterns = [
    path("<int:membership_id>/profile/", views.learner_profile, name="personalization-learner-profile"),
    path(
        "<int:membership_id>/profile/history/",
        views.learner_profile_history,
        name="personalization-learner-profile-history",
    ),
    path("<int:membership_id>/goals/", views.learner_goals, name="personalization-learner-goals"),
    path("<int:membership_id>/goals/<int:goal_id>/", views.learner_goal, name="personalization-learner-goal"),
    path(
        "<int:membership_id>/goals/<int:goal_id>/comments/",
        views.goal_comment,
        name="personalization-goal-comment",
    ),
]
