"""The school's sharing policy page (what is always shared with families), under the school's pages
(``/school/<id>/sharing/``) but owned by personalization, which owns the sharing rule."""

from django.urls import path

from tessera.personalization import policy_views

urlpatterns = [
    path("<int:school_id>/sharing/", policy_views.sharing_policy, name="roster-sharing-policy"),
]
