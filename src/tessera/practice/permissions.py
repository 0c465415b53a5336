"""Who may use a practice session: only the learner who practises in it (everyone else gets 404).

Written once as a pair, like :mod:`tessera.schools.permissions`: a queryset filter for selectors and an
object check for services, both from the same condition.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from tessera.curriculum.bank import framework_bank_at
from tessera.curriculum.models import Competency
from tessera.curriculum.permissions import frameworks_visible_to
from tessera.practice.models import PracticeSession
from tessera.schools.models import Membership, User
from tessera.schools.permissions import signed_in


def sessions_of(user: User | None) -> QuerySet[PracticeSession]:
    """Sessions the user practises in (their own, in a school where they are still a learner)."""
    if not signed_in(user):
        return PracticeSession.objects.none()
    still_learner = Membership.objects.filter(
        school=OuterRef("school_id"), user=user, role=Membership.Role.LEARNER
    )
    return PracticeSession.objects.annotate(still_learner=Exists(still_learner)).filter(
        still_learner=True, learner=user
    )


def can_practise_in(user: User | None, session: PracticeSession) -> bool:
    """The same condition as :func:`sessions_of`, checked on the loaded session: no query when the session
    was read through :func:`sessions_of` in this request (the condition was part of that query), else
    one indexed query."""
    if user is None or not signed_in(user) or session.learner_id != user.pk:
        return False
    if getattr(session, "still_learner", False) is True:
        return True
    return Membership.objects.filter(
        school_id=session.school_id, user=user, role=Membership.Role.LEARNER
    ).exists()


# sessions_of's condition, for one session, with what the answer path needs, in one statement: the learner's
# session, the version of its framework (whose in-memory bank gives the competency) and the answer tally.
# Written as SQL because the ORM's compiling of the same query (an Exists subquery, two joins, the tally)
# cost more CPU than the rest of an answer (about 3 ms of ~10, measured on the benchmark's machine).
_SESSION_FOR_PRACTICE = """
SELECT s.id, s.school_id, s.learner_id, s.competency_id, s.how, s.started_at, s.ended_at,
       f.id AS framework_id, f.content_version AS framework_version,
       COUNT(a.id) AS answer_count, COALESCE(SUM(CASE WHEN a.correct THEN 1 ELSE 0 END), 0) AS correct_count
FROM practice_practicesession s
JOIN curriculum_competency c ON c.id = s.competency_id
JOIN curriculum_framework f ON f.id = c.framework_id
LEFT JOIN practice_answer a ON a.session_id = s.id
WHERE s.id = %s AND s.learner_id = %s AND EXISTS (
    SELECT 1 FROM schools_membership m WHERE m.school_id = s.school_id AND m.user_id = %s AND m.role = %s
)
GROUP BY s.id, c.id, f.id
"""


def session_for_practice(user: User | None, session_id: int) -> PracticeSession | None:
    """The session if :func:`sessions_of` holds it, with its competency (from the framework's in-memory
    bank), ``answer_count`` and ``correct_count``; one query."""
    if not signed_in(user) or not 0 < session_id < 2**63:
        return None
    assert user is not None
    found = list(
        PracticeSession.objects.raw(
            _SESSION_FOR_PRACTICE, [session_id, user.pk, user.pk, Membership.Role.LEARNER]
        )
    )
    if not found:
        return None
    session = found[0]
    loaded: Any = session  # with the query's extra columns
    session.competency = framework_bank_at(loaded.framework_id, loaded.framework_version).competency(
        session.competency_id
    )
    loaded.still_learner = True
    return session


def session_tally(session: PracticeSession) -> tuple[int, int]:
    """The session's answers and correct answers, as :func:`session_for_practice` counted them."""
    loaded: Any = session
    return int(loaded.answer_count), int(loaded.correct_count)


def is_learner(user: User | None) -> bool:
    """A learner of some school: who may submit answers at all (a batch names its sessions per answer)."""
    return signed_in(user) and Membership.objects.filter(user=user, role=Membership.Role.LEARNER).exists()


def competencies_visible_to(user: User) -> QuerySet[Competency]:
    """Competencies of frameworks the user can see: what a start request may name (anything else is a 404
    with the same message, so ids of other schools' competencies reveal nothing)."""
    return Competency.objects.filter(framework__in=frameworks_visible_to(user)).select_related("framework")
