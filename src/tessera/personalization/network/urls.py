"""The learning network and peer help, mounted at /me/ beside the learner's own pages."""

from django.urls import path

from tessera.personalization.network import views as network_views

urlpatterns = [
    path("network/", network_views.network_page, name="network"),
    path("network/invite/", network_views.network_invite, name="network-invite"),
    path("network/<int:connection_id>/answer/", network_views.network_answer, name="network-answer"),
    path("help/", network_views.help_page, name="help"),
    path("help/offer/", network_views.help_opt_in, name="help-opt-in"),
    path("help/ask/", network_views.help_ask, name="help-ask"),
    path("help/oversight/", network_views.help_oversight, name="help-oversight"),
    path("help/<int:request_id>/", network_views.help_conversation, name="help-conversation"),
    path("help/<int:request_id>/answer/", network_views.help_answer, name="help-answer"),
    path("help/<int:request_id>/close/", network_views.help_close, name="help-close"),
    path("help/messages/<int:message_id>/report/", network_views.help_report, name="help-report"),
]
