"""Permission cases for individualization's pages: a learner's plan and records are read by the plan team
(the specialist assigned to the learner, the teacher on the plan), the guardian and the school's
administrator; a teacher of the learner outside the team (the co-teacher) gets 404 for the plan, like
everyone else, and reads the accommodations to apply on a page of their own (that it shows nothing else is
asserted in tests/individualization/test_pages.py), which the plan's readers open too. Writes refuse with the
reason (403) those who may know the learner but not do this."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.individualization import services
from tests.individualization.world import TODAY, amendment, plan
from tests.permission_matrix.case import Case, roles

READERS = roles("specialist", "teacher", "guardian", "admin")
# school A's staff who know the learner, and the guardian: refused with the reason
STAFF_A = ("admin", "teacher", "co_teacher", "other_teacher", "specialist", "para", "mentor")
STAFF_A_FORMER = ("former_specialist", "former_teacher")
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def once(w: Any, name: str, make: Any) -> Any:
    """The case's object, made once per world (the matrix asks for the URL once per role)."""
    if not hasattr(w.a, name):
        setattr(w.a, name, make(w))
    return getattr(w.a, name)


def learner_url(w: Any, rest: str) -> str:
    """A page of the learner, who has a signed plan (so the teacher is on its team)."""
    plan(w)
    return f"/schools/{w.a.school.pk}/learners/{w.a.learner.pk}/{rest}"


def plan_url(w: Any) -> str:
    return learner_url(w, "plan/")


def accommodations_url(w: Any) -> str:
    return learner_url(w, "accommodations/")


def attachment_url(w: Any) -> str:
    return learner_url(w, f"attachments/{once(w, 'ind_attachment', _attachment).pk}/")


def _attachment(w: Any) -> Any:
    plan(w)
    evaluation = services.evaluation_record(
        actor=w.a.specialist,
        school=w.a.school,
        learner=w.a.learner,
        kind="academic",
        evaluated_on=TODAY,
        areas=["reading"],
        findings="Decoding is slow.",
    )
    return services.attachment_add(
        actor=w.a.specialist,
        evaluation=evaluation,
        upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )


def sign_url(w: Any) -> str:
    """An amendment waiting for the signatures of the specialist, the teacher and the guardian."""
    return f"/schools/{w.a.school.pk}/learners/{w.a.learner.pk}/plans/{amendment(w).pk}/sign/"


def others(*allowed_and_forbidden: str) -> frozenset[str]:
    return roles(*[r for r in (*STAFF_A, *STAFF_A_FORMER, "guardian") if r not in allowed_and_forbidden])


def page(route: str, url: Any, allowed: frozenset[str], **kw: Any) -> Case:
    return Case(route, "GET", url, allowed, is_api=False, **kw)


def post(route: str, url: Any, allowed: frozenset[str], payload: Any, **kw: Any) -> Case:
    kw.setdefault("ok", 302)
    return Case(route, "POST", url, allowed, payload=payload, is_api=False, **kw)


EVALUATORS = roles("specialist", "admin")
WRITERS = roles("specialist", "teacher", "admin")
SIGNATORIES = roles("specialist", "teacher", "guardian")
LOGGERS = roles("specialist", "para", "teacher", "co_teacher")

CASES = [
    page("learner-plan", plan_url, READERS),
    # every teacher of the learner (the teacher is on the team, the co-teacher is not) and the plan's readers
    page("learner-accommodations", accommodations_url, READERS | roles("co_teacher", "para")),
    page("evaluation-attachment", attachment_url, READERS),
    page(
        "evaluation-new",
        lambda w: learner_url(w, "evaluations/"),
        EVALUATORS,
        forbidden=others("specialist", "admin"),
    ),
    post(
        "evaluation-new",
        lambda w: learner_url(w, "evaluations/"),
        EVALUATORS,
        lambda w: {
            "kind": "academic",
            "evaluated_on": TODAY.isoformat(),
            "areas": ["reading"],
            "findings": "Decoding is slow.",
        },
        forbidden=others("specialist", "admin"),
    ),
    page("meeting-new", lambda w: learner_url(w, "meetings/"), WRITERS, forbidden=others(*WRITERS)),
    post(
        "meeting-new",
        lambda w: learner_url(w, "meetings/"),
        WRITERS,
        lambda w: {"held_on": TODAY.isoformat(), "participants": "The team", "decisions": "Read aloud."},
        forbidden=others(*WRITERS),
    ),
    page("plan-new", lambda w: learner_url(w, "plans/new/"), WRITERS, forbidden=others(*WRITERS)),
    post(
        "plan-new",
        lambda w: learner_url(w, "plans/new/"),
        WRITERS,
        lambda w: {
            "kind": "iep",
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=100)).isoformat(),
            "amend": "on",
            "change_summary": "A calculator instead of extended time.",
            "present_levels": "Reads below grade level.",
            "members": [w.a.specialist.pk, w.a.guardian.pk],
            "accommodations": ["calculator"],
        },
        forbidden=others(*WRITERS),
    ),
    # the plan to sign is a draft; the administrator reads it but is not on its team
    page("plan-sign", sign_url, SIGNATORIES, forbidden=roles("admin")),
    post("plan-sign", sign_url, SIGNATORIES, lambda w: {"confirm": "on"}, forbidden=roles("admin")),
    page("support-log-new", lambda w: learner_url(w, "support-logs/"), LOGGERS, forbidden=others(*LOGGERS)),
    post(
        "support-log-new",
        lambda w: learner_url(w, "support-logs/"),
        LOGGERS,
        lambda w: {"held_on": TODAY.isoformat(), "minutes": 30, "what_was_done": "Paired reading."},
        forbidden=others(*LOGGERS),
    ),
    page("records-audit", lambda w: f"/schools/{w.a.school.pk}/records-audit/", roles("admin")),
    page("records-audit", lambda w: f"/schools/{w.a.school.pk}/records-audit/?format=csv", roles("admin")),
]
