"""Demo content for families: a school announcement, and in each class a note from its lead teacher to the
guardian of one learner, so a demo guardian finds a message (and its news in the feed) on first sign-in.

Written through the real services (the message records its feed event). Idempotent: a school that has
an announcement already gets nothing more.
"""

from __future__ import annotations

from tessera.family.messages.models import Announcement
from tessera.family.messages.services import announcement_post, conversation_start, message_send
from tessera.schools.models import (
    Enrolment,
    Guardianship,
    Membership,
    School,
    SchoolClass,
    TeachingAssignment,
)

ANNOUNCEMENT = (
    "Maths week starts on Monday",
    "Every class will try a puzzle a day. Ask your child which one they liked best; "
    "the answers are on the board by the entrance on Friday.",
)
NOTE = (
    "Hello, I am {teacher}, {child}'s maths teacher this year. {child} has made a good start with the "
    "practice questions. You can follow what {child} masters live on this page, and write to me here at "
    "any time."
)


def demo_family_load(*, school: School) -> int:
    """Post the demo announcement and one teacher's note per class. Returns how many notes were sent."""
    if Announcement.objects.filter(school=school).exists():
        return 0
    administrator = Membership.objects.filter(school=school, role=Membership.Role.ADMINISTRATOR).first()
    if administrator is not None:
        title, text = ANNOUNCEMENT
        announcement_post(actor=administrator.user, school=school, title=title, text=text)
    sent = 0
    for school_class in SchoolClass.objects.filter(school=school).order_by("pk"):
        lead = TeachingAssignment.objects.filter(
            school_class=school_class, kind=TeachingAssignment.Kind.LEAD
        ).first()
        link = (
            Guardianship.objects.filter(
                school=school,
                revoked_at__isnull=True,
                learner__in=Enrolment.objects.filter(school_class=school_class).values("learner"),
            )
            .select_related("learner")
            .order_by("learner__last_name", "pk")
            .first()
        )
        if lead is None or link is None:
            continue
        teacher, child = lead.teacher, link.learner
        conversation = conversation_start(
            actor=teacher, school_id=school.pk, learner_id=child.pk, other_id=link.guardian_id
        )
        note = NOTE.format(teacher=teacher.name, child=child.first_name or child.name)
        message_send(actor=teacher, conversation=conversation, text=note, token=f"demo-{school_class.pk}")
        sent += 1
    return sent
