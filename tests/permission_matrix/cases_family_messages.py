"""Permission cases for messages and announcements.

A conversation of school A's learner between ``guardian`` and ``teacher`` is for those two only: the
co-teacher, other teachers, the child's guardian in school B, a former guardian and everyone else get 404.
Starting a conversation with ``teacher`` about school A's learner is for a current guardian of the child
there. The message list is for everyone signed in (it lists only what is theirs). The announcement form of
school A is for its administrator."""

from __future__ import annotations

from typing import Any

from tessera.family.messages.models import Conversation
from tests.permission_matrix.case import EVERYONE_SIGNED_IN, Case, roles


def _conversation_url(w: Any) -> str:
    conversation, _ = Conversation.objects.get_or_create(
        school=w.a.school, learner=w.a.learner, guardian=w.a.guardian, teacher=w.a.teacher
    )
    return f"/family/messages/{conversation.pk}/"


CASES = [
    Case("family-messages", "GET", lambda w: "/family/messages/", EVERYONE_SIGNED_IN, is_api=False),
    Case(
        "family-conversation-start",
        "POST",
        lambda w: f"/family/messages/start/{w.a.school.pk}/{w.a.learner.pk}/{w.a.teacher.pk}/",
        roles("guardian"),
        ok=302,
        is_api=False,
    ),
    Case("family-conversation", "GET", _conversation_url, roles("guardian", "teacher"), is_api=False),
    Case(
        "family-conversation",
        "POST",
        _conversation_url,
        roles("guardian", "teacher"),
        ok=302,
        payload=lambda w: {"text": "Hello", "token": "matrix-token"},
        is_api=False,
    ),
    Case(
        "family-announcement-new",
        "GET",
        lambda w: f"/family/announcements/{w.a.school.pk}/new/",
        roles("admin"),
        is_api=False,
    ),
    Case(
        "family-announcement-new",
        "POST",
        lambda w: f"/family/announcements/{w.a.school.pk}/new/",
        roles("admin"),
        ok=302,
        payload=lambda w: {"title": "Trip", "text": "Bring a coat.", "school_class": ""},
        is_api=False,
    ),
]
