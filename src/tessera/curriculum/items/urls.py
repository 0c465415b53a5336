"""Pages of curriculum.items, under /school/<school_id>/items/."""

from django.urls import path

from tessera.curriculum.items import views

urlpatterns = [
    path("<int:school_id>/items/", views.bank, name="curriculum-items"),
    path("<int:school_id>/items/new/", views.item_create, name="curriculum-item-create"),
    path("<int:school_id>/items/preview/", views.item_preview_fragment, name="curriculum-item-preview"),
    path("<int:school_id>/items/<int:item_id>/", views.item_page, name="curriculum-item"),
    path("<int:school_id>/items/<int:item_id>/edit/", views.item_edit, name="curriculum-item-edit"),
    path("<int:school_id>/items/<int:item_id>/retire/", views.item_retire, name="curriculum-item-retire"),
    path("<int:school_id>/items/<int:item_id>/restore/", views.item_restore, name="curriculum-item-restore"),
    path(
        "<int:school_id>/items/<int:item_id>/duplicate/",
        views.item_duplicate,
        name="curriculum-item-duplicate",
    ),
]
