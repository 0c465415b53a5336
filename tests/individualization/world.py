"""A learner with a support plan, on the shared two-school world (tests/conftest.py): school A's learner,
with school A's specialist, teacher (on the team) and guardian as the plan's signatories, built through the
services. The para-professional and the specialist are assigned to the learner; the co-teacher teaches
them without being on the team."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tessera.individualization import services
from tessera.individualization.models import SupportPlan
from tessera.individualization.services import AccommodationSpec, MemberSpec, ObjectiveSpec, PlanContent

TODAY = timezone.localdate()


def content(w: Any, **changes: Any) -> PlanContent:
    base = {
        "present_levels": "Reads two years below grade level; strong in oral reasoning.",
        "members": [
            MemberSpec(w.a.specialist, "specialist"),
            MemberSpec(w.a.teacher, "teacher"),
            MemberSpec(w.a.guardian, "guardian"),
        ],
        "objectives": [
            ObjectiveSpec(
                area="reading",
                description="Reads a grade-level word problem aloud with support",
                baseline=40,
                target=80,
                target_date=TODAY + datetime.timedelta(days=150),
                measured_how="Share of problems read correctly in a session",
            )
        ],
        "accommodations": [
            AccommodationSpec("extended_time", factor=Decimal("1.5")),
            AccommodationSpec("read_aloud", learner_may_pause=True),
        ],
    }
    base.update(changes)
    return PlanContent(**base)


def draft(w: Any, **changes: Any) -> SupportPlan:
    return services.plan_draft(
        actor=w.a.specialist,
        school=w.a.school,
        learner=w.a.learner,
        kind="iep",
        starts_on=TODAY - datetime.timedelta(days=10),
        ends_on=TODAY + datetime.timedelta(days=200),
        content=content(w, **changes),
    )


def signed(w: Any) -> SupportPlan:
    plan = draft(w)
    for person in (w.a.specialist, w.a.teacher, w.a.guardian):
        services.plan_sign(actor=person, plan=plan)
    plan.refresh_from_db()
    return plan
