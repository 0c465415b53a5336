"""Pages of curriculum.resources, under /school/."""

from django.urls import path

from tessera.curriculum.resources import views

PREFIX = "<int:school_id>/frameworks/<int:framework_id>/resources/"

urlpatterns = [
    path(PREFIX, views.resource_list, name="curriculum-resources"),
    path(f"{PREFIX}new/", views.resource_create_page, name="curriculum-resource-create"),
    path(f"{PREFIX}<int:resource_id>/", views.resource_page, name="curriculum-resource"),
    path(f"{PREFIX}<int:resource_id>/edit/", views.resource_edit_page, name="curriculum-resource-edit"),
    path(f"{PREFIX}<int:resource_id>/delete/", views.resource_delete_page, name="curriculum-resource-delete"),
]
