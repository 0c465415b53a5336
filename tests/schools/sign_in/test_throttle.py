"""Sign-in throttling as an attacker meets it: a locked account stays locked whatever address the request
claims, spraying one guess over many accounts from one address gets that address locked, and
X-Forwarded-For counts only when it comes from a configured proxy."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from uvicorn.main import main as uvicorn_cli

from tessera.schools.sign_in.throttle import client_address
from tests.conftest import PASSWORD, World

LOGIN = "/accounts/login/"
MAKEFILE = Path(__file__).resolve().parents[3] / "Makefile"
LOCKED_MESSAGE = "Sign-in is paused for a short while after several wrong passwords"


def sign_in(client: Client, username: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, headers=headers)


def is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def usernames(world: World) -> list[str]:
    people = [world.a.admin, world.a.teacher, world.a.co_teacher, world.a.other_teacher, world.a.learner]
    people += [world.a.other_learner, world.a.specialist, world.a.para, world.a.mentor, world.a.guardian]
    return [person.username for person in people]


@pytest.fixture
def limits(settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    settings.TRUSTED_PROXIES = []
    return settings


# --- per account, from any address -------------------------------------------------------------------


def test_a_locked_account_stays_locked_with_a_forged_forwarded_for(world: World, limits) -> None:  # type: ignore[no-untyped-def]
    attacker = Client()  # 127.0.0.1, as a local attacker on the `make run` machine
    for _ in range(limits.AXES_FAILURE_LIMIT):
        sign_in(attacker, "a.teacher", "wrong password")

    forged = sign_in(attacker, "a.teacher", PASSWORD, x_forwarded_for="203.0.113.50")
    assert forged.status_code == 429
    assert LOCKED_MESSAGE in forged.content.decode()
    assert not is_signed_in(attacker)


def test_a_locked_account_stays_locked_from_another_address(world: World, limits) -> None:  # type: ignore[no-untyped-def]
    """What a forged X-Forwarded-For became when uvicorn trusted it: another peer address."""
    for n in range(limits.AXES_FAILURE_LIMIT):
        sign_in(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), "a.teacher", "wrong password")

    elsewhere = Client(REMOTE_ADDR="198.51.100.77")
    assert sign_in(elsewhere, "a.teacher", PASSWORD).status_code == 429
    assert not is_signed_in(elsewhere)
    # Someone else at the same addresses is not locked out by it.
    neighbour = Client(REMOTE_ADDR="203.0.113.1")
    assert sign_in(neighbour, "a.co_teacher", PASSWORD)["Location"] == "/"


def test_uvicorn_as_make_run_starts_it_does_not_take_the_address_from_the_header() -> None:
    recipe = MAKEFILE.read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    line = next(line for line in recipe.splitlines() if "/uvicorn " in line)
    command = re.sub(r"\$\((\w+)\)", "1", line.split("/uvicorn ", 1)[1])
    options = uvicorn_cli.make_context("uvicorn", shlex.split(command)).params
    assert options["proxy_headers"] is False


# --- per address, for any account (password spraying) ------------------------------------------------


def test_spraying_one_guess_over_many_accounts_locks_the_address(world: World, limits) -> None:  # type: ignore[no-untyped-def]
    sprayer = Client(REMOTE_ADDR="198.51.100.9")
    names = usernames(world)
    replies = [sign_in(sprayer, name, "Summer2026!").status_code for name in names[:6]]
    assert replies == [200, 200, 200, 200, 200, 429]  # one guess each: no account reached its limit

    right_password = sign_in(sprayer, names[7], PASSWORD)
    assert right_password.status_code == 429
    assert LOCKED_MESSAGE in right_password.content.decode()
    assert not is_signed_in(sprayer)
    # The accounts themselves are not locked: their owners sign in from elsewhere.
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert sign_in(owner, names[0], PASSWORD)["Location"] == "/"


def test_spraying_with_a_new_forged_header_each_time_is_still_one_address(world: World, limits) -> None:  # type: ignore[no-untyped-def]
    sprayer = Client()
    for n, name in enumerate(usernames(world)[:6]):
        sign_in(sprayer, name, "Summer2026!", x_forwarded_for=f"203.0.113.{n + 1}")
    assert sign_in(sprayer, world.a.para.username, PASSWORD, x_forwarded_for="192.0.2.1").status_code == 429


def test_signing_into_ones_own_account_does_not_clear_the_address(world: World, limits) -> None:  # type: ignore[no-untyped-def]
    sprayer = Client(REMOTE_ADDR="198.51.100.9")
    names = usernames(world)
    for name in names[:5]:
        sign_in(sprayer, name, "Summer2026!")
    assert sign_in(sprayer, "outsider", PASSWORD)["Location"] == "/"  # the attacker's own account
    sprayer.post("/accounts/logout/")

    assert sign_in(sprayer, names[5], "Summer2026!").status_code == 429
    assert sign_in(sprayer, names[6], PASSWORD).status_code == 429


def test_a_persons_own_typos_stop_counting_once_they_sign_in(world: World, limits) -> None:  # type: ignore[no-untyped-def]
    """A school shares one address: pupils who mistype, then sign in, do not lock out the others."""
    school = "198.51.100.20"
    for name in usernames(world)[:4]:
        pupil = Client(REMOTE_ADDR=school)
        assert sign_in(pupil, name, "typo").status_code == 200
        assert sign_in(pupil, name, PASSWORD)["Location"] == "/"
    late = Client(REMOTE_ADDR=school)
    for _ in range(2):
        assert sign_in(late, "a.mentor", "typo").status_code == 200
    assert sign_in(late, "a.mentor", PASSWORD)["Location"] == "/"


# --- X-Forwarded-For from a configured proxy -------------------------------------------------------


def test_behind_a_configured_proxy_the_forwarded_address_is_the_one_counted(world: World, limits) -> None:  # type: ignore[no-untyped-def]
    limits.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    names = usernames(world)
    for name in names[:6]:  # a client forging the left of the header: the proxy appended the real one
        sign_in(proxy, name, "Summer2026!", x_forwarded_for=f"192.0.2.{len(name)}, 198.51.100.9")
    assert sign_in(proxy, names[7], PASSWORD, x_forwarded_for="198.51.100.9").status_code == 429

    # Another client behind the same proxy is another address, and signs in.
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert sign_in(other, names[7], PASSWORD, x_forwarded_for="198.51.100.10")["Location"] == "/"


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "expected"),
    [
        ("127.0.0.1", "203.0.113.5", [], "127.0.0.1"),  # no proxy configured: the header is ignored
        ("192.0.2.1", "203.0.113.5", ["10.0.0.2"], "192.0.2.1"),  # not from the proxy: ignored
        ("10.0.0.2", "203.0.113.5", ["10.0.0.2"], "203.0.113.5"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", ["10.0.0.2"], "203.0.113.5"),  # forged left part
        ("10.0.0.2", "203.0.113.5, 10.0.0.3", ["10.0.0.0/24"], "203.0.113.5"),  # two proxies
        ("10.0.0.2", "", ["10.0.0.2"], "10.0.0.2"),  # the proxy itself
        ("10.0.0.2", "not-an-address", ["10.0.0.2"], "10.0.0.2"),
        ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
    ],
)
def test_client_address(settings, peer: str, forwarded: str, proxies: list[str], expected: str) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
