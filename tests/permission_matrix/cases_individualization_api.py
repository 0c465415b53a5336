"""Permission cases for the individualization API. A learner's records are read by their plan team (the
specialist assigned to them, the teacher on the plan), their guardian and the school's administrator; a
teacher of the learner who is not on the team (the co-teacher) gets 404 for them and reads only the
accommodations to apply (which the records' readers read too). Writers are
the team and the administrator (evaluations: the specialist and the administrator); a reader who may not
write gets 403, everyone else 404, so nobody learns that a plan exists. Support sessions are logged by the
staff assigned to the learner and their teachers; other staff of the school are refused (403). The
learner's own supports answer learners of the school about themselves; the audit answers the
administrator, and the guardian about their child."""

from __future__ import annotations

import datetime
from typing import Any

from tests.individualization import world as iw
from tests.permission_matrix.case import Case, roles

READERS = roles("admin", "teacher", "specialist", "guardian")
WRITERS = roles("admin", "teacher", "specialist")
GUARDIAN = roles("guardian")
SCHOOL_A_STAFF_NOT_ASSIGNED = roles("admin", "other_teacher", "mentor", "former_specialist", "former_teacher")


def learner(w: Any) -> str:
    return f"/api/schools/{w.a.school.pk}/learners/{w.a.learner.pk}"


def api(method: str, path: str, url: Any, allowed: frozenset[str], payload: Any = None, **kw: Any) -> Case:
    return Case(f"{method} /api{path}", method, url, allowed, payload=payload, **kw)


LEARNER_PATH = "/schools/{school_id}/learners/{learner_id}"


def amendment_payload(w: Any) -> dict[str, Any]:
    first = iw.plan(w)
    return {
        "kind": "iep",
        "starts_on": first.starts_on.isoformat(),
        "ends_on": first.ends_on.isoformat(),
        "present_levels": "Reads one year below grade level.",
        "members": [
            {"user_id": w.a.specialist.pk, "role": "specialist"},
            {"user_id": w.a.teacher.pk, "role": "teacher"},
            {"user_id": w.a.guardian.pk, "role": "guardian"},
        ],
        "accommodations": [{"kind": "extended_time", "factor": "1.25"}, {"kind": "breaks"}],
        "amends_id": first.pk,
        "effective_from": (iw.TODAY + datetime.timedelta(days=1)).isoformat(),
        "change_summary": "Less extended time; breaks allowed.",
    }


def with_plan(url: Any) -> Any:
    """The URL, once the learner's signed plan exists."""

    def made(w: Any) -> str:
        iw.plan(w)
        return str(url(w))

    return made


# Every case runs on the world with the learner's signed plan: its team (the teacher) exists from it.
CASES = [
    api(
        "GET",
        f"{LEARNER_PATH}/plan",
        with_plan(lambda w: f"{learner(w)}/plan"),
        READERS,
    ),
    api(
        "GET",
        f"{LEARNER_PATH}/accommodations",
        with_plan(lambda w: f"{learner(w)}/accommodations"),
        READERS | roles("co_teacher", "para"),
    ),
    api(
        "POST",
        f"{LEARNER_PATH}/evaluations",
        with_plan(lambda w: f"{learner(w)}/evaluations"),
        roles("admin", "specialist"),
        lambda w: {
            "kind": "academic",
            "evaluated_on": iw.TODAY.isoformat(),
            "areas": ["mathematics"],
            "findings": "Counts on fingers beyond ten.",
        },
        ok=201,
        forbidden=roles("teacher", "guardian"),
    ),
    # The matrix sends JSON, not multipart: the writers get past authorization to "attach the file" (400);
    # uploads are tested in tests/individualization/test_api.py.
    api(
        "POST",
        "/evaluations/{evaluation_id}/attachments",
        with_plan(lambda w: f"/api/evaluations/{iw.evaluation(w).pk}/attachments"),
        WRITERS,
        ok=400,
        forbidden=GUARDIAN,
    ),
    api(
        "GET",
        "/evaluation-attachments/{attachment_id}",
        with_plan(lambda w: f"/api/evaluation-attachments/{iw.attachment(w).pk}"),
        READERS,
    ),
    api(
        "POST",
        f"{LEARNER_PATH}/meetings",
        with_plan(lambda w: f"{learner(w)}/meetings"),
        WRITERS,
        lambda w: {
            "held_on": iw.TODAY.isoformat(),
            "participants": "Specialist, teacher, guardian",
            "decisions": "Try read-aloud for six weeks.",
        },
        ok=201,
        forbidden=GUARDIAN,
    ),
    api(
        "POST",
        f"{LEARNER_PATH}/plans",
        with_plan(lambda w: f"{learner(w)}/plans"),
        WRITERS,
        amendment_payload,
        ok=201,
        forbidden=GUARDIAN,
    ),
    api(
        "POST",
        "/plans/{plan_id}/sign",
        lambda w: f"/api/plans/{iw.amendment(w).pk}/sign",
        roles("specialist", "teacher", "guardian"),
        forbidden=roles("admin"),
    ),
    api(
        "POST",
        "/plans/{plan_id}/activate",
        lambda w: f"/api/plans/{iw.plan(w).pk}/activate",
        WRITERS,
        forbidden=GUARDIAN,
    ),
    api(
        "POST",
        f"{LEARNER_PATH}/support-logs",
        with_plan(lambda w: f"{learner(w)}/support-logs"),
        roles("teacher", "co_teacher", "specialist", "para"),
        lambda w: {"held_on": iw.TODAY.isoformat(), "minutes": 20, "what_was_done": "Paired reading."},
        ok=201,
        forbidden=SCHOOL_A_STAFF_NOT_ASSIGNED | GUARDIAN,
    ),
    api(
        "GET",
        "/objectives/{objective_id}/progress",
        lambda w: f"/api/objectives/{iw.plan(w).objectives.get().pk}/progress",
        READERS,
    ),
    api(
        "GET",
        "/me/accommodations",
        with_plan(lambda w: f"/api/me/accommodations?school_id={w.a.school.pk}"),
        roles("learner", "other_learner"),
    ),
    api(
        "POST",
        "/me/accommodations/{kind}/pause",
        with_plan(lambda w: f"/api/me/accommodations/read_aloud/pause?school_id={w.a.school.pk}"),
        roles("learner"),
        forbidden=roles("other_learner"),
    ),
    api(
        "GET",
        "/schools/{school_id}/records-audit",
        with_plan(lambda w: f"/api/schools/{w.a.school.pk}/records-audit?learner_id={w.a.learner.pk}"),
        roles("admin", "guardian"),
    ),
    api(
        "GET",
        "/schools/{school_id}/records-audit",
        lambda w: f"/api/schools/{w.a.school.pk}/records-audit",
        roles("admin"),
    ),
]
