"""What guardians are told: the school's rules (always shared, the choosing age) against the learner's
three choices (profile, goals, reflections), the learner's and the administrator's pages, what guardians
then read, and the feed events the learner's goals and the teachers' answers record."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tessera.family.models import FeedEvent
from tessera.personalization.choice import services as choice_services
from tessera.personalization.goals import services as goal_services
from tessera.personalization.goals.models import Goal
from tessera.personalization.profile import services as profile_services
from tessera.personalization.profile.models import LearnerProfile, LearnerProfileVersion
from tessera.personalization.sharing import services as sharing_services
from tessera.personalization.sharing.models import PersonalizationPolicy
from tessera.personalization.sharing.permissions import topics_shared_with_guardians
from tessera.schools.errors import DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)
SCHOOL_ALWAYS = {"messages", "practice", "assessment", "feedback"}  # the defaults: support is off
LEARNERS_OWN = {"profile", "goals", "reflections"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _born(user: Any, birth_date: datetime.date | None) -> None:
    user.birth_date = birth_date
    user.save(update_fields=["birth_date"])


def _topics(a: Any) -> set[str]:
    return set(topics_shared_with_guardians(a.school.pk, a.learner.pk, today=TODAY))


def _old_enough(a: Any) -> None:
    """School A's learner (12) chooses: the school lets learners choose from 12."""
    PersonalizationPolicy.objects.update_or_create(
        school=a.school, defaults={"learner_chooses_sharing_from_age": 12}
    )


def _choose(a: Any, *, profile: bool = False, goals: bool = False, reflections: bool = False) -> bool:
    _profile, changed = profile_services.profile_sharing_set(
        learner=a.learner, school=a.school, profile=profile, goals=goals, reflections=reflections
    )
    return changed


# ------------------------------------------------------------------------------------------ the rule


def test_below_the_choosing_age_the_school_shares_everything_it_shares_plus_the_learners_own(
    world: Any,
) -> None:
    a = world.a
    _born(a.learner, datetime.date(2014, 3, 1))  # 12: below the default age of 13
    LearnerProfile.objects.create(school=a.school, learner=a.learner)  # chose nothing
    assert _topics(a) == SCHOOL_ALWAYS | LEARNERS_OWN


def test_from_the_choosing_age_the_learners_choices_count_and_the_schools_rules_stay(world: Any) -> None:
    a = world.a
    _born(a.learner, datetime.date(2010, 1, 1))  # 16
    assert _topics(a) == SCHOOL_ALWAYS  # no profile yet: nothing of their own
    _choose(a, goals=True)
    assert _topics(a) == SCHOOL_ALWAYS | {"goals"}
    _choose(a, profile=True, goals=True, reflections=True)
    assert _topics(a) == SCHOOL_ALWAYS | LEARNERS_OWN
    _choose(a, profile=True)
    assert _topics(a) == SCHOOL_ALWAYS | {"profile"}


def test_an_unknown_birth_date_counts_as_old_enough_to_choose(world: Any) -> None:
    a = world.a
    _born(a.learner, None)
    assert _topics(a) == SCHOOL_ALWAYS
    _choose(a, profile=True)
    assert _topics(a) == SCHOOL_ALWAYS | {"profile"}


def test_the_birthday_itself_is_the_first_day_of_choosing(world: Any) -> None:
    a = world.a
    _born(a.learner, datetime.date(2013, 11, 26))  # 13 tomorrow
    before = topics_shared_with_guardians(a.school.pk, a.learner.pk, today=TODAY)
    after = topics_shared_with_guardians(a.school.pk, a.learner.pk, today=TODAY + datetime.timedelta(days=1))
    assert before >= LEARNERS_OWN and not LEARNERS_OWN & after


def test_what_the_school_always_shares_is_its_own_choice_at_every_age(world: Any) -> None:
    a = world.a
    PersonalizationPolicy.objects.create(
        school=a.school,
        always_share_practice=False,
        always_share_assessment=True,
        always_share_support=True,
        always_share_feedback=False,
    )
    for birth_date in (datetime.date(2014, 3, 1), datetime.date(2005, 1, 1), None):
        _born(a.learner, birth_date)
        shared = _topics(a)
        assert {"messages", "assessment", "support"} <= shared
        assert not {"practice", "feedback"} & shared
    assert _topics(world.b) == SCHOOL_ALWAYS | LEARNERS_OWN  # school B keeps the defaults


# ------------------------------------------------------------------------------- the learner's choices


def test_three_separate_choices_reflections_need_goals_and_saving_twice_changes_nothing(world: Any) -> None:
    a = world.a
    _old_enough(a)
    with pytest.raises(DomainError, match="share your goals too"):
        _choose(a, reflections=True)
    assert not LearnerProfile.objects.filter(share_reflections=True).exists()
    assert _choose(a, profile=False, goals=True, reflections=True) is True
    profile = LearnerProfile.objects.get(learner=a.learner)
    assert (profile.share_profile, profile.share_goals, profile.share_reflections) == (False, True, True)
    assert _choose(a, profile=False, goals=True, reflections=True) is False
    assert LearnerProfileVersion.objects.filter(profile=profile).count() == 1


def test_the_database_refuses_reflections_without_goals(world: Any) -> None:
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        LearnerProfile.objects.create(school=world.a.school, learner=world.a.learner, share_reflections=True)


def test_the_learner_old_enough_ticks_three_boxes_and_is_told_what_is_shared(world: Any) -> None:
    a = world.a
    _old_enough(a)
    client = _client(a.learner)
    url = f"/me/profile/sharing/?school={a.school.pk}"
    page = client.get(f"/me/profile/?school={a.school.pk}").content.decode()
    for label in ("Share my profile with my family", "Share my goals with my family", "Share my reflections"):
        assert label in page
    assert "Your family cannot see your goals." in page

    refused = client.post(url, {"reflections": "on"})
    assert refused.status_code == 400
    assert "share your goals too" in refused.content.decode()
    assert not LearnerProfile.objects.filter(share_reflections=True).exists()

    saved = client.post(url, {"goals": "on", "reflections": "on"}, follow=True).content.decode()
    assert "Saved. Your family can now see: your goals, your reflections." in saved
    assert "Your family can see your goals." in saved and "Your family cannot see your profile." in saved
    again = client.post(url, {"goals": "on", "reflections": "on"}, follow=True).content.decode()
    assert "nothing changed" in again
    private = client.post(url, {}, follow=True).content.decode()
    assert "now private from your family" in private


def test_below_the_age_the_page_explains_and_the_choice_is_refused(world: Any) -> None:
    a = world.a  # 12, the school's age is 13
    client = _client(a.learner)
    page = client.get(f"/me/profile/?school={a.school.pk}").content.decode()
    assert "Your school shares these with your family until you are 13" in page
    assert "Share my goals with my family" not in page
    response = client.post(f"/me/profile/sharing/?school={a.school.pk}", {"goals": "on"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        _choose(a, goals=True)
    assert not LearnerProfile.objects.filter(share_goals=True).exists()


# ------------------------------------------------------------------------------ what guardians then read


def test_guardians_read_exactly_what_is_shared_profile_goals_reflections(world: Any) -> None:
    a = world.a
    _old_enough(a)
    profile_services.profile_update(learner=a.learner, school=a.school, data={"strengths": "Drawing"})
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Read a book a month")
    goal_services.reflection_add(
        actor=a.learner, goal_id=goal.pk, prompt="What helped?", text="My secret diary"
    )
    member = a.membership(a.learner).pk
    guardian = _client(a.guardian)
    profile_url, goals_url = f"/learners/{member}/profile/", f"/learners/{member}/goals/"
    goal_url = f"/learners/{member}/goals/{goal.pk}/"

    assert [guardian.get(u).status_code for u in (profile_url, goals_url, goal_url)] == [404, 404, 404]
    _choose(a, goals=True)
    assert [guardian.get(u).status_code for u in (profile_url, goals_url, goal_url)] == [404, 200, 200]
    assert "Read a book a month" in guardian.get(goals_url).content.decode()
    page = guardian.get(goal_url).content.decode()
    assert "My secret diary" not in page and "does not share their reflections with you" in page
    _choose(a, goals=True, reflections=True)
    assert "My secret diary" in guardian.get(goal_url).content.decode()
    detail = guardian.get(f"/learners/{member}/").content.decode()
    assert f'href="{goals_url}"' in detail and f'href="{profile_url}"' not in detail, "no link to a 404"
    _choose(a, profile=True)
    assert [guardian.get(u).status_code for u in (profile_url, goals_url, goal_url)] == [200, 404, 404]
    detail = guardian.get(f"/learners/{member}/").content.decode()
    assert f'href="{profile_url}"' in detail and f'href="{goals_url}"' not in detail
    # The teacher reads everything whatever the learner shares with their family.
    assert "My secret diary" in _client(a.teacher).get(goal_url).content.decode()


# -------------------------------------------------------------------------- the administrator's page


def test_the_administrator_sets_what_the_school_always_shares(world: Any) -> None:
    a = world.a
    url = f"/school/{a.school.pk}/sharing/"
    admin = _client(a.admin)
    page = admin.get(url).content.decode()
    assert "Sharing with families" in page and 'value="13"' in page
    saved = admin.post(
        url, {"learner_chooses_sharing_from_age": "15", "always_share_support": "on"}, follow=True
    )
    assert "Sharing with families saved." in saved.content.decode()
    policy = PersonalizationPolicy.objects.get(school=a.school)
    assert policy.learner_chooses_sharing_from_age == 15
    assert (policy.always_share_support, policy.always_share_practice, policy.always_share_feedback) == (
        True,
        False,
        False,
    )
    again = admin.post(
        url, {"learner_chooses_sharing_from_age": "15", "always_share_support": "on"}, follow=True
    )
    assert "Nothing changed." in again.content.decode()


def test_a_wrong_age_is_a_form_error_and_changes_nothing(world: Any) -> None:
    a = world.a
    response = _client(a.admin).post(
        f"/school/{a.school.pk}/sharing/", {"learner_chooses_sharing_from_age": "99"}
    )
    assert response.status_code == 400
    assert "less than or equal to 25" in response.content.decode()
    assert not PersonalizationPolicy.objects.exists()
    with pytest.raises(DomainError, match="from 5 to 25"):
        sharing_services.sharing_policy_set(
            actor=a.admin, school=a.school, data={"learner_chooses_sharing_from_age": 3}
        )


def test_only_the_schools_administrators_set_its_rules(world: Any) -> None:
    a, b = world.a, world.b
    for person in (a.teacher, a.learner, a.guardian, b.admin):
        assert _client(person).get(f"/school/{a.school.pk}/sharing/").status_code == 404
        response = _client(person).post(
            f"/school/{a.school.pk}/sharing/", {"learner_chooses_sharing_from_age": "5"}
        )
        assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        sharing_services.sharing_policy_set(
            actor=b.admin, school=a.school, data={"always_share_support": True}
        )
    assert not PersonalizationPolicy.objects.exists()


# ------------------------------------------------------------------------------------------ feed events


def test_reaching_a_goal_records_one_event_reaching_it_again_after_reopening_another(world: Any) -> None:
    a = world.a
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Run 5 km")
    goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status=Goal.Status.REACHED)
    goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status=Goal.Status.REACHED)
    event = FeedEvent.objects.get()
    assert (event.kind, event.topic, event.payload["goal"]) == ("goal_reached", "goals", "Run 5 km")
    goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status=Goal.Status.ACTIVE)
    goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status=Goal.Status.REACHED)
    assert FeedEvent.objects.filter(kind="goal_reached").count() == 2


def test_no_event_when_the_change_is_refused_or_rolled_back(world: Any) -> None:
    a = world.a
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Run 5 km")
    with pytest.raises(NotFound):
        goal_services.goal_status_set(actor=world.b.guardian, goal_id=goal.pk, status=Goal.Status.REACHED)
    with pytest.raises(PermissionDenied):
        goal_services.goal_status_set(actor=a.teacher, goal_id=goal.pk, status=Goal.Status.REACHED)
    with pytest.raises(RuntimeError), transaction.atomic():
        goal_services.goal_status_set(actor=a.learner, goal_id=goal.pk, status=Goal.Status.REACHED)
        raise RuntimeError("the request failed after the change")
    assert not FeedEvent.objects.exists()
    assert Goal.objects.get().status == Goal.Status.ACTIVE


def test_a_teachers_comment_on_a_goal_is_feedback_about_the_goal(world: Any) -> None:
    a = world.a
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Run 5 km")
    with pytest.raises(PermissionDenied):
        goal_services.goal_comment_add(author=a.learner, goal_id=goal.pk, text="Me")
    goal_services.goal_comment_add(author=a.teacher, goal_id=goal.pk, text="Keep going")
    event = FeedEvent.objects.get()
    assert (event.kind, event.topic) == ("teacher_feedback", "goals")  # it names the goal
    assert "Keep going" not in str(event.payload)


def test_a_supporters_comment_on_a_goal_is_not_family_news(world: Any) -> None:
    """It would tell the family who supports the child, which the school shares only as it chooses."""
    a = world.a
    goal = goal_services.goal_create(learner=a.learner, school=a.school, title="Run 5 km")
    for supporter in (a.specialist, a.para, a.mentor):
        goal_services.goal_comment_add(author=supporter, goal_id=goal.pk, text="Well done")
    assert goal.comments.count() == 3
    assert not FeedEvent.objects.exists()


def test_a_teachers_answer_to_a_proposal_is_feedback_shared_as_goals_are(world: Any) -> None:
    a = world.a
    proposal = choice_services.proposal_create(
        learner=a.learner, school_class=a.klass, title="A comic about fractions", description="d"
    )
    choice_services.proposal_decide(actor=a.teacher, proposal=proposal, decision="accepted")
    event = FeedEvent.objects.get()
    assert (event.kind, event.topic, event.payload["proposal"]) == (
        "teacher_feedback",
        "goals",  # it names the learner's own proposal
        "A comic about fractions",
    )
    with pytest.raises(DomainError):
        choice_services.proposal_decide(actor=a.teacher, proposal=proposal, decision="declined", comment="x")
    assert FeedEvent.objects.count() == 1
