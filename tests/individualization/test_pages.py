"""Individualization's pages as the team, the family, the learner's other teachers and the administrator
meet them: the plan and records (every read audited; 404 to a teacher outside the team), the accommodations
to apply on a page of their own, evaluations with a private file, meetings, signatures and consent, support
logs against the plan's minutes, a plan drafted and amended, and the administrator's audit with its CSV
export."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tessera.individualization import services
from tessera.individualization.models import (
    Evaluation,
    EvaluationAttachment,
    ObjectiveDataPoint,
    PlanMember,
    RecordRead,
    SupportLog,
    SupportPlan,
    TeamMeeting,
)
from tessera.individualization.services import AccommodationSpec, ServiceSpec
from tessera.schools import services as school_services
from tessera.schools.models import Membership
from tests.individualization.world import TODAY, content, draft, signed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
FINDINGS = "Decoding is two years below grade level; working memory is a strength."


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def main(response: Any) -> str:
    """The page's main content (the shell names who is signed in)."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def url(w: Any, rest: str) -> str:
    return f"/schools/{w.a.school.pk}/learners/{w.a.learner.pk}/{rest}"


def evaluation(w: Any, *, with_file: bool = False) -> Evaluation:
    found = services.evaluation_record(
        actor=w.a.specialist,
        school=w.a.school,
        learner=w.a.learner,
        kind="psychoeducational",
        evaluated_on=TODAY,
        areas=["reading", "memory"],
        findings=FINDINGS,
        recommendations="Read items aloud.",
    )
    if with_file:
        services.attachment_add(
            actor=w.a.specialist,
            evaluation=found,
            upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
        )
    return found


# --- the plan page -------------------------------------------------------------------------------


def test_the_team_reads_the_plan_in_force_and_the_read_is_audited(world: Any) -> None:
    signed(world)
    evaluation(world)
    response = client_for(world.a.specialist).get(url(world, "plan/"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reads two years below grade level" in page  # present levels
    assert "Reads a grade-level word problem aloud with support" in page  # the objective
    assert "40.0 %" in page and "80.0 %" in page  # baseline and target
    assert "Share of problems read correctly in a session" in page  # how it is measured
    assert "Timing" in page and "Presentation" in page  # accommodations grouped
    assert "Extended time" in page and "\u00d7 1.5" in page
    assert "Read-aloud of items and options" in page
    assert "Modifications: what is expected of the learner" in page  # kept apart from accommodations
    assert FINDINGS in page
    assert "Consented on" in page  # the guardian's signature reads as consent
    assert "<caption>" in page and 'scope="col"' in page
    read = RecordRead.objects.get(actor=world.a.specialist, action="read")
    assert read.learner == world.a.learner and read.record.startswith("plan ")
    # the specialist does not see the guardians' section about who read the records
    assert "Who read these records" not in page


def test_a_co_teacher_outside_the_team_gets_404_for_the_plan_like_a_stranger(world: Any) -> None:
    signed(world)
    evaluation(world)
    response = client_for(world.a.co_teacher).get(url(world, "plan/"))
    assert response.status_code == 404
    page = response.content.decode()
    assert FINDINGS not in page and "Extended time" not in page and "Accommodations" not in page
    # the same answer as a teacher who does not teach the learner: nothing says a plan exists
    stranger = client_for(world.a.other_teacher).get(url(world, "plan/"))
    assert stranger.status_code == 404 and main(stranger) == main(response)
    assert not RecordRead.objects.filter(actor=world.a.co_teacher).exists()


def test_a_co_teacher_outside_the_team_sees_only_the_accommodations_on_their_page(world: Any) -> None:
    signed(world)
    evaluation(world)
    response = client_for(world.a.co_teacher).get(url(world, "accommodations/"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accommodations to apply" in page
    assert "You teach this learner." in page
    assert "Extended time" in page and "\u00d7 1.5" in page
    assert "Read-aloud of items and options" in page
    assert FINDINGS not in page
    assert "Reads two years below grade level" not in page  # nothing of the plan's present levels
    assert "Reads a grade-level word problem" not in page  # nor its objectives
    assert "Evaluations" not in page
    assert url(world, "plan/") not in page  # no link to a page they may not open
    assert url(world, "support-logs/") in page  # they log support sessions
    # Audited as what it is: the accommodations to apply, not the plan.
    reads = RecordRead.objects.filter(actor=world.a.co_teacher)
    assert set(reads.values_list("record", flat=True)) == {"accommodations to apply"}
    assert set(reads.values_list("action", flat=True)) == {RecordRead.Action.READ}


def test_a_paused_support_is_not_among_the_accommodations_to_apply(world: Any) -> None:
    signed(world)
    services.accommodation_pause(learner=world.a.learner, school=world.a.school, kind="read_aloud")
    page = client_for(world.a.co_teacher).get(url(world, "accommodations/")).content.decode()
    assert "Extended time" in page and "Read-aloud of items and options" not in page


@pytest.mark.parametrize("role", ["specialist", "teacher", "guardian", "admin"])
def test_those_who_read_the_records_see_the_accommodations_page_too_audited(world: Any, role: str) -> None:
    signed(world)
    person = getattr(world.a, role)
    response = client_for(person).get(url(world, "accommodations/"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Extended time" in page and "\u00d7 1.5" in page
    assert ("You teach this learner." in page) == (role == "teacher")
    reads = RecordRead.objects.filter(actor=person, action=RecordRead.Action.READ)
    assert [(r.record, r.learner) for r in reads] == [("accommodations to apply", world.a.learner)]


def test_the_plan_page_links_to_the_accommodations_to_apply(world: Any) -> None:
    signed(world)
    page = client_for(world.a.specialist).get(url(world, "plan/")).content.decode()
    assert url(world, "accommodations/") in page


@pytest.mark.parametrize("role", ["other_teacher", "mentor", "other_learner", "learner"])
def test_anyone_else_gets_404_for_the_accommodations(world: Any, role: str) -> None:
    signed(world)
    person = getattr(world.a, role)
    response = client_for(person).get(url(world, "accommodations/"))
    assert response.status_code == 404
    assert not RecordRead.objects.filter(actor=person).exists()


def test_a_classmate_gets_404_for_the_plan_and_the_accommodations(world: Any) -> None:
    signed(world)
    school_services.learner_enrol(actor=None, school_class=world.a.klass, learner=world.a.other_learner)
    peer = client_for(world.a.other_learner)
    assert peer.get(url(world, "plan/")).status_code == 404
    assert peer.get(url(world, "accommodations/")).status_code == 404
    assert not RecordRead.objects.filter(actor=world.a.other_learner).exists()


@pytest.mark.parametrize("role", ["para", "other_teacher", "mentor", "other_learner"])
def test_anyone_else_gets_404(world: Any, role: str) -> None:
    signed(world)
    person = getattr(world.a, role)
    response = client_for(person).get(url(world, "plan/"))
    assert response.status_code == 404
    assert not RecordRead.objects.filter(actor=person).exists()


@pytest.mark.parametrize("rest", ["plan/", "accommodations/"])
def test_anonymous_is_sent_to_sign_in(world: Any, rest: str) -> None:
    signed(world)
    response = Client().get(url(world, rest))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_guardian_sees_who_read_the_records(world: Any) -> None:
    signed(world)
    client_for(world.a.specialist).get(url(world, "plan/"))
    response = client_for(world.a.guardian).get(url(world, "plan/"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who read these records" in page
    section = page.split("Who read these records", 1)[1]
    assert world.a.specialist.name in section
    assert world.a.guardian.name in section  # their own read, just now, is there too


def test_minutes_delivered_this_week_against_the_plan(world: Any) -> None:
    plan = draft(world, services=[ServiceSpec(90, world.a.para)])
    for person in (world.a.specialist, world.a.teacher, world.a.guardian):
        services.plan_sign(actor=person, plan=plan)
    services.support_log_add(
        actor=world.a.para,
        school=world.a.school,
        learner=world.a.learner,
        held_on=TODAY,
        minutes=30,
        what_was_done="Paired reading of two word problems.",
    )
    page = client_for(world.a.teacher).get(url(world, "plan/")).content.decode()
    assert "30 minutes delivered of 90 minutes per week planned" in page
    assert "60 minutes still to deliver" in page
    assert "Paired reading of two word problems." in page
    assert "One-on-one support: 90 minutes per week" in page


def test_an_amendment_shows_what_changed_and_who_has_not_signed(world: Any) -> None:
    first = signed(world)
    services.plan_draft(
        actor=world.a.specialist,
        school=world.a.school,
        learner=world.a.learner,
        kind="iep",
        starts_on=first.starts_on,
        ends_on=first.ends_on,
        amends=first,
        effective_from=TODAY,
        change_summary="Calculator instead of read-aloud.",
        content=content(
            world,
            accommodations=[
                AccommodationSpec(
                    "extended_time", factor=first.accommodations.get(kind="extended_time").factor
                ),
                AccommodationSpec("calculator"),
            ],
        ),
    )
    page = client_for(world.a.guardian).get(url(world, "plan/")).content.decode()
    assert "Calculator instead of read-aloud." in page
    assert "Accommodation added: Calculator allowed" in page
    assert "Accommodation removed: Read-aloud of items and options" in page
    assert "Not signed yet" in page
    assert "Draft: waiting for signatures" in page and "In effect" in page
    assert "Read and consent to version 2" in page  # the guardian is asked for consent


# --- evaluations and their files -----------------------------------------------------------------


def test_the_specialist_records_an_evaluation_with_its_report(world: Any, private_files: Path) -> None:
    signed(world)
    response = client_for(world.a.specialist).post(
        url(world, "evaluations/"),
        {
            "kind": "academic",
            "evaluated_on": TODAY.isoformat(),
            "areas": ["reading", "mathematics"],
            "findings": FINDINGS,
            "attachment": SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(world, "plan/")
    found = Evaluation.objects.get(learner=world.a.learner)
    attachment = found.attachments.get()
    assert attachment.original_name == "report.pdf"
    follow = client_for(world.a.specialist).get(url(world, "plan/"))
    assert f"attachments/{attachment.pk}/" in follow.content.decode()


def test_a_bad_file_leaves_no_evaluation(world: Any, private_files: Path) -> None:
    signed(world)
    response = client_for(world.a.specialist).post(
        url(world, "evaluations/"),
        {
            "kind": "academic",
            "evaluated_on": TODAY.isoformat(),
            "areas": ["reading"],
            "findings": FINDINGS,
            "attachment": SimpleUploadedFile(
                "report.pdf", b"not a pdf at all", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    assert "Attach a PDF, PNG or JPEG file" in response.content.decode()
    assert not Evaluation.objects.exists()
    assert not EvaluationAttachment.objects.exists()
    assert not RecordRead.objects.filter(action="wrote", record__startswith="evaluation").exists()
    folder = private_files / "evaluations"
    assert not folder.exists() or not any(folder.iterdir())


def test_an_evaluation_without_findings_is_refused(world: Any) -> None:
    response = client_for(world.a.specialist).post(
        url(world, "evaluations/"),
        {"kind": "academic", "evaluated_on": TODAY.isoformat(), "areas": ["reading"]},
    )
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_a_teacher_on_the_team_may_not_enter_an_evaluation(world: Any) -> None:
    signed(world)
    response = client_for(world.a.teacher).post(
        url(world, "evaluations/"),
        {"kind": "academic", "evaluated_on": TODAY.isoformat(), "areas": ["reading"], "findings": FINDINGS},
    )
    assert response.status_code == 403
    assert "specialist assigned to the learner" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_download_checks_permission_and_is_audited(world: Any) -> None:
    signed(world)
    attachment = evaluation(world, with_file=True).attachments.get()
    link = url(world, f"attachments/{attachment.pk}/")
    response = client_for(world.a.guardian).get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "report.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    row = RecordRead.objects.get(actor=world.a.guardian, action="downloaded")
    assert row.record == f"attachment {attachment.pk} of evaluation {attachment.evaluation_id}"
    assert client_for(world.a.co_teacher).get(link).status_code == 404
    assert client_for(world.a.para).get(link).status_code == 404
    assert RecordRead.objects.filter(action="downloaded").count() == 1


# --- meetings, signatures, support logs ----------------------------------------------------------


def test_the_team_records_a_meeting(world: Any) -> None:
    signed(world)
    client = client_for(world.a.teacher)
    bad = client.post(url(world, "meetings/"), {"held_on": TODAY.isoformat(), "participants": "The team"})
    assert bad.status_code == 400
    assert not TeamMeeting.objects.exists()
    response = client.post(
        url(world, "meetings/"),
        {
            "held_on": TODAY.isoformat(),
            "participants": "Specialist, teacher, guardian",
            "decisions": "Read aloud.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][1] == 302
    assert "The team meeting is recorded." in response.content.decode()
    assert "Specialist, teacher, guardian" in response.content.decode()
    assert client_for(world.a.guardian).post(url(world, "meetings/"), {}).status_code == 403


def test_the_guardian_consents_and_the_last_signature_puts_the_plan_in_effect(world: Any) -> None:
    plan = draft(world)
    sign = url(world, f"plans/{plan.pk}/sign/")
    for person in (world.a.specialist, world.a.teacher):
        assert client_for(person).post(sign, {"confirm": "on"}).status_code == 302
    guardian = client_for(world.a.guardian)
    form = guardian.get(sign).content.decode()
    assert "I consent" in form and "I have read this plan and I consent to it." in form
    unticked = guardian.post(sign, {})
    assert unticked.status_code == 400
    assert PlanMember.objects.get(plan=plan, user=world.a.guardian).signed_at is None
    response = guardian.post(sign, {"confirm": "on"}, follow=True)
    assert "everyone has signed, and the plan is in effect" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == SupportPlan.Status.ACTIVE
    # signing again a version in effect is refused with the reason, nothing changes
    again = client_for(world.a.specialist).post(sign, {"confirm": "on"})
    assert again.status_code == 400 and "already in effect" in again.content.decode()
    # the administrator reads the plan but is not on its team
    assert client_for(world.a.admin).post(sign, {"confirm": "on"}).status_code == 403


def test_the_para_logs_a_session_with_a_measure(world: Any) -> None:
    plan = signed(world)
    objective = plan.objectives.get()
    client = client_for(world.a.para)
    form = client.get(url(world, "support-logs/")).content.decode()
    assert objective.description in form  # the assigned para logs against the plan's objectives
    response = client.post(
        url(world, "support-logs/"),
        {
            "held_on": TODAY.isoformat(),
            "minutes": 25,
            "objective": objective.pk,
            "what_was_done": "Read three problems aloud together.",
            "measured": 55,
        },
    )
    assert response.status_code == 302
    log = SupportLog.objects.get(learner=world.a.learner)
    assert log.logged_by == world.a.para and log.minutes == 25
    assert ObjectiveDataPoint.objects.get(objective=objective).value == 55
    # the para may not read the plan: back to the form, not to the plan
    assert response["Location"] == url(world, "support-logs/")


def test_bad_minutes_change_nothing(world: Any) -> None:
    signed(world)
    response = client_for(world.a.para).post(
        url(world, "support-logs/"), {"held_on": TODAY.isoformat(), "minutes": 0, "what_was_done": "x"}
    )
    assert response.status_code == 400
    future = client_for(world.a.para).post(
        url(world, "support-logs/"),
        {"held_on": (TODAY + datetime.timedelta(days=2)).isoformat(), "minutes": 10, "what_was_done": "x"},
    )
    assert future.status_code == 400 and "cannot be logged in the future" in future.content.decode()
    assert not SupportLog.objects.exists()


def test_a_para_not_assigned_to_the_learner_is_refused_with_the_reason(world: Any) -> None:
    signed(world)
    other_para = school_services.person_add(
        actor=None,
        school=world.a.school,
        username="a.para2",
        first_name="Other",
        last_name="Para",
        role="para_professional",
    ).user
    response = client_for(other_para).post(
        url(world, "support-logs/"),
        {"held_on": TODAY.isoformat(), "minutes": 20, "what_was_done": "Reading."},
    )
    assert response.status_code == 403
    assert "Only the staff assigned to this learner" in response.content.decode()
    assert not SupportLog.objects.exists()


def test_a_co_teacher_logs_without_seeing_the_objectives(world: Any) -> None:
    plan = signed(world)
    form = client_for(world.a.co_teacher).get(url(world, "support-logs/")).content.decode()
    assert plan.objectives.get().description not in form
    # the form links back to the page they may open, not to the plan (404 to them)
    assert url(world, "accommodations/") in form and url(world, "plan/") not in form


def test_the_support_log_form_links_back_to_the_plan_for_the_team_and_the_supports_for_the_para(
    world: Any,
) -> None:
    signed(world)
    team = client_for(world.a.specialist).get(url(world, "support-logs/")).content.decode()
    assert url(world, "plan/") in team
    para = client_for(world.a.para).get(url(world, "support-logs/")).content.decode()
    assert url(world, "plan/") not in para and url(world, "accommodations/") in para
    supports = client_for(world.a.para).get(url(world, "accommodations/"))
    assert supports.status_code == 200 and "Extended time" in supports.content.decode()


# --- drafting a plan -----------------------------------------------------------------------------


def plan_post(w: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": "iep",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=180)).isoformat(),
        "present_levels": "Reads below grade level.",
        "members": [w.a.specialist.pk, w.a.teacher.pk, w.a.guardian.pk],
        "accommodations": ["extended_time", "read_aloud"],
        "factor": "1.5",
        "pausable": ["read_aloud"],
        "service_minutes": 60,
        "service_provider": w.a.para.pk,
        "o1_description": "Solves two-step problems",
        "o1_area": "mathematics",
        "o1_baseline": "20",
        "o1_target": "70",
        "o1_unit": "%",
        "o1_target_date": (TODAY + datetime.timedelta(days=120)).isoformat(),
        "o1_measured_how": "Weekly probe",
        "o1_frequency": "weekly",
        "modifications": "Fewer problems per page",
    }
    data.update(changes)
    return data


def test_the_specialist_drafts_a_plan(world: Any) -> None:
    response = client_for(world.a.specialist).post(url(world, "plans/new/"), plan_post(world))
    assert response.status_code == 302
    plan = SupportPlan.objects.get(learner=world.a.learner)
    assert plan.status == SupportPlan.Status.DRAFT
    assert {m.user_id: m.role for m in plan.members.all()} == {
        world.a.specialist.pk: "specialist",
        world.a.teacher.pk: "teacher",
        world.a.guardian.pk: "guardian",
    }
    extended = plan.accommodations.get(kind="extended_time")
    assert str(extended.factor.normalize()) == "1.5"
    assert plan.accommodations.get(kind="read_aloud").learner_may_pause
    assert plan.services.get().minutes_per_week == 60
    assert plan.objectives.get().target == 70
    assert plan.modifications.get().description == "Fewer problems per page"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"factor": ""}, "Extended time is 1.25, 1.5 or 2 times"),
        ({"o1_target": ""}, "needs a baseline, a measurable target and a date"),
        ({"members": []}, "This field is required"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_is_drafted(world: Any, changes: dict[str, Any], says: str) -> None:
    response = client_for(world.a.specialist).post(url(world, "plans/new/"), plan_post(world, **changes))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not SupportPlan.objects.exists()


# --- the administrator's audit -------------------------------------------------------------------


def test_the_administrator_reviews_and_exports_the_audit(world: Any) -> None:
    signed(world)
    client_for(world.a.specialist).get(url(world, "plan/"))
    admin = client_for(world.a.admin)
    audit = f"/schools/{world.a.school.pk}/records-audit/"
    page = admin.get(audit)
    assert page.status_code == 200
    text = page.content.decode()
    assert world.a.specialist.name in text and "<caption>" in text
    exported = admin.get(f"{audit}?format=csv")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    assert exported["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0] == ["at", "learner", "who", "action", "record", "address"]
    assert [world.a.learner.name, world.a.specialist.name, "read"] in [r[1:4] for r in rows[1:]]
    assert len(rows) - 1 == RecordRead.objects.filter(school=world.a.school).count()
    # the guardian, the team and other schools' administrators may not open it
    for person in (world.a.guardian, world.a.specialist, world.b.admin):
        assert client_for(person).get(audit).status_code == 404


def test_the_audit_is_paginated_and_filtered_by_learner(world: Any) -> None:
    signed(world)
    for _ in range(55):
        RecordRead.objects.create(
            school=world.a.school,
            learner=world.a.learner,
            actor=world.a.specialist,
            action="read",
            record="plan",
        )
    other = Membership.objects.get(school=world.a.school, user=world.a.other_learner).user
    RecordRead.objects.create(
        school=world.a.school, learner=other, actor=world.a.teacher, action="read", record="records of other"
    )
    admin = client_for(world.a.admin)
    audit = f"/schools/{world.a.school.pk}/records-audit/"
    first = admin.get(audit).content.decode()
    assert first.count('<tr><th scope="row">') == 50
    assert "Older" in first
    filtered = admin.get(f"{audit}?learner={other.pk}").content.decode()
    assert "records of other" in filtered and filtered.count('<tr><th scope="row">') == 1
    assert admin.get(f"{audit}?learner=999999").status_code == 404


# --- links from the other pages ------------------------------------------------------------------


def test_the_learner_page_links_to_the_plan_or_to_the_accommodations(world: Any) -> None:
    signed(world)
    membership = Membership.objects.get(school=world.a.school, user=world.a.learner, role="learner")
    plan_link = url(world, "plan/")
    teacher_page = client_for(world.a.teacher).get(f"/learners/{membership.pk}/").content.decode()
    assert plan_link in teacher_page and "Support plan, evaluations" in teacher_page
    co_page = client_for(world.a.co_teacher).get(f"/learners/{membership.pk}/").content.decode()
    assert url(world, "accommodations/") in co_page and "Accommodations to apply" in co_page
    assert plan_link not in co_page and "Support plan, evaluations" not in co_page


def test_the_family_page_links_to_the_plan(world: Any) -> None:
    signed(world)
    page = client_for(world.a.guardian).get(f"/family/{world.a.school.pk}/{world.a.learner.pk}/")
    assert page.status_code == 200
    assert url(world, "plan/") in page.content.decode()


def test_the_plan_page_links_each_objective_to_its_progress_chart(world: Any) -> None:
    plan = signed(world)
    objective = plan.objectives.get()
    page = client_for(world.a.specialist).get(url(world, "plan/"))
    assert f"/schools/{world.a.school.pk}/objectives/{objective.pk}/progress/" in page.content.decode()
    chart = client_for(world.a.specialist).get(
        f"/schools/{world.a.school.pk}/objectives/{objective.pk}/progress/"
    )
    assert chart.status_code == 200
