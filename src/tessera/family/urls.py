"""The guardian's pages and live feeds, under /family/."""

from django.urls import include, path

from tessera.family import views
from tessera.family.notifications import views as notification_views

urlpatterns = [
    path("", views.family_home, name="family-home"),
    path("<int:school_id>/<int:learner_id>/", views.family_child, name="family-child"),
    path(
        "<int:school_id>/<int:learner_id>/progress/",
        views.family_child_progress,
        name="family-child-progress",
    ),
    path("feed/<int:school_id>/<int:learner_id>/stream", views.family_feed_stream, name="family-feed-stream"),
    path("notifications/", notification_views.notification_settings, name="family-notifications"),
    path("", include("tessera.family.messages.urls")),
]
