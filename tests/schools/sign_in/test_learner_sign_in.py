"""A learner's sign-in, as teachers and administrators use it: set a password, print sign-in cards.

A learner the school added has no password; the reset page sends under-13s to their teacher. These tests
follow that teacher: the class page links to the sign-in page, the password they set lets the learner
sign in, bad input changes nothing, cards never lock a learner out unless the teacher chose to, and
each change is in the audit log with who did it, for whom and when.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tessera.schools import services
from tessera.schools.models import AuditEntry, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signs_in(username: str, password: str) -> bool:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": password})
    return client.get("/").status_code == 200


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def newcomer(world: Any) -> User:
    """A learner the administrator just added to the teacher's class: no password yet."""
    a = world.a
    learner = services.person_add(
        actor=a.admin,
        school=a.school,
        username="a.newcomer",
        first_name="Nia",
        last_name="Newcomer",
        role="learner",
        grade_level=7,
        require_same_person=True,
    ).user
    services.learner_enrol(actor=a.admin, school_class=a.klass, learner=learner)
    assert not learner.has_usable_password()
    return learner


def password_url(world: Any, learner: User) -> str:
    return f"/classes/{world.a.klass.pk}/sign-in/{learner.pk}/password/"


def test_the_class_page_leads_a_teacher_to_the_learners_sign_in(world: Any, newcomer: User) -> None:
    teacher = signed_in(world.a.teacher)
    class_page = teacher.get(f"/classes/{world.a.klass.pk}/").content.decode()
    assert f'href="/classes/{world.a.klass.pk}/sign-in/"' in class_page
    page = teacher.get(f"/classes/{world.a.klass.pk}/sign-in/").content.decode()
    assert "Nia Newcomer" in page and "no password yet: cannot sign in" in page
    assert f'href="{password_url(world, newcomer)}"' in page

    assert "Set Nia Newcomer's password" in page


def test_a_teacher_sets_a_learners_first_password_and_the_learner_signs_in(
    world: Any, newcomer: User
) -> None:
    teacher = signed_in(world.a.teacher)
    response = teacher.post(
        password_url(world, newcomer),
        {"password1": "purple kite 2031", "password2": "purple kite 2031"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nia Newcomer&#x27;s password is set." in response.content.decode()
    assert signs_in("a.newcomer", "purple kite 2031")
    entry = AuditEntry.objects.get(subject=newcomer)
    assert (entry.actor, entry.action, entry.school_class, entry.school) == (
        world.a.teacher,
        AuditEntry.Action.PASSWORD_SET,
        world.a.klass,
        world.a.school,
    )
    assert entry.detail == "set a first password"


def test_an_administrator_resets_a_password_and_the_old_one_stops_working(world: Any) -> None:
    admin = signed_in(world.a.admin)
    learner = world.a.learner
    response = admin.post(
        password_url(world, learner), {"password1": "orange river 77", "password2": "orange river 77"}
    )
    assert response.status_code == 302
    assert signs_in(learner.username, "orange river 77")
    assert not signs_in(learner.username, PASSWORD)
    assert AuditEntry.objects.get(subject=learner).detail == "reset the password"


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("short1", "short1", "This password is too short. It must contain at least 10 characters."),
        ("1234567890", "1234567890", "This password is entirely numeric."),
        ("purple kite 2031", "purple kite 2032", "The two passwords differ; type the same password twice."),
        ("", "", "This field is required."),
    ],
)
def test_a_bad_password_is_a_form_error_that_changes_nothing(
    world: Any, newcomer: User, first: str, second: str, message: str
) -> None:
    teacher = signed_in(world.a.teacher)
    response = teacher.post(password_url(world, newcomer), {"password1": first, "password2": second})
    assert response.status_code == 400
    assert message in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert not AuditEntry.objects.exists()


def test_only_the_learners_teachers_and_administrators_may_set_it(world: Any, newcomer: User) -> None:
    a = world.a
    payload = {"password1": "purple kite 2031", "password2": "purple kite 2031"}
    for person in (a.other_teacher, a.guardian, a.learner, a.specialist, world.b.admin, world.b.teacher):
        assert signed_in(person).post(password_url(world, newcomer), payload).status_code == 404, person
    # A learner of another class, through this class's address: not found either.
    assert signed_in(a.teacher).get(password_url(world, a.other_learner)).status_code == 404
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert not AuditEntry.objects.exists()


def _card_passwords(page: str) -> dict[str, str]:
    """Name on each card → the password it shows."""
    cards = re.findall(r'<li class="sign-in-card">(.*?)</li>', page, re.S)
    found = {}
    for card in cards:
        name = re.search(r"<h2>(.*?)</h2>", card).group(1)  # type: ignore[union-attr]
        password = re.search(r"<dt>Password</dt>\s*<dd[^>]*>(.*?)</dd>", card).group(1)  # type: ignore[union-attr]
        found[name] = password
    return found


def test_cards_give_new_learners_a_password_and_leave_other_passwords_alone(
    world: Any, newcomer: User
) -> None:
    teacher = signed_in(world.a.teacher)
    url = f"/classes/{world.a.klass.pk}/sign-in/"
    before = teacher.get(url).content.decode()
    assert "1 learner has no password yet: their card gets a new one." in before
    assert "1 learner already has a password: their card keeps it (and says so)" in before

    response = teacher.post(url, {})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # never cached: it shows passwords
    page = response.content.decode()
    cards = _card_passwords(page)
    assert set(cards) == {"Nia Newcomer", "Learner A"}
    assert cards["Learner A"] == "the password you already have"
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d\d", cards["Nia Newcomer"])
    assert "1 learner got a new password" in page
    assert signs_in("a.newcomer", cards["Nia Newcomer"])
    assert signs_in("a.learner", PASSWORD)  # not locked out
    entries = {e.subject: e for e in AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN_CARD)}
    assert set(entries) == {newcomer, world.a.learner}
    assert all(e.actor == world.a.teacher and e.school_class == world.a.klass for e in entries.values())
    assert entries[world.a.learner].detail == "printed a sign-in card; the password they have was kept"


def test_cards_replace_existing_passwords_only_when_the_teacher_says_so(world: Any, newcomer: User) -> None:
    teacher = signed_in(world.a.teacher)
    page = teacher.post(f"/classes/{world.a.klass.pk}/sign-in/", {"reset_existing": "on"}).content.decode()
    cards = _card_passwords(page)
    assert "2 learners got new passwords; any password they had before no longer works." in page
    assert not signs_in("a.learner", PASSWORD)
    assert signs_in("a.learner", cards["Learner A"])
    assert AuditEntry.objects.get(subject=world.a.learner).detail == (
        "printed a sign-in card with a new password, replacing the old one"
    )


def test_a_teacher_of_another_class_gets_no_cards(world: Any, newcomer: User) -> None:
    response = signed_in(world.a.other_teacher).post(f"/classes/{world.a.klass.pk}/sign-in/", {})
    assert response.status_code == 404
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert not AuditEntry.objects.exists()
