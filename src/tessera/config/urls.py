from django.urls import include, path, re_path

from tessera.api import api, not_found
from tessera.differentiation import urls as differentiation_urls

urlpatterns = [
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", not_found),  # JSON also for an address that names no endpoint
    path("accounts/", include("tessera.schools.accounts.urls")),
    path("school/", include("tessera.schools.roster.urls")),
    path("school/", include("tessera.curriculum.urls")),
    path("school/", include("tessera.practice.statistics_urls")),
    path("school/", include("tessera.personalization.sharing.urls")),
    path("learn/", include("tessera.practice.urls")),
    path("family/", include("tessera.family.urls")),
    path("me/", include("tessera.personalization.profile.urls")),
    path("me/", include("tessera.personalization.goals.urls")),
    path("me/", include("tessera.personalization.library.urls")),
    path("me/", include("tessera.personalization.confidence.urls")),
    path("me/", include("tessera.personalization.network.urls")),
    path("me/", include(differentiation_urls.learner_urlpatterns)),
    path("me/", include("tessera.individualization.learner_urls")),
    path("learners/", include("tessera.personalization.profile.learner_urls")),
    path("learners/", include("tessera.personalization.goals.learner_urls")),
    path("", include("tessera.schools.sign_in.urls")),
    path("", include("tessera.personalization.choice.urls")),
    path("", include("tessera.differentiation.urls")),
    path("", include("tessera.individualization.progress_urls")),
    path("", include("tessera.individualization.urls")),
    path("", include("tessera.web.urls")),
]
