"""Curriculum files under /school/: a file (/school/files/<id>/) and a school's upload page."""

from django.urls import path

from tessera.curriculum.files import views

urlpatterns = [
    path("files/<int:file_id>/", views.file_serve, name="curriculum-file"),
    path("<int:school_id>/files/", views.files_page, name="curriculum-files"),
]
