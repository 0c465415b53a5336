"""A learner with a support plan, on the shared two-school world (tests/conftest.py): school A's learner,
with school A's specialist, teacher (on the team) and guardian as the plan's signatories, built through the
services. The para-professional and the specialist are assigned to the learner; the co-teacher teaches
them without being on the team."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tessera.individualization import services
from tessera.individualization.models import Evaluation, EvaluationAttachment, SupportPlan
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


# --- made once per test, for the API tests and the permission matrix ---------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def plan(w: Any) -> SupportPlan:
    """The learner's signed plan (version 1), made on first use."""
    found = SupportPlan.objects.filter(school=w.a.school, learner=w.a.learner, version=1).first()
    return found or signed(w)


def amendment(w: Any) -> SupportPlan:
    """A draft amendment of the plan from tomorrow, signed by nobody yet."""
    first = plan(w)
    found = SupportPlan.objects.filter(amends=first).first()
    return found or services.plan_draft(
        actor=w.a.specialist,
        school=w.a.school,
        learner=w.a.learner,
        kind="iep",
        starts_on=first.starts_on,
        ends_on=first.ends_on,
        content=content(w),
        amends=first,
        effective_from=TODAY + datetime.timedelta(days=1),
        change_summary="Breaks allowed after the meeting.",
    )


def evaluation(w: Any) -> Evaluation:
    """The specialist's evaluation of the learner, made on first use."""
    found = Evaluation.objects.filter(school=w.a.school, learner=w.a.learner).first()
    return found or services.evaluation_record(
        actor=w.a.specialist,
        school=w.a.school,
        learner=w.a.learner,
        kind="psychoeducational",
        evaluated_on=TODAY - datetime.timedelta(days=30),
        areas=["reading", "attention"],
        findings="Decoding is slow; comprehension is strong when the text is read aloud.",
        recommendations="Read-aloud and extended time.",
    )


def attachment(w: Any) -> EvaluationAttachment:
    """A PDF of the evaluation (in the test's private folder), made on first use."""
    found = EvaluationAttachment.objects.filter(evaluation=evaluation(w)).first()
    return found or services.attachment_add(
        actor=w.a.specialist,
        evaluation=evaluation(w),
        upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )
