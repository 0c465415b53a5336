"""Roster management pages for school administrators, under /school/<school_id>/."""

from django.urls import path

from tessera.schools.roster import views

urlpatterns = [
    path("<int:school_id>/", views.roster_home, name="roster-home"),
    path("<int:school_id>/terms/", views.roster_terms, name="roster-terms"),
    path("<int:school_id>/terms/<int:term_id>/", views.roster_term, name="roster-term"),
    path("<int:school_id>/classes/", views.roster_classes, name="roster-classes"),
    path("<int:school_id>/classes/<int:class_id>/", views.roster_class, name="roster-class"),
    path(
        "<int:school_id>/classes/<int:class_id>/enrol/", views.roster_class_enrol, name="roster-class-enrol"
    ),
    path(
        "<int:school_id>/classes/<int:class_id>/teachers/",
        views.roster_class_teacher,
        name="roster-class-teacher",
    ),
    path(
        "<int:school_id>/classes/<int:class_id>/learners/<int:learner_id>/unenrol/",
        views.roster_class_unenrol,
        name="roster-class-unenrol",
    ),
    path("<int:school_id>/people/", views.roster_people, name="roster-people"),
    path("<int:school_id>/people/new/", views.roster_person_add, name="roster-person-add"),
    path("<int:school_id>/people/<int:person_id>/", views.roster_person, name="roster-person"),
    path(
        "<int:school_id>/people/<int:person_id>/support/",
        views.roster_person_support,
        name="roster-person-support",
    ),
    path(
        "<int:school_id>/people/<int:person_id>/guardians/link/",
        views.roster_guardian_link,
        name="roster-guardian-link",
    ),
    path(
        "<int:school_id>/people/<int:person_id>/guardians/new/",
        views.roster_guardian_create,
        name="roster-guardian-create",
    ),
    path(
        "<int:school_id>/guardianships/<int:guardianship_id>/revoke/",
        views.roster_guardianship_revoke,
        name="roster-guardianship-revoke",
    ),
    path(
        "<int:school_id>/people/<int:person_id>/deactivate/",
        views.roster_person_deactivate,
        name="roster-person-deactivate",
    ),
    path(
        "<int:school_id>/people/<int:person_id>/reactivate/",
        views.roster_person_reactivate,
        name="roster-person-reactivate",
    ),
    path(
        "<int:school_id>/teaching/<int:assignment_id>/end/",
        views.roster_teaching_end,
        name="roster-teaching-end",
    ),
    path(
        "<int:school_id>/support/<int:assignment_id>/end/",
        views.roster_support_end,
        name="roster-support-end",
    ),
    path("<int:school_id>/import/", views.roster_import_page, name="roster-import"),
    path(
        "<int:school_id>/import/example/<slug:kind>.csv",
        views.roster_import_example,
        name="roster-import-example",
    ),
]
