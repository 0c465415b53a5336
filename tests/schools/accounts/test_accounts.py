"""Accounts: password reset (with the under-13 rule), password change, login throttling, security headers
and CSRF. Learners are never signed up by themselves; the school adds them (see tessera.schools.invitations).
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tessera.schools.models import GuardianInvitation, User
from tests.conftest import PASSWORD, World

NEW_PASSWORD = "purple otters juggle quietly"
LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"


def years_ago(years: int, extra_days: int = 0) -> datetime.date:
    """A birth date that makes someone ``years`` old today (``extra_days`` past their birthday)."""
    today = timezone.localdate()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - datetime.timedelta(days=extra_days)


def set_birth_date(user: User, birth_date: datetime.date | None) -> None:
    user.birth_date = birth_date
    user.save(update_fields=["birth_date"])


def sign_in(client: Client, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


# --- password reset --------------------------------------------------------------------------------


def test_reset_page_tells_young_learners_to_ask_their_teacher(client: Client) -> None:
    page = client.get(RESET).content.decode()
    assert "Learners under 13 cannot reset a password by e-mail: ask your teacher" in page


def test_password_reset_by_email_end_to_end(world: World, client: Client) -> None:
    teacher = world.a.teacher
    response = client.post(RESET, {"email": "TEACHER@a.example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["teacher@a.example.org"]
    assert message.subject == "Reset your Tessera password"
    assert "Your username is a.teacher." in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert b"Choose a new password" in form_page.content
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password/reset/complete/"

    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)
    assert not teacher.check_password(PASSWORD)
    assert sign_in(Client(), "a.teacher", NEW_PASSWORD).status_code == 302
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert b"This link does not work any more" in again.content


def test_reset_with_a_weak_new_password_is_refused(world: World, client: Client) -> None:
    client.post(RESET, {"email": "teacher@a.example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    set_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    world.a.teacher.refresh_from_db()
    assert world.a.teacher.check_password(PASSWORD)


def test_learner_under_13_gets_no_reset_email_and_the_same_answer_as_a_stranger(
    world: World, client: Client
) -> None:
    set_birth_date(world.a.learner, years_ago(12, extra_days=300))
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    young = client.post(RESET, {"email": "learner@a.example.org"})
    assert mail.outbox == []
    assert (young.status_code, young["Location"]) == (unknown.status_code, unknown["Location"])
    done = client.get(young["Location"]).content.decode()
    assert "ask your teacher" in done
    assert "learner@a.example.org" not in done


def test_learner_of_13_can_reset_by_email(world: World, client: Client) -> None:
    set_birth_date(world.a.other_learner, years_ago(13))
    client.post(RESET, {"email": "other_learner@a.example.org"})
    assert [m.to for m in mail.outbox] == [["other_learner@a.example.org"]]


def test_learner_without_a_birth_date_is_treated_as_too_young(world: World, client: Client) -> None:
    set_birth_date(world.a.other_learner, None)
    client.post(RESET, {"email": "other_learner@a.example.org"})
    assert mail.outbox == []


def test_reset_with_a_malformed_address_says_so(client: Client) -> None:
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


# --- password change -------------------------------------------------------------------------------


def test_password_change_works_with_the_old_password(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.teacher)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password/done/"
    world.a.teacher.refresh_from_db()
    assert world.a.teacher.check_password(NEW_PASSWORD)
    assert is_signed_in(client), "changing the password keeps this session signed in"


def test_password_change_rejects_a_wrong_old_password(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.a.teacher).post(
        "/accounts/password/",
        {"old_password": "not my password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your old password was entered incorrectly" in page
    assert 'role="alert"' in page
    world.a.teacher.refresh_from_db()
    assert world.a.teacher.check_password(PASSWORD)


# --- sign-in and throttling ------------------------------------------------------------------------


def test_login_page_links_to_invitations_and_reset(client: Client) -> None:
    page = client.get(LOGIN).content.decode()
    assert 'href="/accounts/invitation/"' in page
    assert "I have an invitation code from my child's school" in page
    assert 'href="/accounts/password/reset/"' in page
    assert '<button type="submit">Sign in</button>' in page


def test_login_with_a_wrong_password_says_so(world: World, client: Client) -> None:
    response = sign_in(client, "a.teacher", "wrong password")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'role="alert"[^>]*>.*Please enter a correct username and password', page, re.S)
    assert not is_signed_in(client)


def test_login_with_empty_fields_names_them(client: Client) -> None:
    page = sign_in(client, "", "").content.decode()
    assert '<a href="#id_username">Username: This field is required.</a>' in page
    assert '<a href="#id_password">Password: This field is required.</a>' in page


def test_login_signs_in_with_a_secure_session_cookie(world: World, client: Client) -> None:
    response = sign_in(client, "a.teacher", PASSWORD)
    assert response["Location"] == "/"
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["sessionid"]["samesite"] == "Lax"
    assert is_signed_in(client)


def test_repeated_failures_lock_the_account_from_every_address(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "a.teacher", "wrong password").status_code == 200
    assert sign_in(client, "a.teacher", "wrong password").status_code == 429

    locked = sign_in(client, "a.teacher", PASSWORD)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert not is_signed_in(client)

    # Someone else on the same network still signs in; the account is locked from elsewhere too.
    other = Client()
    assert sign_in(other, "a.co_teacher", PASSWORD)["Location"] == "/"
    assert is_signed_in(other)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(elsewhere, "a.teacher", PASSWORD).status_code == 429
    assert not is_signed_in(elsewhere)


def test_a_success_before_the_limit_resets_the_count(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "a.teacher", "wrong password")
    assert sign_in(client, "a.teacher", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "a.teacher", "wrong password").status_code == 200
    assert sign_in(client, "a.teacher", PASSWORD).status_code == 302


# --- headers, cookies, CSRF ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LOGIN, RESET, "/accounts/invitation/", "/"])
def test_pages_send_security_headers_and_have_no_inline_code(world: World, client_for, url: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin) if url == "/" else Client()
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    page = response.content.decode()
    assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_page_posts_without_a_csrf_token_are_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"username": "a.teacher", "password": PASSWORD}).status_code == 403
    assert client.post("/accounts/invitation/", {"code": "ABCD-EFGH-JKMN"}).status_code == 403
    client.force_login(world.a.teacher, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    world.a.teacher.refresh_from_db()
    assert world.a.teacher.check_password(PASSWORD)


def test_api_posts_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.admin, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/api/schools/{world.a.school.pk}/guardian-invitations"
    body = json.dumps({"learner_id": world.a.membership(world.a.learner).pk, "email": "mum@example.org"})

    refused = client.post(url, data=body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not GuardianInvitation.objects.exists()

    client.get("/")  # the page sets the CSRF cookie, as a browser would get it
    token = client.cookies["csrftoken"].value
    accepted = client.post(url, data=body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201
    assert GuardianInvitation.objects.count() == 1


def test_the_sign_in_page_does_not_steal_focus(db) -> None:  # type: ignore[no-untyped-def]
    """No autofocus: a keyboard or screen-reader user starts at "Skip to content", and a phone does not
    open its keyboard over the page."""
    page = Client().get("/accounts/login/").content.decode()
    assert 'name="username"' in page
    assert "autofocus" not in page
