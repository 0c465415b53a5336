from django.urls import include, path

from tessera.api import api

urlpatterns = [
    path("api/", api.urls),
    path("accounts/", include("tessera.schools.account_urls")),
    path("school/", include("tessera.schools.roster_urls")),
    path("school/", include("tessera.curriculum.urls")),
    path("learn/", include("tessera.practice.urls")),
    path("family/", include("tessera.family.urls")),
    path("me/", include("tessera.personalization.urls")),
    path("learners/", include("tessera.personalization.learner_urls")),
    path("", include("tessera.schools.sign_in_urls")),
    path("", include("tessera.personalization.choice_urls")),
    path("", include("tessera.web.urls")),
]
