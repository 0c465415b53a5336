"""Permission cases for the learner's supports page and an objective's progress page.

/me/supports/ answers every signed-in person about themselves (usually nothing); turning read-aloud off
for today is the learner's own (their plan allows it): a learner of school A without that support is
refused (403, nothing changed), anyone who is not a learner of school A gets 404. An objective's progress
is for those who may read the learner's records: the plan team (the specialist, the teacher on the plan),
the guardian and the school's administrator; everyone else 404 (the co-teacher and the para too: they
are not on the team; the learner is under the age to read their own plan).
"""

from __future__ import annotations

from typing import Any

from tessera.individualization.models import SupportPlan
from tessera.individualization.selectors import plan_in_force
from tests.individualization.world import TODAY, signed
from tests.permission_matrix.case import EVERYONE_SIGNED_IN, Case, roles

RECORD_READERS = roles("admin", "teacher", "specialist", "guardian")


def plan(w: Any) -> SupportPlan:
    """The learner's signed plan, made once per world (each role's request is rolled back, not this)."""
    return plan_in_force(w.a.school, w.a.learner, TODAY) or signed(w)


def progress(w: Any) -> str:
    objective = plan(w).objectives.get()
    return f"/schools/{w.a.school.pk}/objectives/{objective.pk}/progress/"


def supports(w: Any) -> str:
    plan(w)
    return "/me/supports/"


CASES = [
    Case("my-supports", "GET", supports, EVERYONE_SIGNED_IN, is_api=False),
    Case(
        "my-supports",
        "POST",
        supports,
        roles("learner"),
        ok=302,
        forbidden=roles("other_learner"),
        payload=lambda w: {"school": w.a.school.pk, "kind": "read_aloud"},
        is_api=False,
    ),
    Case("objective-progress", "GET", progress, RECORD_READERS, is_api=False),
]
