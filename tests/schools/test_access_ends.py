"""Access that ends, as people notice it: a deactivated account is signed out and cannot sign in; a
teacher whose teaching ended, a supporter whose assignment ended, and everyone but the administrators of a
class whose term is over no longer see the class or its learners. Each can be undone by an administrator
(reactivate, assign again, extend the term), with a message, and each change is audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tessera.family.messages import selectors as message_selectors
from tessera.schools import permissions
from tessera.schools.models import AuditEntry, SupportAssignment, TeachingAssignment, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def school(world: Any) -> str:
    return f"/school/{world.a.school.pk}"


def learner_page(world: Any) -> str:
    return f"/learners/{world.a.membership(world.a.learner).pk}/"


def text(response: Any) -> str:
    return response.content.decode()  # type: ignore[no-any-return]


# --- deactivated accounts ----------------------------------------------------------------------------


def test_deactivating_an_account_signs_it_out_everywhere_and_reactivating_lets_it_sign_in(world: Any) -> None:
    a = world.a
    laptop, phone = signed_in(a.teacher), signed_in(a.teacher)
    assert laptop.get(f"/classes/{a.klass.pk}/").status_code == 200
    admin = signed_in(a.admin)
    url = f"{school(world)}/people/{a.teacher.pk}/deactivate/"
    assert "Deactivate account" in text(admin.get(url))

    page = text(admin.post(url, follow=True))
    assert "Teacher A&#x27;s account is deactivated and signed out everywhere." in page
    assert "This account is deactivated" in page
    for device in (laptop, phone):
        assert device.get(f"/classes/{a.klass.pk}/").status_code == 302  # to the sign-in page
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(a.teacher.pk)]
    assert (
        Client().post("/accounts/login/", {"username": "a.teacher", "password": PASSWORD}).status_code == 200
    )
    assert not permissions.learners_visible_to(a.teacher).exists()

    page = text(admin.post(f"{school(world)}/people/{a.teacher.pk}/reactivate/", follow=True))
    assert "Teacher A&#x27;s account is active again" in page
    assert laptop.get(f"/classes/{a.klass.pk}/").status_code == 302  # old sessions do not come back
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": "a.teacher", "password": PASSWORD}).status_code == 302
    assert fresh.get(f"/classes/{a.klass.pk}/").status_code == 200
    actions = list(AuditEntry.objects.filter(subject=a.teacher).values_list("actor", "action"))
    assert actions == [
        (a.admin.pk, AuditEntry.Action.ACCOUNT_REACTIVATED),
        (a.admin.pk, AuditEntry.Action.ACCOUNT_DEACTIVATED),
    ]


def test_an_administrator_cannot_switch_off_their_own_account_or_another_schools(world: Any) -> None:
    a = world.a
    admin = signed_in(a.admin)
    page = text(admin.post(f"{school(world)}/people/{a.admin.pk}/deactivate/", follow=True))
    assert "You cannot deactivate your own account." in page
    # School A's learner also learns in school B: only school A's roles are this administrator's to end.
    world.b.school.membership_set.create(user=a.learner, role="learner", grade_level=7)
    page = text(admin.post(f"{school(world)}/people/{a.learner.pk}/deactivate/", follow=True))
    assert "Learner A also belongs to another school" in page
    assert User.objects.filter(pk__in=[a.admin.pk, a.learner.pk], is_active=True).count() == 2
    assert not AuditEntry.objects.exists()


# --- teaching and support that end ------------------------------------------------------------------


def test_ending_a_teaching_assignment_closes_the_class_and_its_learners_until_assigned_again(
    world: Any,
) -> None:
    a = world.a
    teacher = signed_in(a.teacher)
    assert teacher.get(learner_page(world)).status_code == 200
    assert teacher.get(f"{learner_page(world)}profile/").status_code == 200
    admin = signed_in(a.admin)
    assignment = TeachingAssignment.objects.get(teacher=a.teacher, school_class=a.klass)
    class_page = text(admin.get(f"{school(world)}/classes/{a.klass.pk}/"))
    end_url = f"{school(world)}/teaching/{assignment.pk}/end/"
    assert f'href="{end_url}"' in class_page

    page = text(admin.post(end_url, follow=True))
    assert "Teacher A no longer teaches Maths 7." in page
    assert f'href="{end_url}"' not in page
    assert teacher.get(f"/classes/{a.klass.pk}/").status_code == 404
    assert teacher.get(learner_page(world)).status_code == 404
    assert teacher.get(f"{learner_page(world)}profile/").status_code == 404
    assert teacher.get(f"/classes/{a.klass.pk}/sign-in/").status_code == 404
    assert not message_selectors.teaches_child(
        teacher=a.teacher, school_id=a.school.pk, learner_id=a.learner.pk
    )
    assert signed_in(a.co_teacher).get(learner_page(world)).status_code == 200  # the co-teacher still does
    entry = AuditEntry.objects.get(action=AuditEntry.Action.TEACHING_ENDED)
    assert (entry.actor, entry.subject, entry.school_class) == (a.admin, a.teacher, a.klass)

    again = admin.post(
        f"{school(world)}/classes/{a.klass.pk}/teachers/",
        {"teacher-teacher": a.membership(a.teacher, "teacher").pk, "teacher-kind": "lead"},
    )
    assert again.status_code == 302
    assert teacher.get(learner_page(world)).status_code == 200
    assert TeachingAssignment.objects.filter(teacher=a.teacher, school_class=a.klass).count() == 2


def test_ending_a_support_assignment_closes_the_learner_until_assigned_again(world: Any) -> None:
    a = world.a
    para = signed_in(a.para)
    assert para.get(learner_page(world)).status_code == 200
    admin = signed_in(a.admin)
    assignment = SupportAssignment.objects.get(staff=a.para, learner=a.learner)
    end_url = f"{school(world)}/support/{assignment.pk}/end/"
    assert f'href="{end_url}"' in text(admin.get(f"{school(world)}/people/{a.learner.pk}/"))

    page = text(admin.post(end_url, follow=True))
    assert "Para A no longer works with Learner A." in page
    assert para.get(learner_page(world)).status_code == 404
    assert AuditEntry.objects.get(action=AuditEntry.Action.SUPPORT_ENDED).subject == a.para
    assert admin.post(end_url).status_code == 404  # already ended: nothing left to end

    admin.post(
        f"{school(world)}/people/{a.learner.pk}/support/",
        {"support-staff": a.membership(a.para, "para_professional").pk},
    )
    assert para.get(learner_page(world)).status_code == 200


# --- terms that end -----------------------------------------------------------------------------------


def test_a_class_whose_term_ended_is_closed_to_all_but_administrators_until_the_term_is_extended(
    world: Any,
) -> None:
    a = world.a
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    a.term.starts_on = yesterday - datetime.timedelta(days=200)
    a.term.save()
    admin = signed_in(a.admin)
    term_url = f"{school(world)}/terms/{a.term.pk}/"
    response = admin.post(term_url, {"ends_on": yesterday.isoformat()}, follow=True)
    assert f"2026-2027 now ends on {yesterday:%Y-%m-%d}." in text(response)
    assert "ended: its classes are open to administrators only" in text(response)

    for person in (a.teacher, a.co_teacher, a.learner, a.guardian):
        assert signed_in(person).get(f"/classes/{a.klass.pk}/").status_code == 404, person
    assert signed_in(a.teacher).get(learner_page(world)).status_code == 404
    assert signed_in(a.admin).get(f"/classes/{a.klass.pk}/").status_code == 200
    assert "the term ended on" in text(admin.get(f"{school(world)}/classes/{a.klass.pk}/"))

    later = timezone.localdate() + datetime.timedelta(days=60)
    admin.post(term_url, {"ends_on": later.isoformat()})
    assert signed_in(a.teacher).get(learner_page(world)).status_code == 200
    assert signed_in(a.learner).get(f"/classes/{a.klass.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TERM_DATES_CHANGED).count() == 2


def test_a_term_cannot_end_before_it_starts(world: Any) -> None:
    a = world.a
    response = signed_in(a.admin).post(f"{school(world)}/terms/{a.term.pk}/", {"ends_on": "2026-08-01"})
    assert response.status_code == 400
    assert "A term must end after it starts." in text(response)
    a.term.refresh_from_db()
    assert a.term.ends_on == datetime.date(2027, 7, 1)
    assert not AuditEntry.objects.exists()
