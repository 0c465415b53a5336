"""Staff pages of practice, under /school/: an item's statistics."""

from django.urls import path

from tessera.practice import statistics_views

urlpatterns = [
    path(
        "<int:school_id>/items/<int:item_id>/statistics/",
        statistics_views.item_statistics_page,
        name="item-statistics",
    ),
]
