"""The guardian's language: a choice on the account (blank follows the browser's Accept-Language),
activated for every page after LocaleMiddleware, and used for the family feed's sentences, which are
built when read (pages and the live stream), so each guardian reads them in their own language."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction
from django.test import Client

from tessera.family.feed.services import feed_event_record
from tessera.schools import services as school_services
from tessera.schools.models import User
from tests.family.conftest import commit_events, open_feed

pytestmark = pytest.mark.django_db

ENGLISH_SENTENCE = "Learner mastered Equivalent fractions today after 9 practice questions"
SPANISH_SENTENCE = "Learner dominó Equivalent fractions hoy después de 9 preguntas de práctica"


def _client(user: User, **headers: str) -> Client:
    client = Client(headers=headers)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _record(world: Any) -> None:
    with transaction.atomic():
        feed_event_record(
            school=world.a.school,
            learner=world.a.learner,
            kind="competency_mastered",
            payload={"competency": "Equivalent fractions", "answers": 9},
        )


def _set_language(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def test_a_spanish_guardian_sees_the_home_page_and_the_feed_in_spanish(world: Any) -> None:
    guardian = world.a.guardian
    _set_language(guardian, "es")
    _record(world)
    home = _client(guardian).get("/").content.decode()
    assert '<html lang="es">' in home
    assert "Hola, " in home and "Sus hijos" in home and "Idioma" in home
    feed = _client(guardian, accept_language="en").get("/family/").content.decode()
    assert SPANISH_SENTENCE in feed
    assert ENGLISH_SENTENCE not in feed
    assert "Novedades de" in feed


def test_an_english_guardian_sees_english_even_when_the_browser_asks_for_spanish(world: Any) -> None:
    guardian = world.a.guardian
    _set_language(guardian, "en")
    _record(world)
    client = _client(guardian, accept_language="es")
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home and "Your children" in home
    feed = client.get("/family/").content.decode()
    assert ENGLISH_SENTENCE in feed and SPANISH_SENTENCE not in feed


def test_without_a_choice_the_browser_language_is_used(world: Any) -> None:
    guardian = world.a.guardian
    assert guardian.language == ""
    _record(world)
    spanish = _client(guardian, accept_language="es-ES,es;q=0.9,en;q=0.5")
    assert "Sus hijos" in spanish.get("/").content.decode()
    assert SPANISH_SENTENCE in spanish.get("/family/").content.decode()
    english = _client(guardian)
    assert ENGLISH_SENTENCE in english.get("/family/").content.decode()


def test_the_sign_in_page_follows_the_browser(client: Client) -> None:
    html = client.get("/accounts/login/", headers={"accept-language": "es"}).content.decode()
    assert "Iniciar sesión en Tessera" in html


def test_choosing_a_language_on_the_language_page(world: Any) -> None:
    guardian = world.a.guardian
    client = _client(guardian)
    page = client.get("/accounts/language/").content.decode()
    assert 'name="language"' in page and 'name="csrfmiddlewaretoken"' in page
    response = client.post("/accounts/language/", {"language": "es"}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/language/"
    assert "Sus páginas ahora están en Español." in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.language == "es"
    response = client.post("/accounts/language/", {"language": ""}, follow=True)
    assert "Your pages now follow your browser" in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.language == ""


def test_the_language_form_needs_the_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.guardian, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/accounts/language/", {"language": "es"}).status_code == 403
    world.a.guardian.refresh_from_db()
    assert world.a.guardian.language == ""


@pytest.mark.parametrize("value", ["fr", "xx", "es-evil", "EN"])
def test_an_unknown_language_is_a_form_error_and_nothing_changes(world: Any, value: str) -> None:
    guardian = world.a.guardian
    _set_language(guardian, "es")
    response = _client(guardian).post("/accounts/language/", {"language": value})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    guardian.refresh_from_db()
    assert guardian.language == "es"


def test_signed_out_pages_need_no_account() -> None:
    assert Client().get("/accounts/language/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_live_feed_speaks_each_guardians_language_even_when_they_share_a_read(
    world: Any, settings: Any
) -> None:
    """Two guardians of one child, one Spanish, one English: the read the open streams of a child share
    is per language, so neither gets the other's sentences."""
    settings.FAMILY_FEED_HEARTBEAT_SECONDS = 60
    a = world.a
    spanish, english = a.guardian, world.b.guardian
    school_services.guardian_link(actor=None, school=a.school, guardian=english, learner=a.learner)
    _set_language(spanish, "es")
    _set_language(english, "en")
    commit_events(a.school, a.learner, 1)

    @async_to_sync
    async def run() -> tuple[list[str], list[str]]:
        _, es_feed = await open_feed(spanish, a.school, a.learner)
        _, en_feed = await open_feed(english, a.school, a.learner)
        assert es_feed is not None and en_feed is not None
        es_text = [e.data["text"] for e in await es_feed.events(1)]  # type: ignore[index]
        en_text = [e.data["text"] for e in await en_feed.events(1)]  # type: ignore[index]
        await sync_to_async(commit_events)(a.school, a.learner, 1, start=2)
        es_text += [e.data["text"] for e in await es_feed.events(1)]  # type: ignore[index]
        en_text += [e.data["text"] for e in await en_feed.events(1)]  # type: ignore[index]
        await es_feed.close()
        await en_feed.close()
        return es_text, en_text

    es_text, en_text = run()
    assert all("dominó" in text for text in es_text), es_text
    assert all(" mastered " in text for text in en_text), en_text
