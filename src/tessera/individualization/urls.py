"""Individualization's pages: a learner's plan and records (/schools/<id>/learners/<user id>/plan/) for
those who may read them, the accommodations to apply (.../accommodations/) for their teachers too, the forms
that write the records, and the school's audit of who read them (/schools/<id>/records-audit/)."""

from django.urls import path

from tessera.individualization import views

LEARNER = "schools/<int:school_id>/learners/<int:learner_id>/"

urlpatterns = [
    path(f"{LEARNER}plan/", views.learner_plan, name="learner-plan"),
    path(f"{LEARNER}accommodations/", views.learner_accommodations, name="learner-accommodations"),
    path(
        f"{LEARNER}attachments/<int:attachment_id>/",
        views.attachment_download,
        name="evaluation-attachment",
    ),
    path(f"{LEARNER}evaluations/", views.evaluation_new, name="evaluation-new"),
    path(f"{LEARNER}meetings/", views.meeting_new, name="meeting-new"),
    path(f"{LEARNER}plans/new/", views.plan_new, name="plan-new"),
    path(f"{LEARNER}plans/<int:plan_id>/sign/", views.plan_sign, name="plan-sign"),
    path(f"{LEARNER}support-logs/", views.support_log_new, name="support-log-new"),
    path(f"{LEARNER}alerts/<int:alert_id>/review/", views.alert_review, name="alert-review"),
    path("schools/<int:school_id>/records-audit/", views.records_audit, name="records-audit"),
]
