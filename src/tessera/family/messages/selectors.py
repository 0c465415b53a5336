"""Every read of messages and announcements, already limited to what the user may see.

The permission pair for conversations lives here too: :func:`conversations_visible_to` (the filter) and
:func:`can_use_conversation` (the check). A conversation is visible to its guardian while their
guardianship of the child in that school is current, and to its teacher while they teach a class of
that school the child is enrolled in. Everyone else gets nothing (views answer 404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tessera.family.messages.models import Announcement, Conversation, Message
from tessera.schools import permissions as school_permissions
from tessera.schools.models import Enrolment, Guardianship, SchoolClass, User

ANNOUNCEMENTS_PER_PAGE = 10


def _guardian_now(guardian: str, learner: str, school: str) -> Exists:
    return Exists(
        Guardianship.objects.filter(
            guardian=OuterRef(guardian),
            learner=OuterRef(learner),
            school=OuterRef(school),
            revoked_at__isnull=True,
        )
    )


def _teaches_now(teacher: str, learner: str, school: str) -> Exists:
    enrolled = Enrolment.objects.filter(
        learner=OuterRef(OuterRef(learner)), school=OuterRef(OuterRef(school))
    )
    return Exists(
        school_permissions.teaching_in_force().filter(
            teacher=OuterRef(teacher),
            school=OuterRef(school),
            school_class__in=enrolled.values("school_class"),
        )
    )


def conversations_visible_to(user: User) -> QuerySet[Conversation]:
    if not school_permissions.signed_in(user):
        return Conversation.objects.none()
    as_guardian = Q(guardian=user) & Q(_guardian_now("guardian", "learner", "school"))
    as_teacher = Q(teacher=user) & Q(_teaches_now("teacher", "learner", "school"))
    return Conversation.objects.filter(as_guardian | as_teacher)


def unread_count(user: User) -> int:
    """Messages others wrote to the user, in conversations they may still use, not read yet."""
    return (
        Message.objects.filter(conversation__in=conversations_visible_to(user), read_at__isnull=True)
        .exclude(sender=user)
        .count()
    )


def can_use_conversation(user: User, conversation: Conversation) -> bool:
    return conversations_visible_to(user).filter(pk=conversation.pk).exists()


def is_current_guardian(*, guardian: User, school_id: int, learner_id: int) -> bool:
    return Guardianship.objects.filter(
        guardian=guardian, school_id=school_id, learner_id=learner_id, revoked_at__isnull=True
    ).exists()


def teaches_child(*, teacher: User, school_id: int, learner_id: int) -> bool:
    classes = Enrolment.objects.filter(school_id=school_id, learner_id=learner_id).values("school_class")
    return (
        school_permissions.teaching_in_force()
        .filter(teacher=teacher, school_id=school_id, school_class__in=classes)
        .exists()
    )


def conversation_for(user: User, conversation_id: int) -> Conversation | None:
    return (
        conversations_visible_to(user)
        .select_related("learner", "guardian", "teacher", "school")
        .filter(pk=conversation_id)
        .first()
    )


@dataclass(frozen=True)
class ConversationRow:
    conversation: Conversation
    other: User
    unread: int


def conversation_list(user: User) -> list[ConversationRow]:
    """The user's conversations, most recent first, with how many messages they have not read."""
    unread = Count("messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__sender=user))
    rows = (
        conversations_visible_to(user)
        .select_related("learner", "guardian", "teacher", "school")
        .annotate(unread=unread)
        .order_by("-created_at", "-pk")
    )
    return [ConversationRow(c, c.teacher if c.guardian_id == user.pk else c.guardian, c.unread) for c in rows]


@dataclass(frozen=True)
class Counterpart:
    """Someone the user may start a conversation with about a child."""

    school_id: int
    learner: User
    other: User


def counterparts_of(user: User) -> list[Counterpart]:
    """For a guardian: each teacher of each child (current links only); for a teacher: each guardian of
    each learner they teach."""
    if not school_permissions.signed_in(user):
        return []
    found: dict[tuple[int, int, int], Counterpart] = {}
    # Three queries for all children (their links, their classes, those classes' teachers), not two per
    # child: the query budget of the pages that list counterparts.
    children = list(
        Guardianship.objects.filter(guardian=user, revoked_at__isnull=True).select_related("learner")
    )
    classes_of: dict[tuple[int, int], set[int]] = {}
    for school_id, learner_id, class_id in Enrolment.objects.filter(
        learner_id__in={g.learner_id for g in children}
    ).values_list("school_id", "learner_id", "school_class_id"):
        classes_of.setdefault((school_id, learner_id), set()).add(class_id)
    teachings = list(
        school_permissions.teaching_in_force()
        .filter(school_class_id__in=set().union(*classes_of.values()))
        .select_related("teacher")
    )
    for g in children:
        classes = classes_of.get((g.school_id, g.learner_id), set())
        for t in teachings:
            if t.school_id == g.school_id and t.school_class_id in classes:
                found.setdefault(
                    (g.school_id, g.learner_id, t.teacher_id), Counterpart(g.school_id, g.learner, t.teacher)
                )
    taught = school_permissions.teaching_in_force().filter(teacher=user).values("school_class")
    learners = Enrolment.objects.filter(school_class__in=taught)
    links = Guardianship.objects.filter(
        Exists(learners.filter(learner=OuterRef("learner"), school=OuterRef("school"))),
        revoked_at__isnull=True,
    )
    for g in links.select_related("learner", "guardian"):
        found.setdefault(
            (g.school_id, g.learner_id, g.guardian_id), Counterpart(g.school_id, g.learner, g.guardian)
        )
    return sorted(found.values(), key=lambda c: (c.learner.first_name, c.other.first_name, c.other.pk))


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("sender").order_by("created_at", "pk")


def announcements_for(user: User, *, page: str | int | None = 1) -> Page[Announcement]:
    """Announcements of the schools and classes of the user's children (current guardianships), newest
    first, one page."""
    links = Guardianship.objects.filter(guardian=user, revoked_at__isnull=True, school=OuterRef("school"))
    child_in_class = Enrolment.objects.filter(
        school_class=OuterRef("school_class"),
        learner__in=Guardianship.objects.filter(guardian=user, revoked_at__isnull=True).values("learner"),
    ).filter(
        Exists(
            Guardianship.objects.filter(
                guardian=user, revoked_at__isnull=True, learner=OuterRef("learner"), school=OuterRef("school")
            )
        )
    )
    qs = (
        Announcement.objects.filter(Exists(links))
        .filter(Q(school_class__isnull=True) | Q(Exists(child_in_class)))
        .select_related("school", "school_class")
        .order_by("-created_at", "-pk")
    )
    return Paginator(qs, ANNOUNCEMENTS_PER_PAGE).get_page(page)


def classes_for_announcement(school_id: int) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.filter(school_id=school_id).order_by("name", "pk")
