"""The learner owns their profile: they edit it, every change is kept in its history, the people who work
with them read it, and their family sees it only as the sharing rule allows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tessera.personalization.profile import services
from tessera.personalization.profile.models import LearnerProfile, LearnerProfileVersion
from tessera.personalization.sharing.models import PersonalizationPolicy

pytestmark = pytest.mark.django_db


def _post_profile(client: Client, school_id: int, **fields: Any) -> Any:
    data = {
        "strengths": "",
        "challenges": "",
        "interests": "",
        "passions": "",
        "aspirations": "",
        "languages": "",
    }
    data.update(fields)
    return client.post(f"/me/profile/?school={school_id}", data)


def test_learner_fills_their_profile_and_sees_it_saved(world: Any, client_for: Any) -> None:
    client = client_for(world.a.learner)
    response = _post_profile(
        client,
        world.a.school.pk,
        strengths="Mental maths",
        interests="Football,  music , football,",
        learning_preferences=["video", "worked_examples_first"],
        reading_level="6",
        languages="English, Polish",
    )
    assert response.status_code == 302
    profile = LearnerProfile.objects.get(learner=world.a.learner, school=world.a.school)
    assert profile.interests == ["football", "music"]
    assert profile.learning_preferences == ["worked_examples_first", "video"]
    assert profile.reading_level == 6
    page = client.get(response["Location"]).content.decode()
    assert "Profile saved." in page
    assert 'value="football, music"' in page


def test_every_change_is_kept_and_the_history_says_what_changed(world: Any, client_for: Any) -> None:
    client = client_for(world.a.learner)
    _post_profile(client, world.a.school.pk, strengths="Patterns")
    _post_profile(client, world.a.school.pk, strengths="Patterns")  # nothing changed: no new version
    _post_profile(client, world.a.school.pk, strengths="Patterns and puzzles", interests="space")
    assert LearnerProfileVersion.objects.filter(profile__learner=world.a.learner).count() == 2
    history = client.get(f"/me/profile/history/?school={world.a.school.pk}").content.decode()
    assert "<del>Patterns</del> → <ins>Patterns and puzzles</ins>" in history
    assert "<ins>space</ins>" in history
    # The learner's teacher reads the same history.
    teacher_view = client_for(world.a.teacher).get(
        f"/learners/{world.a.membership(world.a.learner).pk}/profile/history/"
    )
    assert teacher_view.status_code == 200
    assert "Patterns and puzzles" in teacher_view.content.decode()


def test_free_text_is_escaped_everywhere_it_is_shown(world: Any, client_for: Any) -> None:
    attack = "<script>alert('x')</script>"
    learner = client_for(world.a.learner)
    _post_profile(learner, world.a.school.pk, strengths=attack, interests=attack)
    own = learner.get(f"/me/profile/?school={world.a.school.pk}").content.decode()
    history = learner.get(f"/me/profile/history/?school={world.a.school.pk}").content.decode()
    teacher = Client()
    teacher.force_login(world.a.teacher, backend="django.contrib.auth.backends.ModelBackend")
    theirs = teacher.get(f"/learners/{world.a.membership(world.a.learner).pk}/profile/").content.decode()
    for page in (own, history, theirs):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(" in page


def test_text_longer_than_the_limit_is_refused_and_nothing_is_saved(world: Any, client_for: Any) -> None:
    response = _post_profile(client_for(world.a.learner), world.a.school.pk, strengths="x" * 2001)
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not LearnerProfile.objects.filter(learner=world.a.learner).exists()


def test_teachers_and_supporters_read_it_but_cannot_change_it(world: Any, client_for: Any) -> None:
    services.profile_update(learner=world.a.learner, school=world.a.school, data={"strengths": "Drawing"})
    url = f"/learners/{world.a.membership(world.a.learner).pk}/profile/"
    for person in (world.a.teacher, world.a.specialist, world.a.mentor):
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        page = client.get(url)
        assert page.status_code == 200
        assert "Drawing" in page.content.decode()
        assert "<form" not in page.content.decode().split("<main", 1)[1].split("</main>")[0]
    # A teacher of another class neither reads nor finds it.
    assert client_for(world.a.other_teacher).get(url).status_code == 404


def test_editing_another_learners_profile_is_impossible(world: Any, client_for: Any) -> None:
    """/me/ is always the signed-in learner's own: a teacher has no profile to edit, and nothing of the
    learner's changes."""
    services.profile_update(learner=world.a.learner, school=world.a.school, data={"strengths": "Drawing"})
    response = _post_profile(client_for(world.a.teacher), world.a.school.pk, strengths="Hacked")
    assert response.status_code == 404
    assert "These pages are for learners" in response.content.decode()
    assert LearnerProfile.objects.get(learner=world.a.learner).strengths == "Drawing"


def test_learner_detail_page_links_to_the_profile_for_those_who_may_read_it(
    world: Any, client_for: Any
) -> None:
    url = f"/learners/{world.a.membership(world.a.learner).pk}/"
    assert "Profile: strengths" in client_for(world.a.teacher).get(url).content.decode()


def test_guardians_see_it_while_the_school_shares_it(world: Any, client_for: Any) -> None:
    """Below the school's choosing age the school shares with the family, and the learner sees that
    instead of a choice."""
    PersonalizationPolicy.objects.create(school=world.a.school, learner_chooses_sharing_from_age=16)
    services.profile_update(learner=world.a.learner, school=world.a.school, data={"strengths": "Drawing"})
    url = f"/learners/{world.a.membership(world.a.learner).pk}/profile/"
    assert client_for(world.a.guardian).get(url).status_code == 200
    own = Client()
    own.force_login(world.a.learner, backend="django.contrib.auth.backends.ModelBackend")
    page = own.get(f"/me/profile/?school={world.a.school.pk}").content.decode()
    assert "Your school shares these with your family until you are 16" in page
    refused = own.post(f"/me/profile/sharing/?school={world.a.school.pk}", {})
    assert refused.status_code == 403
    assert "until you are 16" in refused.content.decode()


def test_from_the_choosing_age_the_learner_decides(world: Any, client_for: Any) -> None:
    PersonalizationPolicy.objects.create(school=world.a.school, learner_chooses_sharing_from_age=12)
    learner = client_for(world.a.learner)
    page = learner.get(f"/me/profile/?school={world.a.school.pk}").content.decode()
    assert "Share my profile with my family" in page
    assert "your school still shares the reports it must share" in page
    url = f"/learners/{world.a.membership(world.a.learner).pk}/profile/"
    guardian = Client()
    guardian.force_login(world.a.guardian, backend="django.contrib.auth.backends.ModelBackend")
    assert guardian.get(url).status_code == 404  # not shared yet: the learner has not chosen to

    assert (
        learner.post(f"/me/profile/sharing/?school={world.a.school.pk}", {"profile": "on"}).status_code == 302
    )
    assert guardian.get(url).status_code == 200
    learner.post(f"/me/profile/sharing/?school={world.a.school.pk}", {})
    assert guardian.get(url).status_code == 404


def test_a_learner_in_two_schools_has_a_profile_in_each(world: Any) -> None:
    from tessera.schools.models import Membership

    Membership.objects.create(school=world.b.school, user=world.a.learner, role="learner", grade_level=7)
    services.profile_update(learner=world.a.learner, school=world.a.school, data={"strengths": "A"})
    services.profile_update(learner=world.a.learner, school=world.b.school, data={"strengths": "B"})
    assert sorted(
        LearnerProfile.objects.filter(learner=world.a.learner).values_list("strengths", flat=True)
    ) == [
        "A",
        "B",
    ]


def test_the_service_refuses_too_long_text_and_unknown_fields(world: Any) -> None:
    for data in (
        {"passions": "x" * 2001},
        {"languages": "x" * 201},
        {"share_profile": True},
        {"nope": 1},
    ):
        with pytest.raises(services.DomainError):
            services.profile_update(learner=world.a.learner, school=world.a.school, data=data)
    assert not LearnerProfile.objects.exists()


def test_a_mentor_reads_a_profile_only_while_approved(world: Any) -> None:
    from tessera.personalization.profile import permissions
    from tessera.personalization.profile.models import LearnerProfile
    from tessera.schools.models import Membership

    profile = LearnerProfile.objects.create(
        school=world.a.school, learner=world.a.learner, strengths="Drawing"
    )
    assert permissions.can_view_profile(world.a.mentor, profile)
    Membership.objects.filter(user=world.a.mentor, role="mentor").update(approved_at=None)
    assert not permissions.can_view_profile(world.a.mentor, profile)
    assert permissions.can_view_profile(world.a.specialist, profile)  # other supporters are not affected
