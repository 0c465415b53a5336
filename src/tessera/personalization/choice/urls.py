"""Voice and choice in a class (/classes/<id>/...), the learning network and peer help (/me/...)."""

from django.urls import path

from tessera.personalization import network_views
from tessera.personalization.choice import views as choice_views

urlpatterns = [
    path("classes/<int:class_id>/choice-boards/", choice_views.boards_page, name="class-choice-boards"),
    path(
        "classes/<int:class_id>/choice-boards/<int:board_id>/",
        choice_views.board_page,
        name="class-choice-board",
    ),
    path(
        "classes/<int:class_id>/choice-boards/<int:board_id>/options/",
        choice_views.option_add,
        name="class-choice-option-add",
    ),
    path(
        "classes/<int:class_id>/choice-boards/<int:board_id>/pick/",
        choice_views.pick,
        name="class-choice-pick",
    ),
    path("classes/<int:class_id>/proposals/", choice_views.proposals_page, name="class-proposals"),
    path(
        "classes/<int:class_id>/proposals/<int:proposal_id>/decide/",
        choice_views.proposal_decide,
        name="class-proposal-decide",
    ),
    path("classes/<int:class_id>/progression/", choice_views.progression_page, name="class-progression"),
    path("me/network/", network_views.network_page, name="network"),
    path("me/network/invite/", network_views.network_invite, name="network-invite"),
    path("me/network/<int:connection_id>/answer/", network_views.network_answer, name="network-answer"),
    path("me/help/", network_views.help_page, name="help"),
    path("me/help/offer/", network_views.help_opt_in, name="help-opt-in"),
    path("me/help/ask/", network_views.help_ask, name="help-ask"),
    path("me/help/oversight/", network_views.help_oversight, name="help-oversight"),
    path("me/help/<int:request_id>/", network_views.help_conversation, name="help-conversation"),
    path("me/help/<int:request_id>/answer/", network_views.help_answer, name="help-answer"),
    path("me/help/<int:request_id>/close/", network_views.help_close, name="help-close"),
    path("me/help/messages/<int:message_id>/report/", network_views.help_report, name="help-report"),
]
