"""Voice and choice in a class: choice boards, proposals and the class's progression (/classes/<id>/...)."""

from django.urls import path

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
]
