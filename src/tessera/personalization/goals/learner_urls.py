"""A learner's goals for the people who work with them (who comment), under /learners/<membership id>/."""

from django.urls import path

from tessera.personalization.goals import views

urlpatterns = [
    path("<int:membership_id>/goals/", views.learner_goals, name="personalization-learner-goals"),
    path("<int:membership_id>/goals/<int:goal_id>/", views.learner_goal, name="personalization-learner-goal"),
    path(
        "<int:membership_id>/goals/<int:goal_id>/comments/",
        views.goal_comment,
        name="personalization-goal-comment",
    ),
]
