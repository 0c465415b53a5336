from django.urls import path

from tessera.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("classes/<int:class_id>/", views.class_detail, name="class-detail"),
    path("learners/<int:learner_id>/", views.learner_detail, name="learner-detail"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
