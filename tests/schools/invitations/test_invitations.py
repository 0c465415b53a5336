"""Guardian invitations: administrators invite, guardians accept once with a code that expires."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from tessera.schools.errors import DomainError
from tessera.schools.invitations import services as invitations
from tessera.schools.invitations.services import (
    InvitationCodeError,
    IssuedInvitation,
    NewGuardianAccount,
    guardian_invitation_accept,
    guardian_invitation_create,
)
from tessera.schools.models import GuardianInvitation, Guardianship, User
from tests.conftest import World
from tests.schools.accounts.test_accounts import years_ago

ACCEPT = "/accounts/invitation/"
STRONG = "purple otters juggle quietly"


def invite(world: World, email: str = "mum@example.org", relationship: str = "parent") -> IssuedInvitation:
    return guardian_invitation_create(
        actor=world.a.admin,
        learner=world.a.membership(world.a.learner),
        email=email,
        relationship=relationship,
        accept_url="http://testserver/accounts/invitation/",
    )


def sign_up(client: Client, code: str, username: str = "mum", password: str = STRONG):  # type: ignore[no-untyped-def]
    return client.post(
        ACCEPT,
        {
            "code": code,
            "first_name": "Maria",
            "last_name": "Lopez",
            "username": username,
            "password1": password,
            "password2": password,
        },
    )


def links_of(learner: User) -> int:
    return Guardianship.objects.filter(learner=learner, revoked_at__isnull=True).count()


# --- inviting --------------------------------------------------------------------------------------


def test_admin_invites_on_the_page_and_sees_the_code_once(
    world: World,
    client_for,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(world.a.admin)
    url = f"/accounts/invitations/new/{world.a.membership(world.a.learner).pk}/"
    form = client.get(url).content.decode()
    assert "Invite a guardian of Learner A" in form
    assert '<label for="id_email">' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "mum@example.org", "relationship": "parent"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = re.search(r"<code>([A-Z0-9-]+)</code>", response.content.decode())
    assert code is not None

    invitation = GuardianInvitation.objects.get()
    assert invitation.school == world.a.school
    assert invitation.learner == world.a.learner
    assert invitation.created_by == world.a.admin
    assert invitation.code_hash == hashlib.sha256(code.group(1).replace("-", "").encode()).hexdigest()
    assert code.group(1) not in str(GuardianInvitation.objects.values().get())
    expected_expiry = timezone.now() + datetime.timedelta(days=settings.GUARDIAN_INVITATION_DAYS)
    assert abs(invitation.expires_at - expected_expiry) < datetime.timedelta(minutes=1)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mum@example.org"]
    assert message.subject == "Your invitation to Tessera from School A"
    assert code.group(1) in message.body
    assert "http://testserver/accounts/invitation/" in message.body


def test_inviting_with_a_bad_address_says_so_and_creates_nothing(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/accounts/invitations/new/{world.a.membership(world.a.learner).pk}/"
    response = client_for(world.a.admin).post(url, {"email": "mum at home", "relationship": "parent"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not GuardianInvitation.objects.exists()
    assert mail.outbox == []


def test_the_mail_is_sent_only_when_the_invitation_is_saved(world: World) -> None:
    # Inside the test's transaction nothing has committed, so nothing may have been announced yet.
    invite(world)
    assert mail.outbox == []


def test_every_invitation_gets_its_own_code(world: World) -> None:
    codes = {invite(world, email=f"g{i}@example.org").code for i in range(5)}
    assert len(codes) == 5
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code) for code in codes)


def test_api_invites_and_returns_the_code(
    world: World, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    learner = world.a.membership(world.a.learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/schools/{world.a.school.pk}/guardian-invitations",
            data=json.dumps(
                {"learner_id": learner.pk, "email": "gran@example.org", "relationship": "relative"}
            ),
            content_type="application/json",
        )
    assert response.status_code == 201
    body = response.json()
    assert body["learner_id"] == learner.pk
    assert body["relationship"] == "relative"
    assert body["code"] in mail.outbox[0].body
    assert GuardianInvitation.objects.get().code_hash == invitations.code_hash(body["code"])


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        ({"email": "gran"}, 400, "“gran” is not an e-mail address."),
        ({"relationship": "uncle"}, 400, "Unknown relationship “uncle”"),
        ({"learner_id": "teacher"}, 404, "No learner"),
        ({"learner_id": "b_learner"}, 404, "No learner"),
        ({"email": None}, 422, "email"),
    ],
)
def test_api_bad_input_says_what_is_wrong_and_changes_nothing(  # type: ignore[no-untyped-def]
    world: World, client_for, change, status, detail
) -> None:
    body = {"learner_id": world.a.membership(world.a.learner).pk, "email": "gran@example.org"}
    body.update(change)
    if body["learner_id"] == "teacher":
        body["learner_id"] = world.a.membership(world.a.teacher, role="teacher").pk
    elif body["learner_id"] == "b_learner":
        body["learner_id"] = world.b.membership(world.b.learner).pk
    response = client_for(world.a.admin).post(
        f"/api/schools/{world.a.school.pk}/guardian-invitations",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert not GuardianInvitation.objects.exists()


# --- accepting -------------------------------------------------------------------------------------


def test_a_new_guardian_signs_up_with_the_code(world: World, client: Client) -> None:
    issued = invite(world, relationship="guardian")
    page = client.get(ACCEPT).content.decode()
    assert '<label for="id_code">' in page
    assert '<button type="submit">Create my account</button>' in page
    messy_code = issued.code.lower().replace("-", " ")
    response = sign_up(client, messy_code)
    assert response["Location"] == "/"

    guardian = User.objects.get(username="mum")
    assert guardian.email == "mum@example.org"
    assert guardian.name == "Maria Lopez"
    link = Guardianship.objects.get(guardian=guardian)
    assert (link.learner, link.school, link.relationship) == (world.a.learner, world.a.school, "guardian")
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is not None
    assert issued.invitation.used_by == guardian

    home = client.get("/").content.decode()  # signed in straight away
    assert "Your account is now linked to Learner A at School A." in home
    assert "Your children" in home and "Learner A" in home


def test_a_signed_in_guardian_links_a_child_from_another_school(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world)
    client = client_for(world.b.guardian)
    page = client.get(ACCEPT).content.decode()
    assert "You are signed in as Guardian" in page
    assert "id_password1" not in page
    assert '<button type="submit">Add the child to my account</button>' in page
    response = client.post(ACCEPT, {"code": issued.code})
    assert response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Learner A" in home and "Learner B" in home
    assert Guardianship.objects.filter(guardian=world.b.guardian, school=world.a.school).exists()


def assert_refused(response, field_message: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert field_message in page


def test_a_code_works_only_once(world: World, client: Client) -> None:
    issued = invite(world)
    sign_up(client, issued.code)
    client.post("/accounts/logout/")
    second = sign_up(Client(), issued.code, username="dad")
    assert_refused(second, "This invitation code has already been used.")
    assert not User.objects.filter(username="dad").exists()
    assert links_of(world.a.learner) == 2  # the fixture's guardian and the first sign-up


def test_an_expired_code_is_refused(world: World, client: Client) -> None:
    issued = invite(world)
    GuardianInvitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert_refused(sign_up(client, issued.code), "This invitation code expired on")
    assert not User.objects.filter(username="mum").exists()
    assert links_of(world.a.learner) == 1
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is None


def test_a_wrong_code_is_refused(world: World, client: Client) -> None:
    invite(world)
    assert_refused(sign_up(client, "ABCD-EFGH-JKMN"), "That invitation code is not right.")
    assert not User.objects.filter(username="mum").exists()
    assert not GuardianInvitation.objects.filter(used_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("mum", "short", "This password is too short."),
        ("mum", "password1234", "This password is too common."),
        ("A.ADMIN", STRONG, "A user with that username already exists."),
    ],
)
def test_a_bad_account_is_refused_and_the_code_still_works(  # type: ignore[no-untyped-def]
    world: World, client: Client, username, password, message
) -> None:
    issued = invite(world)
    assert_refused(sign_up(client, issued.code, username=username, password=password), message)
    assert links_of(world.a.learner) == 1
    assert sign_up(client, issued.code, username="mum2")["Location"] == "/"


def test_the_service_refuses_a_malformed_username_too(world: World) -> None:
    issued = invite(world)
    account = NewGuardianAccount(username="maria lopez!", first_name="Maria", last_name="L", password=STRONG)
    with pytest.raises(DomainError, match="Enter a valid username"):
        guardian_invitation_accept(code=issued.code, new_account=account)
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is None
    assert links_of(world.a.learner) == 1


def test_an_existing_guardian_of_the_child_gets_a_clear_error(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    issued = invite(world)
    response = client_for(world.a.guardian).post(ACCEPT, {"code": issued.code})
    assert_refused(response, "is already a guardian of Learner A")
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is None


def test_a_young_learner_cannot_accept_an_invitation(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    world.a.other_learner.birth_date = years_ago(11)
    world.a.other_learner.save()
    issued = invite(world)
    response = client_for(world.a.other_learner).post(ACCEPT, {"code": issued.code})
    assert_refused(response, "This account cannot accept a guardian invitation.")
    assert not Guardianship.objects.filter(guardian=world.a.other_learner).exists()


def test_two_people_racing_with_one_code_cannot_both_win(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The second request read the invitation before the first one committed (a stale, unused copy);
    the conditional update still refuses it, and its new account is rolled back."""
    issued = invite(world)
    stale = GuardianInvitation.objects.select_related("school", "learner").get(pk=issued.invitation.pk)
    guardian_invitation_accept(code=issued.code, user=world.b.guardian)
    monkeypatch.setattr(invitations, "_usable_invitation", lambda code: stale)

    account = NewGuardianAccount(username="dad", first_name="Dan", last_name="Lopez", password=STRONG)
    with pytest.raises(InvitationCodeError, match="just been used"):
        guardian_invitation_accept(code=issued.code, new_account=account)
    assert not User.objects.filter(username="dad").exists()
    assert links_of(world.a.learner) == 2
    issued.invitation.refresh_from_db()
    assert issued.invitation.used_by == world.b.guardian


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acceptances_on_postgresql(world: World) -> None:
    """Two real requests at the same moment, each on its own connection: exactly one wins."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are exercised on PostgreSQL (.ci/run)")
    issued = invite(world)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(username: str) -> None:
        account = NewGuardianAccount(username=username, first_name="A", last_name="B", password=STRONG)
        start.wait()
        try:
            guardian_invitation_accept(code=issued.code, new_account=account)
            outcomes.append("linked")
        except InvitationCodeError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["linked", "refused"]
    assert User.objects.filter(username__in=["first", "second"]).count() == 1
    assert links_of(world.a.learner) == 2
