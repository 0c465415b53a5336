"""The demo school's individualized learner, made through the services: the first learner the special
educator (s.byrne) and the para-professional (p.novak) both support gets a psycho-educational evaluation, a
team meeting, an IEP signed by the special educator, the lead teacher and a guardian (extended time x1.5,
read-aloud, larger text; 60 minutes a week of one-on-one support), and four weeks of the para's logged
sessions with measures of the reading objective, so a newcomer sees a signed plan working: its supports in
practice, its progress chart and the audit of who read it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tessera.individualization import services
from tessera.individualization.models import PlanMember, SupportPlan
from tessera.individualization.services import (
    AccommodationSpec,
    MemberSpec,
    ObjectiveSpec,
    PlanContent,
    ServiceSpec,
)
from tessera.practice.models import LearnerCompetencyState
from tessera.schools.models import Guardianship, School, SupportAssignment, TeachingAssignment, User

MEASURES = (45.0, 50.0, 52.0, 58.0)  # the reading objective, one measure a week, oldest first


def _individualized_learner(school: School) -> tuple[User, User, User] | None:
    """The first learner with both a specialist and a para-professional: (learner, specialist, para)."""
    supports = SupportAssignment.objects.filter(school=school, ended_at__isnull=True).select_related(
        "learner", "staff"
    )
    by_learner: dict[int, dict[str, User]] = {}
    for support in supports.order_by("learner_id", "pk"):
        by_learner.setdefault(support.learner_id, {"learner": support.learner})[support.role] = support.staff
    for found in by_learner.values():
        if "specialist" in found and "para_professional" in found:
            return found["learner"], found["specialist"], found["para_professional"]
    return None


@transaction.atomic
def demo_plan_load(*, school: School) -> SupportPlan | None:
    """The plan and its records (idempotent: nothing happens once the school has a plan)."""
    if SupportPlan.objects.filter(school=school).exists():
        return None
    found = _individualized_learner(school)
    if found is None:
        return None
    learner, specialist, para = found
    teacher = (
        TeachingAssignment.objects.filter(
            school=school, school_class__enrolments__learner=learner, kind=TeachingAssignment.Kind.LEAD
        )
        .select_related("teacher")
        .first()
    )
    guardian = Guardianship.objects.filter(school=school, learner=learner, revoked_at__isnull=True).first()
    if teacher is None or guardian is None:
        return None
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    services.evaluation_record(
        actor=specialist,
        school=school,
        learner=learner,
        kind="psychoeducational",
        evaluated_on=today - datetime.timedelta(days=45),
        areas=["reading", "attention"],
        findings="Decoding about two years below grade level; listening comprehension and mathematical "
        "reasoning at grade level. Attention drops after about 15 minutes of reading.",
        recommendations="Questions read aloud; extended time; larger print; short breaks; weekly one-on-one "
        "reading support.",
    )
    services.meeting_record(
        actor=specialist,
        school=school,
        learner=learner,
        held_on=today - datetime.timedelta(days=35),
        participants=f"{specialist.name} (special educator), {teacher.teacher.name} (lead teacher), "
        f"{para.name} (para-professional), {guardian.guardian.name} (guardian)",
        decisions="An IEP with read-aloud, extended time x1.5 and larger text in every activity; "
        "60 minutes a week of one-on-one reading support; reading measured weekly.",
    )
    competency = (
        LearnerCompetencyState.objects.filter(school=school, learner=learner)
        .order_by("mastery_level", "pk")
        .select_related("competency")
        .first()
    )
    plan = services.plan_draft(
        actor=specialist,
        school=school,
        learner=learner,
        kind="iep",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=270),
        content=PlanContent(
            present_levels="Reads grade-level word problems with 40% accuracy on their own; solves the "
            "same problems read aloud to them with 75% accuracy.",
            members=[
                MemberSpec(specialist, PlanMember.Role.SPECIALIST),
                MemberSpec(teacher.teacher, PlanMember.Role.TEACHER),
                MemberSpec(guardian.guardian, PlanMember.Role.GUARDIAN),
                MemberSpec(para, PlanMember.Role.PARA_PROFESSIONAL, required=False),
            ],
            objectives=[
                ObjectiveSpec(
                    area="reading",
                    description="Reads a grade-level word problem accurately on their own",
                    baseline=40,
                    target=80,
                    target_date=start + datetime.timedelta(days=180),
                    measured_how="Share of five word problems read without error, in the weekly session",
                ),
                ObjectiveSpec(
                    area="mathematics",
                    description=f"Masters {competency.competency.name}"
                    if competency
                    else "Masters fractions",
                    baseline=round(100 * (competency.mastery_level or 0)) if competency else 20,
                    target=85,
                    target_date=start + datetime.timedelta(days=240),
                    measured_how="The mastery figure of practice",
                    competency=competency.competency if competency else None,
                ),
            ],
            accommodations=[
                AccommodationSpec("extended_time", factor=Decimal("1.5")),
                AccommodationSpec("read_aloud", learner_may_pause=True),
                AccommodationSpec("larger_text", learner_may_pause=True),
                AccommodationSpec("breaks"),
            ],
            services=[ServiceSpec(minutes_per_week=60, provider=para)],
            modifications=["Word problems shortened to two sentences where the objective allows"],
        ),
    )
    for signatory in (specialist, teacher.teacher, guardian.guardian):
        services.plan_sign(actor=signatory, plan=plan)
    reading = plan.objectives.get(area="reading")
    for weeks_ago, measure in zip((4, 3, 2, 1), MEASURES, strict=True):
        services.support_log_add(
            actor=para,
            school=school,
            learner=learner,
            held_on=today - datetime.timedelta(weeks=weeks_ago),
            minutes=60,
            what_was_done="Read five word problems together, then one alone; practised the tricky words.",
            objective=reading,
            measured=measure,
        )
    return plan
