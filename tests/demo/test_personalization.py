"""The demo school's library and learners' profiles: added once, a learner's own edits kept."""

from __future__ import annotations

from tessera.curriculum.models import Resource
from tessera.demo.curriculum import demo_framework_load
from tessera.demo.personalization import demo_personalization_load
from tessera.demo.school import demo_school_load
from tessera.personalization.profile import services
from tessera.personalization.profile.models import LearnerProfile


def test_the_demo_gets_resources_and_learner_profiles_once(db: None) -> None:
    school, _ = demo_school_load()
    framework, _ = demo_framework_load(school=school)
    demo_personalization_load(school=school, framework=framework)
    resources, profiles = framework.resources.count(), LearnerProfile.objects.filter(school=school).count()
    assert resources >= 40
    assert profiles == 60
    assert set(framework.resources.values_list("kind", flat=True)) == {
        "reading",
        "video",
        "interactive",
        "worksheet",
    }
    assert all(
        url.startswith("https://example.org/") for url in framework.resources.values_list("url", flat=True)
    )
    assert not Resource.objects.filter(framework=framework, resourcecompetency__isnull=True).exists()
    services.profile_update(
        learner=LearnerProfile.objects.filter(school=school).first().learner,
        school=school,
        data={"strengths": "Mine"},
    )
    demo_personalization_load(school=school, framework=framework)
    assert framework.resources.count() == resources
    assert LearnerProfile.objects.filter(school=school).count() == profiles
    assert LearnerProfile.objects.filter(school=school, strengths="Mine").count() == 1
