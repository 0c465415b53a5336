"""The learner's pages, under /learn/."""

from django.urls import path

from tessera.practice import views

urlpatterns = [
    path("", views.today, name="learn-today"),
    path("start/", views.session_start, name="learn-start"),
    path("practice/<int:session_id>/", views.practice, name="learn-practice"),
    path("mastery/", views.mastery, name="learn-mastery"),
    path("history/", views.history, name="learn-history"),
]
