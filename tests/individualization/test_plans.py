"""Individualization as the team, the family and the learner meet it: an evaluation by the specialist, a
plan that takes effect only when every required member signed (the guardian's signature is consent), its
accommodations applied to every practice session with proof, amendments from their own date, support logs
and progress data, and who may read what (every read audited)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.events.models import Event
from tessera.individualization import selectors, services
from tessera.individualization.models import EvaluationAttachment, RecordRead, SupportPlan
from tessera.individualization.services import AccommodationSpec, ObjectiveSpec
from tessera.practice import services as practice
from tessera.schools.errors import DomainError, PermissionDenied
from tests.curriculum.documents import small_framework
from tests.individualization.world import TODAY, content, draft, signed

pytestmark = pytest.mark.django_db


def test_a_plan_takes_effect_when_the_last_required_member_signs(world: Any) -> None:
    plan = draft(world)
    services.plan_sign(actor=world.a.specialist, plan=plan)
    services.plan_sign(actor=world.a.teacher, plan=plan)
    assert selectors.plan_in_force(world.a.school, world.a.learner, TODAY) is None, (
        "the guardian has not consented"
    )
    services.plan_sign(actor=world.a.guardian, plan=plan)
    assert selectors.plan_in_force(world.a.school, world.a.learner, TODAY) == plan
    assert Event.objects.filter(kind="individualization.plan_in_effect", learner=world.a.learner).count() == 1


def test_a_plan_activated_without_the_signatures_is_refused(world: Any) -> None:
    plan = draft(world)
    services.plan_sign(actor=world.a.specialist, plan=plan)
    with pytest.raises(DomainError) as refused:
        services.plan_activate(actor=world.a.specialist, plan=plan)
    assert refused.value.code == "individualization.signatures_missing"
    assert world.a.guardian.name in refused.value.message
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.DRAFT


def test_the_accommodations_follow_the_learner_into_every_practice_session(world: Any) -> None:
    signed(world)
    competency = small_framework(world.a.school).competencies.get(code="add")
    session = practice.session_start(learner=world.a.learner, competency=competency)
    applied = {a["kind"]: a["value"] for a in session.accommodations}
    assert applied == {"extended_time": "1.5", "read_aloud": ""}
    # The learner turns read-aloud off for today, as the plan allows; extended time cannot be turned off.
    services.accommodation_pause(learner=world.a.learner, school=world.a.school, kind="read_aloud")
    with pytest.raises(PermissionDenied):
        services.accommodation_pause(learner=world.a.learner, school=world.a.school, kind="extended_time")
    later = practice.session_start(learner=world.a.learner, competency=competency)
    assert [a["kind"] for a in later.accommodations] == ["extended_time"]


def test_an_amendment_takes_effect_from_its_own_date_and_keeps_the_history(world: Any) -> None:
    first = signed(world)
    with pytest.raises(DomainError) as refused:
        services.plan_draft(
            actor=world.a.specialist,
            school=world.a.school,
            learner=world.a.learner,
            kind="iep",
            starts_on=first.starts_on,
            ends_on=first.ends_on,
            content=content(world),
            amends=first,
            effective_from=TODAY - datetime.timedelta(days=1),
            change_summary="Backdated",
        )
    assert refused.value.code == "individualization.amendment_retroactive"
    tomorrow = TODAY + datetime.timedelta(days=1)
    amended = services.plan_draft(
        actor=world.a.specialist,
        school=world.a.school,
        learner=world.a.learner,
        kind="iep",
        starts_on=first.starts_on,
        ends_on=first.ends_on,
        content=content(world, accommodations=[AccommodationSpec("extended_time", factor=Decimal("2"))]),
        amends=first,
        effective_from=tomorrow,
        change_summary="Twice the time; read-aloud no longer needed.",
    )
    for person in (world.a.specialist, world.a.teacher, world.a.guardian):
        services.plan_sign(actor=person, plan=amended)
    assert selectors.plan_in_force(world.a.school, world.a.learner, TODAY) == first
    assert selectors.plan_in_force(world.a.school, world.a.learner, tomorrow) == amended
    assert [s.kind for s in selectors.accommodations_in_force(world.a.school, world.a.learner, tomorrow)] == [
        "extended_time"
    ]
    assert amended.version == 2 and amended.amends == first


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"objectives": [ObjectiveSpec("reading", "Reads better", 40, None, None, "Teacher judgement")]},
            "individualization.objective_not_measurable",
        ),
        (
            {"accommodations": [AccommodationSpec("extended_time", factor=Decimal("3"))]},
            "individualization.accommodation_out_of_range",
        ),
        (
            {"accommodations": [AccommodationSpec("fewer_options", options=1)]},
            "individualization.accommodation_out_of_range",
        ),
    ],
)
def test_a_plan_with_bad_content_is_refused_and_nothing_is_stored(
    world: Any, changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        draft(world, **changes)
    assert refused.value.code == code
    assert not SupportPlan.objects.exists()


def test_overlapping_plan_periods_are_refused(world: Any) -> None:
    signed(world)
    with pytest.raises(DomainError) as refused:
        draft(world)
    assert refused.value.code == "individualization.plans_overlap"
    assert SupportPlan.objects.count() == 1


def test_only_an_assigned_specialist_records_an_evaluation_and_files_are_checked(world: Any) -> None:
    args = {
        "school": world.a.school,
        "learner": world.a.learner,
        "kind": "psychoeducational",
        "evaluated_on": TODAY,
        "areas": ["reading", "attention"],
        "findings": "Slow decoding; strong reasoning.",
    }
    with pytest.raises(PermissionDenied):
        services.evaluation_record(actor=world.a.teacher, **args)
    evaluation = services.evaluation_record(actor=world.a.specialist, **args)
    wrong = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        services.attachment_add(actor=world.a.specialist, evaluation=evaluation, upload=wrong)
    assert refused.value.code == "individualization.attachment_wrong_type"
    big = SimpleUploadedFile(
        "scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * (11 * 1024 * 1024), content_type="image/png"
    )
    with pytest.raises(DomainError) as refused:
        services.attachment_add(actor=world.a.specialist, evaluation=evaluation, upload=big)
    assert refused.value.code == "individualization.attachment_too_large"
    assert not EvaluationAttachment.objects.exists()
    good = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    stored = services.attachment_add(actor=world.a.specialist, evaluation=evaluation, upload=good)
    assert stored.content_type == "application/pdf" and stored.stored_name.endswith(".pdf")


def test_a_para_logs_support_only_for_learners_assigned_to_them(world: Any) -> None:
    plan = signed(world)
    objective = plan.objectives.get()
    log = services.support_log_add(
        actor=world.a.para,
        school=world.a.school,
        learner=world.a.learner,
        held_on=TODAY,
        minutes=30,
        what_was_done="Read three problems aloud together.",
        objective=objective,
        measured=55,
    )
    assert [p.value for p in selectors.objective_progress(objective)] == [55]
    assert log.minutes == 30
    with pytest.raises(PermissionDenied) as refused:
        services.support_log_add(
            actor=world.a.para,
            school=world.a.school,
            learner=world.a.other_learner,
            held_on=TODAY,
            minutes=30,
            what_was_done="Not my learner.",
        )
    assert refused.value.code == "individualization.not_assigned"


def test_an_objective_below_its_aim_line_three_times_alerts_the_team(world: Any) -> None:
    plan = signed(world)
    objective = plan.objectives.get()
    for days_ago, value in ((6, 10), (4, 12), (2, 11)):
        services.support_log_add(
            actor=world.a.para,
            school=world.a.school,
            learner=world.a.learner,
            held_on=TODAY - datetime.timedelta(days=days_ago),
            minutes=20,
            what_was_done="Practice.",
            objective=objective,
            measured=value,
        )
    assert Event.objects.filter(kind="individualization.objective_off_track").count() == 1


def test_who_may_read_the_plan_and_every_read_is_audited(world: Any) -> None:
    signed(world)
    school, learner = world.a.school, world.a.learner
    assert selectors.records_for(world.a.other_teacher, school, learner) is None
    assert selectors.records_for(world.a.mentor, school, learner) is None
    # A teacher on the team reads it; one who only teaches the learner reads the accommodations only.
    assert selectors.records_for(world.a.teacher, school, learner) is not None
    assert selectors.records_for(world.a.co_teacher, school, learner) is None
    assert not RecordRead.objects.filter(actor=world.a.co_teacher).exists()
    assert [s.kind for s in selectors.accommodations_to_apply(world.a.co_teacher, school, learner) or []] == [
        "extended_time",
        "read_aloud",
    ]
    assert RecordRead.objects.filter(actor=world.a.co_teacher, record="accommodations to apply").count() == 1
    assert selectors.accommodations_to_apply(world.a.other_teacher, school, learner) is None
    assert [s.kind for s in selectors.accommodations_to_apply(world.a.para, school, learner) or []] == [
        "extended_time",
        "read_aloud",
    ], "the para-professional assigned applies them"
    assert selectors.records_for(world.a.para, school, learner) is None
    read = selectors.records_for(world.a.specialist, school, learner, address="10.0.0.7")
    assert read is not None and read.plan is not None
    seen = selectors.audit_log_for(world.a.guardian, school, learner)
    assert seen is not None
    readers = {(r.actor, r.action) for r in seen}
    assert (world.a.specialist, RecordRead.Action.READ) in readers and (
        world.a.teacher,
        RecordRead.Action.READ,
    ) in readers
    assert seen.filter(address="10.0.0.7").exists()
    assert selectors.audit_log_for(world.a.teacher, school, learner) is None


def test_an_attachment_is_kept_private_under_a_random_name(world: Any, private_files: Any) -> None:
    evaluation = services.evaluation_record(
        actor=world.a.specialist,
        school=world.a.school,
        learner=world.a.learner,
        kind="academic",
        evaluated_on=TODAY,
        areas=["mathematics"],
        findings="Counts on fingers beyond 20.",
    )
    upload = SimpleUploadedFile(
        "Learner A report.jpg", b"\xff\xd8\xff\xe0 jpeg bytes", content_type="image/jpeg"
    )
    stored = services.attachment_add(actor=world.a.specialist, evaluation=evaluation, upload=upload)
    path = private_files / "evaluations" / stored.stored_name
    assert path.read_bytes() == b"\xff\xd8\xff\xe0 jpeg bytes"
    assert path.stat().st_mode & 0o077 == 0, "only the server's account reads it"
    assert "Learner" not in stored.stored_name and stored.original_name == "Learner A report.jpg"
