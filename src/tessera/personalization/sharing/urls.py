"""The school's sharing policy page (what is always shared with families), under the school's pages
(``/school/<id>/sharing/``) but owned by personalization, which owns the sharing rule."""

from django.urls import path

from tessera.personalization.sharing import views

urlpatterns = [
    path("<int:school_id>/sharing/", views.sharing_policy, name="roster-sharing-policy"),
]
