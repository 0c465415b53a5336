"""Roster management pages for school administrators."""

from django.urls import path

from tessera.schools import roster_views

urlpatterns = [
    path("<int:school_id>/", roster_views.roster_home, name="roster-home"),
]
