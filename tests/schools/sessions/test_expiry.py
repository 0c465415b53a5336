"""Sessions end after a while without requests (shorter for staff on shared school devices) and at the
latest some hours after signing in; the next page goes to the sign-in page saying why, the next API call
gets a JSON 401 saying why. Nothing a signed-in person is sent may be stored by a browser or a cache."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tessera.schools.sessions import expiry as session_expiry
from tests.conftest import PASSWORD, World

MINUTE = 60.0


class Clock:
    """Time as the sessions see it, moved forward by the test."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, minutes: float) -> None:
        self.now += minutes * MINUTE


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(session_expiry, "clock", fake)
    return fake


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response["Location"] == "/"
    return client


def goes_to_sign_in(response, path: str = "/") -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"


def test_staff_are_signed_out_after_30_idle_minutes_and_told_why(world: World, clock: Clock) -> None:
    teacher = signed_in("a.teacher")
    clock.wait(29)
    assert teacher.get("/").status_code == 200

    clock.wait(30)  # 30 minutes since the last request
    ended = teacher.get("/learn/")
    assert goes_to_sign_in(ended, "/learn/")
    page = teacher.get(ended["Location"]).content.decode()
    assert "Your session ended after 30 minutes without activity. Sign in again." in page
    assert goes_to_sign_in(teacher.get("/"))  # signed out, not only redirected once


def test_learners_and_guardians_get_longer_but_still_end(world: World, clock: Clock) -> None:
    learner, guardian = signed_in("a.learner"), signed_in("a.guardian")
    clock.wait(60)
    assert learner.get("/").status_code == 200
    assert guardian.get("/").status_code == 200
    clock.wait(120)
    assert goes_to_sign_in(learner.get("/"))
    assert goes_to_sign_in(guardian.get("/"))


def test_activity_keeps_a_session_until_the_absolute_limit(world: World, clock: Clock) -> None:
    teacher = signed_in("a.teacher")
    for _ in range(35):  # a request every 20 minutes for 11 h 40 min
        clock.wait(20)
        assert teacher.get("/").status_code == 200
    clock.wait(20)  # 12 hours after signing in
    ended = teacher.get("/")
    assert goes_to_sign_in(ended)
    page = teacher.get(ended["Location"]).content.decode()
    assert "Your session ended 12 hours after you signed in. Sign in again." in page


def test_the_api_answers_a_json_401_saying_the_session_ended(world: World, clock: Clock) -> None:
    teacher = signed_in("a.teacher")
    assert teacher.get("/api/me").status_code == 200
    clock.wait(31)
    ended = teacher.get("/api/me")
    assert ended.status_code == 401
    assert ended.json() == {"detail": "Your session ended after 30 minutes without activity. Sign in again."}
    assert teacher.get("/api/me").json() == {"detail": "Sign in first."}


def test_timeouts_are_configurable(world: World, clock: Clock, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_MINUTES_STAFF = 5
    settings.SESSION_MAX_HOURS = 1
    teacher = signed_in("a.teacher")
    clock.wait(6)
    assert goes_to_sign_in(teacher.get("/"))


def test_a_stream_can_ask_whether_its_session_still_holds(world: World, clock: Clock) -> None:
    """A long-lived stream is not a request: it re-reads its session and asks the same function."""
    guardian = signed_in("a.guardian")
    store = importlib.import_module(django_settings.SESSION_ENGINE).SessionStore
    key = guardian.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert session_expiry.session_still_valid(store(key))
    clock.wait(121)
    assert not session_expiry.session_still_valid(store(key))
    assert session_expiry.session_end_reason(store(key)) == "idle"


def test_a_session_without_the_stamps_counts_as_ended() -> None:
    assert session_expiry.session_end_reason({}) == "unknown"


@pytest.mark.parametrize("path", ["/", "/learn/", "/api/me", "/accounts/language/"])
def test_nothing_sent_to_a_signed_in_person_is_stored(world: World, clock: Clock, path: str) -> None:
    learner = signed_in("a.learner")
    response = learner.get(path)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_static_files_stay_cacheable_for_a_signed_in_person(world: World, clock: Clock) -> None:
    learner = signed_in("a.learner")
    response = learner.get("/static/web/tessera.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
