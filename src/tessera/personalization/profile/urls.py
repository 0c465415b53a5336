"""The learner's own profile, their sharing choices and the profile's history, mounted at /me/."""

from django.urls import path

from tessera.personalization.profile import views

urlpatterns = [
    path("profile/", views.profile_edit, name="personalization-profile"),
    path("profile/sharing/", views.profile_sharing, name="personalization-profile-sharing"),
    path("profile/history/", views.profile_history, name="personalization-profile-history"),
]
