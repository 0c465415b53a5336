"""The learner's own goals, with their steps and reflections, mounted at /me/."""

from django.urls import path

from tessera.personalization.goals import views

urlpatterns = [
    path("goals/", views.goals, name="personalization-goals"),
    path("goals/<int:goal_id>/", views.goal_detail, name="personalization-goal"),
    path("goals/<int:goal_id>/status/", views.goal_status, name="personalization-goal-status"),
    path("goals/<int:goal_id>/steps/", views.step_add, name="personalization-step-add"),
    path("goals/<int:goal_id>/steps/<int:step_id>/tick/", views.step_tick, name="personalization-step-tick"),
    path("goals/<int:goal_id>/steps/<int:step_id>/move/", views.step_move, name="personalization-step-move"),
    path("goals/<int:goal_id>/reflections/", views.reflection_add, name="personalization-reflection-add"),
]
