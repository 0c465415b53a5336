"""The individualization API as the team, the family, the learner and the teachers meet it: the records
(404 to the co-teacher, who reads only the accommodations to apply), evaluations and their files, meetings,
plans drafted, signed and put in effect, support logs with data points, the learner's own supports, and the
audit; and every bad input of the issue refused with its code and nothing changed."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tessera.individualization.models import (
    AccommodationPause,
    Evaluation,
    EvaluationAttachment,
    ObjectiveDataPoint,
    RecordRead,
    SupportLog,
    SupportPlan,
    TeamMeeting,
)
from tessera.schools import services as school_services
from tessera.schools.models import User
from tests.individualization import world as iw

pytestmark = pytest.mark.django_db
TODAY = iw.TODAY


def as_user(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def post(user: User, url: str, body: dict[str, Any] | None = None) -> Any:
    return as_user(user).post(url, data=json.dumps(body or {}), content_type="application/json")


def learner_url(w: Any, rest: str) -> str:
    return f"/api/schools/{w.a.school.pk}/learners/{w.a.learner.pk}/{rest}"


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"]


def plan_body(w: Any, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "iep",
        "starts_on": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=200)).isoformat(),
        "present_levels": "Reads two years below grade level.",
        "members": [
            {"user_id": w.a.specialist.pk, "role": "specialist"},
            {"user_id": w.a.teacher.pk, "role": "teacher"},
            {"user_id": w.a.guardian.pk, "role": "guardian"},
        ],
        "objectives": [
            {
                "area": "reading",
                "description": "Reads a word problem aloud",
                "baseline": 40,
                "target": 80,
                "target_date": (TODAY + datetime.timedelta(days=150)).isoformat(),
                "measured_how": "Share of problems read correctly",
            }
        ],
        "accommodations": [
            {"kind": "extended_time", "factor": "1.5"},
            {"kind": "read_aloud", "learner_may_pause": True},
        ],
        "services": [{"minutes_per_week": 60, "provider_id": w.a.para.pk}],
        "modifications": ["Shorter problem sets in mathematics"],
    }
    body.update(changes)
    return body


# --- the records -------------------------------------------------------------------------------------


def test_the_team_reads_the_whole_record_and_every_read_is_audited(world: Any) -> None:
    plan = iw.plan(world)
    iw.attachment(world)
    before = RecordRead.objects.filter(action="read").count()
    response = as_user(world.a.specialist).get(learner_url(world, "plan"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["plan"]["id"] == plan.pk and body["plan"]["status"] == "active"
    assert [v["version"] for v in body["versions"]] == [1]
    assert {s["name"] for s in body["plan"]["signatures"]} == {
        world.a.specialist.name,
        world.a.teacher.name,
        world.a.guardian.name,
    }
    assert all(s["signed_at"] for s in body["plan"]["signatures"])
    assert body["plan"]["objectives"][0]["target"] == 80
    assert {a["kind"] for a in body["plan"]["accommodations"]} == {"extended_time", "read_aloud"}
    [evaluation] = body["evaluations"]
    assert evaluation["attachments"][0]["name"] == "report.pdf"
    assert "content" not in evaluation["attachments"][0]
    assert {a["kind"] for a in body["accommodations"]} == {"extended_time", "read_aloud"}
    assert RecordRead.objects.filter(action="read").count() == before + 1
    row = RecordRead.objects.filter(action="read").first()
    assert row is not None and row.actor == world.a.specialist and row.address == "127.0.0.1"


def test_the_co_teacher_gets_404_for_the_records_like_a_stranger(world: Any) -> None:
    iw.plan(world)
    iw.evaluation(world)
    response = as_user(world.a.co_teacher).get(learner_url(world, "plan"))
    refused(response, 404, "individualization.learner_not_found")
    stranger = as_user(world.a.other_teacher).get(learner_url(world, "plan"))
    assert stranger.json() == response.json()  # the same answer: nothing says a plan exists
    assert not RecordRead.objects.filter(actor=world.a.co_teacher).exists()


def test_the_co_teacher_reads_the_accommodations_to_apply_audited(world: Any) -> None:
    iw.plan(world)
    iw.evaluation(world)
    response = as_user(world.a.co_teacher).get(learner_url(world, "accommodations"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert {a["kind"]: (a["value"], a["label"]) for a in body} == {
        "extended_time": ("1.5", "Extended time"),
        "read_aloud": ("", "Read-aloud of items and options"),
    }
    row = RecordRead.objects.get(actor=world.a.co_teacher)
    assert row.action == "read" and row.record == "accommodations to apply" and row.address == "127.0.0.1"


def test_the_readers_of_the_records_read_the_accommodations_too(world: Any) -> None:
    iw.plan(world)
    for person in (world.a.specialist, world.a.teacher, world.a.guardian, world.a.admin):
        response = as_user(person).get(learner_url(world, "accommodations"))
        assert response.status_code == 200, response.content
        assert {a["kind"] for a in response.json()} == {"extended_time", "read_aloud"}
        assert RecordRead.objects.filter(actor=person, record="accommodations to apply").count() == 1


def test_a_paused_support_is_left_out_of_the_accommodations_to_apply(world: Any) -> None:
    iw.plan(world)
    pause = f"/api/me/accommodations/read_aloud/pause?school_id={world.a.school.pk}"
    assert as_user(world.a.learner).post(pause).status_code == 200
    response = as_user(world.a.co_teacher).get(learner_url(world, "accommodations"))
    assert [a["kind"] for a in response.json()] == ["extended_time"]
    # the records' readers still see it, marked paused, in the records
    records = as_user(world.a.specialist).get(learner_url(world, "plan")).json()
    assert {a["kind"]: a["paused"] for a in records["accommodations"]} == {
        "extended_time": False,
        "read_aloud": True,
    }


def test_strangers_and_peers_get_404_for_the_accommodations(world: Any) -> None:
    iw.plan(world)
    school_services.learner_enrol(actor=None, school_class=world.a.klass, learner=world.a.other_learner)
    strangers = (
        world.a.other_teacher,
        world.a.other_learner,  # a classmate now
        world.a.mentor,
        world.a.learner,  # under the age to read their plan; their own supports are at /me/accommodations
        world.b.admin,
        world.b.teacher,
    )
    for person in strangers:
        for rest in ("plan", "accommodations"):
            refused(as_user(person).get(learner_url(world, rest)), 404, "individualization.learner_not_found")
        assert not RecordRead.objects.filter(actor=person).exists()
    assert as_user(None).get(learner_url(world, "accommodations")).status_code == 401
    # the para-professional assigned to the learner applies the supports, and reads nothing else
    refused(as_user(world.a.para).get(learner_url(world, "plan")), 404, "individualization.learner_not_found")
    assert as_user(world.a.para).get(learner_url(world, "accommodations")).status_code == 200


def test_people_outside_the_team_get_404_with_a_code(world: Any) -> None:
    iw.plan(world)
    for person in (world.a.other_teacher, world.a.other_learner, world.b.admin, world.a.mentor):
        refused(as_user(person).get(learner_url(world, "plan")), 404, "individualization.learner_not_found")
    assert as_user(None).get(learner_url(world, "plan")).status_code == 401


def test_every_read_is_in_the_audit_and_the_guardian_sees_who_read(world: Any) -> None:
    iw.plan(world)
    as_user(world.a.teacher).get(learner_url(world, "plan"))
    as_user(world.a.admin).get(learner_url(world, "plan"))
    attachment = iw.attachment(world)
    download = as_user(world.a.guardian).get(f"/api/evaluation-attachments/{attachment.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == iw.PDF  # type: ignore[attr-defined]
    audit_url = f"/api/schools/{world.a.school.pk}/records-audit?learner_id={world.a.learner.pk}"
    response = as_user(world.a.guardian).get(audit_url)
    assert response.status_code == 200, response.content
    body = response.json()
    readers = {(r["actor"], r["action"]) for r in body["items"]}
    assert (world.a.teacher.name, "read") in readers
    assert (world.a.admin.name, "read") in readers
    assert (world.a.guardian.name, "downloaded") in readers
    assert body["count"] == RecordRead.objects.filter(learner=world.a.learner).count()
    # The administrator pages through the school's audit; the guardian needs their child's id.
    page = (
        as_user(world.a.admin).get(f"/api/schools/{world.a.school.pk}/records-audit?limit=2&offset=1").json()
    )
    assert len(page["items"]) == 2 and page["count"] == body["count"]
    refused(
        as_user(world.a.guardian).get(f"/api/schools/{world.a.school.pk}/records-audit"),
        404,
        "individualization.audit_not_found",
    )
    refused(as_user(world.a.teacher).get(audit_url), 404, "individualization.audit_not_found")


# --- evaluations -------------------------------------------------------------------------------------


def test_a_specialist_records_an_evaluation_and_attaches_its_report(world: Any) -> None:
    iw.plan(world)
    response = post(
        world.a.specialist,
        learner_url(world, "evaluations"),
        {
            "kind": "speech_language",
            "evaluated_on": TODAY.isoformat(),
            "areas": ["communication"],
            "findings": "Expressive vocabulary below age.",
        },
    )
    assert response.status_code == 201, response.content
    evaluation_id = response.json()["id"]
    upload = as_user(world.a.specialist).post(
        f"/api/evaluations/{evaluation_id}/attachments",
        {"file": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")},
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["content_type"] == "image/png"
    download = as_user(world.a.teacher).get(f"/api/evaluation-attachments/{upload.json()['id']}")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert RecordRead.objects.filter(action="downloaded", actor=world.a.teacher).exists()
    refused(
        as_user(world.a.co_teacher).get(f"/api/evaluation-attachments/{upload.json()['id']}"),
        404,
        "individualization.attachment_not_found",
    )


def test_the_teacher_on_the_team_may_not_enter_an_evaluation(world: Any) -> None:
    iw.plan(world)
    body = {"kind": "academic", "evaluated_on": TODAY.isoformat(), "areas": ["reading"], "findings": "x"}
    refused(
        post(world.a.teacher, learner_url(world, "evaluations"), body),
        403,
        "individualization.not_an_evaluator",
    )
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("notes.txt", b"just some text", "individualization.attachment_wrong_type"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "individualization.attachment_wrong_type"),
        ("big.pdf", iw.PDF + b"0" * 200, "individualization.attachment_too_large"),
    ],
)
def test_an_attachment_of_the_wrong_type_or_too_large_is_refused(
    world: Any, settings: Any, name: str, data: bytes, code: str
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 100
    evaluation = iw.evaluation(world)
    response = as_user(world.a.specialist).post(
        f"/api/evaluations/{evaluation.pk}/attachments", {"file": SimpleUploadedFile(name, data)}
    )
    refused(response, 400, code)
    assert not EvaluationAttachment.objects.exists()
    folder = settings.PRIVATE_FILES_DIR / "evaluations"
    assert not folder.exists() or not any(folder.iterdir())


def test_an_attachment_without_a_file_is_refused(world: Any) -> None:
    evaluation = iw.evaluation(world)
    refused(
        as_user(world.a.specialist).post(f"/api/evaluations/{evaluation.pk}/attachments", {}),
        400,
        "individualization.attachment_missing",
    )


# --- meetings and plans ------------------------------------------------------------------------------


def test_the_team_records_a_meeting_and_the_guardian_may_not(world: Any) -> None:
    iw.plan(world)
    body = {"held_on": TODAY.isoformat(), "participants": "Specialist, teacher", "decisions": "Read-aloud."}
    response = post(world.a.teacher, learner_url(world, "meetings"), body)
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == world.a.teacher.name
    refused(
        post(world.a.guardian, learner_url(world, "meetings"), body), 403, "individualization.not_on_team"
    )
    assert TeamMeeting.objects.count() == 1


def test_a_plan_drafted_signed_by_the_team_and_consented_takes_effect(world: Any) -> None:
    response = post(world.a.specialist, learner_url(world, "plans"), plan_body(world))
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["status"] == "draft" and draft["version"] == 1
    assert draft["services"][0]["provider_id"] == world.a.para.pk
    assert draft["modifications"] == [
        {"description": "Shorter problem sets in mathematics", "competency_id": None}
    ]
    plan_id = draft["id"]
    post(world.a.specialist, f"/api/plans/{plan_id}/sign")
    # Activated before every required member signed: refused, nothing changed.
    refused(
        post(world.a.specialist, f"/api/plans/{plan_id}/activate"),
        400,
        "individualization.signatures_missing",
    )
    assert SupportPlan.objects.get(pk=plan_id).status == "draft"
    post(world.a.teacher, f"/api/plans/{plan_id}/sign")
    signed = post(world.a.guardian, f"/api/plans/{plan_id}/sign")
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "active"
    assert post(world.a.specialist, f"/api/plans/{plan_id}/activate").json()["status"] == "active"
    refused(post(world.a.admin, f"/api/plans/{plan_id}/sign"), 403, "individualization.not_a_signatory")
    refused(post(world.a.co_teacher, f"/api/plans/{plan_id}/sign"), 404, "individualization.plan_not_found")


def test_an_amendment_takes_effect_from_its_own_date(world: Any) -> None:
    first = iw.plan(world)
    tomorrow = TODAY + datetime.timedelta(days=1)
    body = plan_body(
        world,
        starts_on=first.starts_on.isoformat(),
        ends_on=first.ends_on.isoformat(),
        amends_id=first.pk,
        effective_from=tomorrow.isoformat(),
        change_summary="Breaks allowed.",
    )
    response = post(world.a.teacher, learner_url(world, "plans"), body)
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2 and response.json()["amends_id"] == first.pk
    backdated = dict(body, effective_from=(TODAY - datetime.timedelta(days=1)).isoformat())
    SupportPlan.objects.filter(version=2).delete()
    refused(
        post(world.a.teacher, learner_url(world, "plans"), backdated),
        400,
        "individualization.amendment_retroactive",
    )


def plans_count() -> int:
    return SupportPlan.objects.count()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            {
                "objectives": [
                    {"area": "reading", "description": "Reads better", "measured_how": "Running record"}
                ]
            },
            "individualization.objective_not_measurable",
        ),
        (
            {
                "objectives": [
                    {
                        "area": "reading",
                        "description": "Reads",
                        "baseline": 1,
                        "target": 2,
                        "measured_how": "Running record",
                    }
                ]
            },
            "individualization.objective_not_measurable",
        ),
        (
            {"accommodations": [{"kind": "extended_time", "factor": "3"}]},
            "individualization.accommodation_out_of_range",
        ),
        (
            {"accommodations": [{"kind": "fewer_options", "options": 5}]},
            "individualization.accommodation_out_of_range",
        ),
        ({"accommodations": [{"kind": "telepathy"}]}, "individualization.unknown_accommodation"),
        ({"members": [{"user_id": 10**9, "role": "teacher"}]}, "individualization.person_not_found"),
        ({"members": [{"user_id": 1, "role": "boss"}]}, "individualization.unknown_member_role"),
    ],
)
def test_a_plan_with_bad_content_is_refused_and_nothing_is_made(
    world: Any, change: dict[str, Any], code: str
) -> None:
    response = post(world.a.specialist, learner_url(world, "plans"), plan_body(world, **change))
    refused(response, 404 if code.endswith("not_found") else 400, code)
    assert plans_count() == 0


def test_overlapping_plan_periods_are_refused(world: Any) -> None:
    iw.plan(world)
    response = post(world.a.specialist, learner_url(world, "plans"), plan_body(world))
    refused(response, 400, "individualization.plans_overlap")
    assert plans_count() == 1


def test_a_plan_body_that_breaks_the_schema_is_a_422(world: Any) -> None:
    response = post(world.a.specialist, learner_url(world, "plans"), plan_body(world, members=[]))
    assert response.status_code == 422 and response.json()["detail"]
    assert plans_count() == 0


# --- support logs and progress -----------------------------------------------------------------------


def test_a_para_logs_a_session_and_the_objective_gets_a_data_point(world: Any) -> None:
    plan = iw.plan(world)
    objective = plan.objectives.get()
    response = post(
        world.a.para,
        learner_url(world, "support-logs"),
        {
            "held_on": TODAY.isoformat(),
            "minutes": 30,
            "what_was_done": "Read three problems aloud together.",
            "objective_id": objective.pk,
            "measured": 55,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["objective_id"] == objective.pk
    progress = as_user(world.a.guardian).get(f"/api/objectives/{objective.pk}/progress")
    assert progress.status_code == 200, progress.content
    [point] = progress.json()["points"]
    assert point["value"] == 55 and point["aim"] == pytest.approx(objective.aim_on(TODAY), abs=0.01)
    refused(
        as_user(world.a.para).get(f"/api/objectives/{objective.pk}/progress"),
        404,
        "individualization.objective_not_found",
    )


def test_a_para_logging_for_a_learner_not_assigned_to_them_is_refused(world: Any) -> None:
    url = f"/api/schools/{world.a.school.pk}/learners/{world.a.other_learner.pk}/support-logs"
    body = {"held_on": TODAY.isoformat(), "minutes": 30, "what_was_done": "Reading."}
    refused(post(world.a.para, url, body), 403, "individualization.not_assigned")
    assert not SupportLog.objects.exists()
    assert not ObjectiveDataPoint.objects.exists()


def test_a_log_with_bad_minutes_or_a_measure_without_objective_is_refused(world: Any) -> None:
    iw.plan(world)
    url = learner_url(world, "support-logs")
    base = {"held_on": TODAY.isoformat(), "minutes": 30, "what_was_done": "Reading."}
    refused(post(world.a.para, url, dict(base, minutes=0)), 400, "individualization.bad_minutes")
    refused(
        post(world.a.para, url, dict(base, measured=50)), 400, "individualization.measure_without_objective"
    )
    refused(
        post(world.a.para, url, dict(base, objective_id=10**9)), 404, "individualization.objective_not_found"
    )
    assert not SupportLog.objects.exists()


# --- the learner's own supports ----------------------------------------------------------------------


def test_the_learner_sees_their_supports_and_pauses_one_the_plan_allows(world: Any) -> None:
    iw.plan(world)
    me = as_user(world.a.learner)
    url = f"/api/me/accommodations?school_id={world.a.school.pk}"
    supports = {s["kind"]: s for s in me.get(url).json()}
    assert supports["read_aloud"]["learner_may_pause"] and not supports["read_aloud"]["paused"]
    assert not supports["extended_time"]["learner_may_pause"]
    paused = me.post(f"/api/me/accommodations/read_aloud/pause?school_id={world.a.school.pk}")
    assert paused.status_code == 200, paused.content
    assert {s["kind"]: s["paused"] for s in me.get(url).json()} == {
        "extended_time": False,
        "read_aloud": True,
    }
    refused(
        me.post(f"/api/me/accommodations/extended_time/pause?school_id={world.a.school.pk}"),
        403,
        "individualization.pause_not_allowed",
    )
    assert AccommodationPause.objects.count() == 1
    refused(as_user(world.a.teacher).get(url), 404, "individualization.school_not_found")
