"""Home pages tell a teacher and a guardian when a message waits for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tessera.family.messages import services as message_services

pytestmark = pytest.mark.django_db


def _home(user: Any) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get("/").content.decode()


def test_the_teacher_home_counts_unread_messages_until_the_conversation_is_opened(world: Any) -> None:
    a = world.a
    conversation = message_services.conversation_start(
        actor=a.guardian, school_id=a.school.pk, learner_id=a.learner.pk, other_id=a.teacher.pk
    )
    assert "unread message" not in _home(a.teacher)
    for n, text in enumerate(["Hello", "Are you there?"]):
        message_services.message_send(actor=a.guardian, conversation=conversation, text=text, token=f"t-{n}")
    assert "You have 2 unread messages." in _home(a.teacher)
    assert "unread message" not in _home(a.guardian), "one's own messages are not news"
    message_services.conversation_mark_read(actor=a.teacher, conversation=conversation)
    assert "unread message" not in _home(a.teacher)
    message_services.message_send(actor=a.teacher, conversation=conversation, text="Yes!", token="t-9")
    assert "You have 1 unread message." in _home(a.guardian)
