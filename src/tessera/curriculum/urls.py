"""Curriculum pages for a school's staff, under /school/<school_id>/frameworks/."""

from django.urls import include, path

from tessera.curriculum import views

urlpatterns = [
    path("<int:school_id>/frameworks/", views.framework_list, name="curriculum-frameworks"),
    path("<int:school_id>/frameworks/import/", views.framework_import_page, name="curriculum-import"),
    path("<int:school_id>/frameworks/<int:framework_id>/", views.framework_page, name="curriculum-framework"),
    path("", include("tessera.curriculum.files.urls")),
    path("", include("tessera.curriculum.items.urls")),
    path("", include("tessera.curriculum.resources.urls")),
    path("", include("tessera.curriculum.frameworks.urls")),
]
