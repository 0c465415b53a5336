"""The learner's supports, under /me/."""

from django.urls import path

from tessera.individualization import learner_views

urlpatterns = [
    path("supports/", learner_views.my_supports, name="my-supports"),
]
