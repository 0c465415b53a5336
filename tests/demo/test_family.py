"""The demo school's families: an announcement and a teacher's note per class, loaded once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tessera.family.messages.models import Announcement, Message
from tessera.family.messages.selectors import unread_count
from tessera.family.models import FeedEvent

pytestmark = pytest.mark.django_db


def test_demo_guardians_find_a_teachers_note_and_its_news_and_loading_again_adds_nothing() -> None:
    out = StringIO()
    call_command("load_demo_school", "--no-history", "--quiet-logins", stdout=out)
    assert "Created a school announcement and 3 teachers' notes to guardians." in out.getvalue()
    assert Announcement.objects.count() == 1
    notes = list(Message.objects.select_related("conversation"))
    assert len(notes) == 3
    for note in notes:
        conversation = note.conversation
        assert note.sender_id == conversation.teacher_id
        assert unread_count(conversation.guardian) == 1
        news = FeedEvent.objects.get(learner=conversation.learner, kind="message_received")
        assert news.payload["conversation_id"] == conversation.pk

    again = StringIO()
    call_command("load_demo_school", "--no-history", "--quiet-logins", stdout=again)
    assert "teachers' notes" not in again.getvalue()
    assert (Announcement.objects.count(), Message.objects.count()) == (1, 3)
