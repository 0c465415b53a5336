"""Messages and announcements, included by :mod:`tessera.family.urls`."""

from django.urls import path

from tessera.family.messages import views

urlpatterns = [
    path("messages/", views.message_list, name="family-messages"),
    path(
        "messages/start/<int:school_id>/<int:learner_id>/<int:other_id>/",
        views.conversation_start,
        name="family-conversation-start",
    ),
    path("messages/<int:conversation_id>/", views.conversation_detail, name="family-conversation"),
    path("announcements/<int:school_id>/new/", views.announcement_new, name="family-announcement-new"),
]
