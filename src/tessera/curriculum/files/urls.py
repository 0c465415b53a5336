"""A curriculum file, under /school/files/<id>/."""

from django.urls import path

from tessera.curriculum.files import views

urlpatterns = [path("files/<int:file_id>/", views.file_serve, name="curriculum-file")]
