"""Every write of messages and announcements: keyword-only, transactional, raising domain errors.

A message to a guardian records a ``message_received`` feed event in the same transaction, so the event
exists exactly when the message does; the event is for that guardian only (the child's other guardians
are not in the conversation). A double submit (the same form token, or the same text from the
same sender within :data:`DOUBLE_SUBMIT_SECONDS`) stores the message once and returns the first one.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.family.feed.models import FeedEvent
from tessera.family.feed.services import feed_event_record
from tessera.family.messages import selectors as sel
from tessera.family.messages.models import MESSAGE_MAX_LENGTH, Announcement, Conversation, Message
from tessera.schools.errors import DomainError
from tessera.schools.models import School, SchoolClass, User
from tessera.schools.permissions import require_school_admin

DOUBLE_SUBMIT_SECONDS = 10
# Control characters other than tab, line feed and carriage return (and DEL, C1 controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_check(text: str, *, field: str = "message", max_length: int = MESSAGE_MAX_LENGTH) -> str:
    """The text, stripped, or :class:`DomainError` saying what is wrong."""
    names = {"message": _("message"), "title": _("title"), "announcement": _("announcement")}
    field = names.get(field, field)  # the form field's name, in the language of the request
    if _CONTROL.search(text):
        raise DomainError(
            _("The %(field)s contains a control character; only text and line breaks are allowed.")
            % {"field": field},
            code="family.text_control_character",
        )
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(_("The %(field)s is empty.") % {"field": field}, code="family.text_empty")
    if len(text) > max_length:
        raise DomainError(
            _("The %(field)s is %(length)d characters long; at most %(max)d are allowed.")
            % {"field": field, "length": len(text), "max": max_length},
            code="family.text_too_long",
        )
    return text


def conversation_start(*, actor: User, school_id: int, learner_id: int, other_id: int) -> Conversation:
    """Open (or find) the conversation between ``actor`` and ``other`` about the child. One side must be
    a current guardian of the child in that school, the other a teacher of one of the child's classes
    there. Raises :class:`PermissionDenied` otherwise (views answer 404)."""
    other = User.objects.filter(pk=other_id, is_active=True).first()
    if other is None or other.pk == actor.pk:
        raise PermissionDenied("There is nobody to write to here.")
    where = {"school_id": school_id, "learner_id": learner_id}
    if sel.is_current_guardian(guardian=actor, **where) and sel.teaches_child(teacher=other, **where):
        guardian, teacher = actor, other
    elif sel.teaches_child(teacher=actor, **where) and sel.is_current_guardian(guardian=other, **where):
        guardian, teacher = other, actor
    else:
        raise PermissionDenied("There is nobody to write to here.")
    conversation, _ = Conversation.objects.get_or_create(
        school_id=school_id, learner_id=learner_id, guardian=guardian, teacher=teacher
    )
    return conversation


def message_send(*, actor: User, conversation: Conversation, text: str, token: str) -> Message:
    """Store ``text`` from ``actor`` in the conversation; a message to the guardian also records a
    ``message_received`` feed event of the child. Returns the already stored message on a double
    submit."""
    if not sel.can_use_conversation(actor, conversation):
        raise PermissionDenied("This conversation is not yours.")
    text = text_check(text)
    token = (token or "").strip()[:64]
    if not token:
        raise DomainError(
            _("The form has expired; reload the page and send again."), code="family.form_expired"
        )
    now = timezone.now()
    with transaction.atomic():
        # Lock the conversation so two submits of the same form run one after the other.
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        earlier = (
            Message.objects.filter(conversation=conversation, sender=actor)
            .filter(created_at__gte=now - datetime.timedelta(seconds=DOUBLE_SUBMIT_SECONDS))
            .filter(body=text)
            .first()
        ) or Message.objects.filter(conversation=conversation, sender=actor, token=token).first()
        if earlier is not None:
            return earlier
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    school_id=conversation.school_id,
                    conversation=conversation,
                    sender=actor,
                    body=text,
                    token=token,
                    created_at=now,
                )
        except IntegrityError:
            return Message.objects.get(conversation=conversation, sender=actor, token=token)
        if actor.pk == conversation.teacher_id:
            feed_event_record(
                school=conversation.school,
                learner=conversation.learner,
                kind=FeedEvent.Kind.MESSAGE_RECEIVED,
                guardian=conversation.guardian,  # the other guardians are not in this conversation
                payload={
                    "sender": actor.name,
                    "conversation_id": conversation.pk,
                    "message_id": message.pk,
                },
                at=now,
            )
    return message


def conversation_mark_read(*, actor: User, conversation: Conversation) -> int:
    """Mark the other side's unread messages read now; returns how many."""
    if not sel.can_use_conversation(actor, conversation):
        raise PermissionDenied("This conversation is not yours.")
    return (
        Message.objects.filter(conversation=conversation, read_at__isnull=True)
        .exclude(sender=actor)
        .update(read_at=timezone.now())
    )


def announcement_post(
    *, actor: User, school: School, title: str, text: str, school_class: SchoolClass | None = None
) -> Announcement:
    """A school administrator's announcement to the whole school or one of its classes."""
    require_school_admin(actor, school, to=_("post announcements"))
    if school_class is not None and school_class.school_id != school.pk:
        raise DomainError(_("This class is not in this school."), code="family.class_not_in_school")
    title = text_check(title, field="title", max_length=200)
    text = text_check(text, field="announcement")
    return Announcement.objects.create(
        school=school, author=actor, school_class=school_class, title=title, body=text
    )
