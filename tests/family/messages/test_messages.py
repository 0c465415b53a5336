"""Messages between a guardian and their child's teachers (read receipts, double submits, bad input, the
feed event) and school announcements on the guardians' home page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tessera.family.messages import services as message_services
from tessera.family.messages.models import Announcement, Conversation, Message
from tessera.family.models import FeedEvent
from tessera.schools import services as school_services
from tessera.schools.models import Guardianship, Membership, TeachingAssignment, User

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _conversation(a: Any) -> Conversation:
    return message_services.conversation_start(
        actor=a.guardian, school_id=a.school.pk, learner_id=a.learner.pk, other_id=a.teacher.pk
    )


def _send(client: Client, conversation: Conversation, text: str, token: str = "t-1") -> Any:
    return client.post(f"/family/messages/{conversation.pk}/", {"text": text, "token": token})


def test_guardian_starts_a_conversation_and_the_teacher_replies(world: Any) -> None:
    a = world.a
    guardian = _client(a.guardian)
    response = guardian.post(f"/family/messages/start/{a.school.pk}/{a.learner.pk}/{a.teacher.pk}/")
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert (conversation.guardian, conversation.teacher, conversation.learner) == (
        a.guardian,
        a.teacher,
        a.learner,
    )
    assert _send(guardian, conversation, "Hello <b>teacher</b>\nsecond line").status_code == 302
    teacher = _client(a.teacher)
    listing = teacher.get("/family/messages/").content.decode()
    assert "1 unread" in listing
    page = teacher.get(f"/family/messages/{conversation.pk}/").content.decode()
    assert "Hello &lt;b&gt;teacher&lt;/b&gt;<br>second line" in page
    assert "<b>teacher</b>" not in page
    assert _send(teacher, conversation, "Hello guardian", token="t-2").status_code == 302
    assert list(conversation.messages.values_list("body", flat=True)) == [
        "Hello <b>teacher</b>\nsecond line",
        "Hello guardian",
    ]
    # The teacher, too, may start (or find) the same conversation.
    again = message_services.conversation_start(
        actor=a.teacher, school_id=a.school.pk, learner_id=a.learner.pk, other_id=a.guardian.pk
    )
    assert again == conversation


def test_read_receipts(world: Any) -> None:
    a = world.a
    conversation = _conversation(a)
    guardian = _client(a.guardian)
    _send(guardian, conversation, "Is the trip on Friday?")
    message = Message.objects.get()
    assert message.read_at is None
    assert "Not read yet" in guardian.get(f"/family/messages/{conversation.pk}/").content.decode()
    assert Message.objects.get().read_at is None  # the sender's own visit reads nothing
    _client(a.teacher).get(f"/family/messages/{conversation.pk}/")
    read_at = Message.objects.get().read_at
    assert read_at is not None
    _client(a.teacher).get(f"/family/messages/{conversation.pk}/")
    assert Message.objects.get().read_at == read_at  # first read only
    assert "Read at" in guardian.get(f"/family/messages/{conversation.pk}/").content.decode()
    assert "unread" not in _client(a.teacher).get("/family/messages/").content.decode()


def test_a_double_submit_stores_once(world: Any) -> None:
    a = world.a
    conversation = _conversation(a)
    teacher = _client(a.teacher)
    assert _send(teacher, conversation, "See you tomorrow", token="same").status_code == 302
    assert _send(teacher, conversation, "See you tomorrow", token="same").status_code == 302
    assert _send(teacher, conversation, "See you tomorrow", token="other").status_code == 302
    assert Message.objects.count() == 1
    assert FeedEvent.objects.filter(kind="message_received").count() == 1
    # Later, the same text is a new message.
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    _send(teacher, conversation, "See you tomorrow", token="later")
    assert Message.objects.count() == 2


@pytest.mark.parametrize(
    "text,error",
    [
        ("bad\x00byte", "Null characters are not allowed"),
        ("bell\x07", "control character"),
        ("x" * 2001, "at most 2000"),
        ("   \n ", "The message is empty"),
        ("", "This field is required"),
    ],
)
def test_bad_text_is_a_form_error_and_stores_nothing(world: Any, text: str, error: str) -> None:
    a = world.a
    conversation = _conversation(a)
    response = _send(_client(a.teacher), conversation, text)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Message.objects.count() == 0
    assert FeedEvent.objects.count() == 0


def test_the_feed_event_exists_exactly_when_the_message_does(world: Any) -> None:
    a = world.a
    conversation = _conversation(a)
    _send(_client(a.guardian), conversation, "From the guardian")
    assert FeedEvent.objects.count() == 0  # a message to the teacher is not news for the guardian
    _send(_client(a.teacher), conversation, "From the teacher", token="t-2")
    message = Message.objects.get(sender=a.teacher)
    event = FeedEvent.objects.get()
    assert (event.kind, event.school, event.learner) == ("message_received", a.school, a.learner)
    assert event.payload["message_id"] == message.pk
    assert "From the teacher" not in str(event.payload)
    home = _client(a.guardian).get("/family/").content.decode()
    assert f"New message from {a.teacher.name} about" in home
    # A failing send leaves neither.
    _send(_client(a.teacher), conversation, "nul\x00", token="t-3")
    assert (Message.objects.count(), FeedEvent.objects.count()) == (2, 1)


def test_other_guardians_and_teachers_get_404(world: Any) -> None:
    a, b = world.a, world.b
    conversation = _conversation(a)
    url = f"/family/messages/{conversation.pk}/"
    # School A's learner also attends school B, where b.guardian is their guardian: a guardianship is a
    # link in one school and opens nothing of school A.
    Membership.objects.create(school=b.school, user=a.learner, role=Membership.Role.LEARNER, grade_level=7)
    school_services.learner_enrol(actor=None, school_class=b.klass, learner=a.learner)
    school_services.guardian_link(actor=None, school=b.school, guardian=b.guardian, learner=a.learner)
    for user in (b.guardian, a.co_teacher, a.other_teacher, b.teacher, a.other_learner, a.learner):
        assert _client(user).get(url).status_code == 404, user
        assert _send(_client(user), conversation, "Let me in").status_code == 404, user
    start = f"/family/messages/start/{a.school.pk}/{a.learner.pk}/{a.teacher.pk}/"
    assert _client(b.guardian).post(start).status_code == 404
    # A teacher of another class cannot be written to about this child.
    start_other = f"/family/messages/start/{a.school.pk}/{a.learner.pk}/{a.other_teacher.pk}/"
    assert _client(a.guardian).post(start_other).status_code == 404
    assert Message.objects.count() == 0


def test_a_former_guardian_and_a_former_teacher_lose_access(world: Any) -> None:
    a = world.a
    conversation = _conversation(a)
    url = f"/family/messages/{conversation.pk}/"
    _send(_client(a.guardian), conversation, "Before")
    TeachingAssignment.objects.filter(teacher=a.teacher).delete()
    assert _client(a.teacher).get(url).status_code == 404
    assert _send(_client(a.teacher), conversation, "After", token="t-2").status_code == 404
    Guardianship.objects.filter(guardian=a.guardian).update(revoked_at=timezone.now())
    assert _client(a.guardian).get(url).status_code == 404
    assert _send(_client(a.guardian), conversation, "After", token="t-3").status_code == 404
    assert "Before" not in _client(a.guardian).get("/family/messages/").content.decode()
    assert Message.objects.count() == 1


def test_announcements_reach_the_guardians_of_that_school_or_class(world: Any) -> None:
    a, b = world.a, world.b
    admin = _client(a.admin)
    assert admin.get(f"/family/announcements/{a.school.pk}/new/").status_code == 200
    posts = [
        {"title": "Sports day", "text": "All welcome", "school_class": ""},
        {"title": "Class trip", "text": "Bring lunch", "school_class": str(a.klass.pk)},
        {"title": "Other class", "text": "Not for you", "school_class": str(a.other_class.pk)},
    ]
    for post in posts:
        assert admin.post(f"/family/announcements/{a.school.pk}/new/", post).status_code == 302
    bad = admin.post(
        f"/family/announcements/{a.school.pk}/new/", {"title": "x", "text": "a\x07", "school_class": ""}
    )
    assert bad.status_code == 400 and "control character" in bad.content.decode()
    assert Announcement.objects.count() == 3
    home = _client(a.guardian).get("/family/").content.decode()
    titles = re.findall(r"<h3>(.*?)</h3>", home)
    assert titles == ["Class trip", "Sports day"]  # newest first, not another class's
    assert "Sports day" not in _client(b.guardian).get("/family/").content.decode()
    assert _client(a.teacher).get(f"/family/announcements/{a.school.pk}/new/").status_code == 404


def test_announcements_are_paginated(world: Any) -> None:
    a = world.a
    for n in range(12):
        message_services.announcement_post(actor=a.admin, school=a.school, title=f"Note {n:02}", text="text")
    first = _client(a.guardian).get("/family/").content.decode()
    assert "Note 11" in first and "Note 01" not in first and "?page=2" in first
    second = _client(a.guardian).get("/family/?page=2").content.decode()
    assert "Note 01" in second and "Note 11" not in second


def test_a_guardian_of_another_child_in_the_same_school_gets_404(world: Any) -> None:
    a = world.a
    conversation = _conversation(a)
    other = User.objects.create(username="a.other_guardian", first_name="Other")
    school_services.guardian_link(actor=None, school=a.school, guardian=other, learner=a.other_learner)
    assert _client(other).get(f"/family/messages/{conversation.pk}/").status_code == 404
    assert _send(_client(other), conversation, "Hi").status_code == 404
    start = f"/family/messages/start/{a.school.pk}/{a.learner.pk}/{a.teacher.pk}/"
    assert _client(other).post(start).status_code == 404
    assert (
        f"/family/messages/{conversation.pk}/" not in _client(other).get("/family/messages/").content.decode()
    )
    assert Message.objects.count() == 0


def test_a_message_is_news_only_for_the_guardian_in_the_conversation(world: Any) -> None:
    a = world.a
    second = User.objects.create(username="second.guardian", first_name="Second")
    school_services.guardian_link(actor=None, school=a.school, guardian=second, learner=a.learner)
    conversation = _conversation(a)
    _send(_client(a.teacher), conversation, "Only for the first guardian")
    event = FeedEvent.objects.get()
    assert event.guardian == a.guardian
    news = f"New message from {a.teacher.name} about"
    assert news in _client(a.guardian).get("/family/").content.decode()
    assert news not in _client(second).get("/family/").content.decode()
    assert news not in _client(second).get(f"/family/{a.school.pk}/{a.learner.pk}/").content.decode()
