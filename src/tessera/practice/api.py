"""API of practice: start a session, get the next item (without its answer), submit an answer, end it.

Answers carry a client-generated id, in the body (``client_id``) and/or the ``Idempotency-Key`` header
(when both are sent they must match). A retry with the same id returns the original result; the same id
with a different answer is a 409.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from pydantic import AfterValidator, StrictFloat, StrictInt, StringConstraints

from tessera.api_input import no_control_characters, request_user
from tessera.curriculum.answers import MAX_ANSWER_LENGTH
from tessera.curriculum.models import Item
from tessera.practice import permissions, services
from tessera.practice.models import PracticeSession
from tessera.schools.errors import DomainError, NotFound
from tessera.schools.models import School

router = Router(tags=["practice"])

AnswerText = Annotated[
    str, StringConstraints(max_length=MAX_ANSWER_LENGTH), AfterValidator(no_control_characters)
]


class SessionIn(Schema):
    competency_id: int = Field(ge=1, le=2**62)
    how: Literal["chosen", "suggested"] = Field(
        default="chosen",
        description="Chosen by the learner, or suggested by Tessera (assignments come later).",
    )
    school_id: int | None = Field(
        default=None,
        ge=1,
        le=2**62,
        description="Where to practise, for a learner of a shared framework in two schools.",
    )


class SessionOut(Schema):
    id: int
    competency_id: int
    competency_name: str
    how: str
    started_at: str


class NextItemOut(Schema):
    id: int
    kind: str
    stem: str
    choices: list[str]
    hints: list[str] = Field(
        description="Shown one at a time when the learner asks; say how many in hints_used."
    )
    hints_available: int
    predicted_success: float
    competency_id: int
    competency_name: str
    reason: Literal["practice", "prerequisite", "review"]
    reason_text: str


class AnswerIn(Schema):
    item_id: int = Field(ge=1, le=2**62)
    answer: StrictInt | StrictFloat | AnswerText
    client_id: uuid.UUID | None = None
    hints_used: int = Field(default=0, ge=0, le=100)


class CompetencyRef(Schema):
    id: int
    name: str


class AnswerOut(Schema):
    answer_id: int
    correct: bool
    feedback: str
    hints_available: int
    mastery_level: float = Field(
        description="The mastery figure after this answer (0-1), the same every page shows; mastered from "
        "0.9 on. A correct answer never lowers it and a wrong one never raises it."
    )
    mastery_before: float = Field(description="The figure before this answer (what the pages showed).")
    mastery_percent: int | None = Field(
        description="The figure after this answer as every page shows it: a whole percentage, rounded down."
    )
    mastered: bool = Field(description="The competency counts as mastered after this answer.")
    newly_mastered: bool = Field(
        description="This answer made it mastered (celebrate this one, not every later answer)."
    )
    explanation: str
    competency_id: int
    competency_name: str
    review: bool = Field(description="The answer was a spaced review of a mastered competency.")
    next_review_at: str | None
    unlocked: list[CompetencyRef] = Field(description="Competencies this answer's mastery unlocked.")


class SessionSummaryOut(Schema):
    id: int
    ended_at: str
    answers: int
    correct: int
    mastered: list[CompetencyRef]


def _session(request: HttpRequest, session_id: int) -> PracticeSession:
    return get_object_or_404(
        permissions.sessions_of(request_user(request)).select_related("competency__framework"), pk=session_id
    )


def _session_out(session: PracticeSession) -> SessionOut:
    return SessionOut(
        id=session.pk,
        competency_id=session.competency_id,
        competency_name=session.competency.name,
        how=session.how,
        started_at=session.started_at.isoformat(),
    )


@router.post("/practice/sessions", response={201: SessionOut}, summary="Start practising a competency")
def session_start(request: HttpRequest, payload: SessionIn) -> Status[SessionOut]:
    user = request_user(request)
    competency = permissions.competencies_visible_to(user).filter(pk=payload.competency_id).first()
    if competency is None:
        raise NotFound(_("There is no competency with this id."), code="practice.competency_not_found")
    school = None
    if payload.school_id is not None:
        school = School.objects.filter(pk=payload.school_id).first()
        if school is None:
            raise NotFound(_("There is no school with this id."), code="practice.school_not_found")
    session = services.session_start(learner=user, competency=competency, how=payload.how, school=school)
    return Status(201, _session_out(session))


@router.get(
    "/practice/sessions/{session_id}/next", response=NextItemOut, summary="The next item (without its answer)"
)
def item_next(request: HttpRequest, session_id: int) -> NextItemOut:
    chosen = services.item_next(learner=request_user(request), session=_session(request, session_id))
    item = chosen.item
    return NextItemOut(
        id=item.pk,
        kind=item.kind,
        stem=item.stem,
        choices=[str(choice) for choice in item.choices] if item.kind == Item.Kind.MULTIPLE_CHOICE else [],
        hints=[str(hint) for hint in item.hints],
        hints_available=len(item.hints),
        predicted_success=round(chosen.predicted_success, 4),
        competency_id=chosen.competency.pk,
        competency_name=chosen.competency.name,
        reason=chosen.reason,
        reason_text=chosen.reason_text,
    )


def _client_id(body_id: uuid.UUID | None, header: str | None) -> uuid.UUID:
    header_id = None
    if header is not None:
        try:
            header_id = uuid.UUID(header.strip())
        except ValueError:
            raise DomainError(
                _("The Idempotency-Key header must be a UUID."), code="practice.invalid_idempotency_key"
            ) from None
    if body_id is not None and header_id is not None and body_id != header_id:
        raise DomainError(
            _("client_id and the Idempotency-Key header differ; send the same id in both."),
            code="practice.client_id_mismatch",
        )
    client_id = body_id or header_id
    if client_id is None:
        raise DomainError(
            _("Send an id for this answer: client_id in the body or an Idempotency-Key header."),
            code="practice.client_id_missing",
        )
    return client_id


@router.post(
    "/practice/sessions/{session_id}/answers",
    response=AnswerOut,
    summary="Submit an answer (idempotent per client id)",
)
def answer_submit(
    request: HttpRequest,
    session_id: int,
    payload: AnswerIn,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)] = None,
) -> AnswerOut:
    session = _session(request, session_id)
    client_id = _client_id(payload.client_id, idempotency_key)
    # Items of other frameworks do not exist for this session (404, naming nothing); an item of the framework
    # outside the session's competency is the service's 400.
    item = get_object_or_404(
        Item.objects.filter(framework_id=session.competency.framework_id), pk=payload.item_id
    )
    result = services.answer_submit(
        learner=request_user(request),
        session=session,
        item=item,
        answer=payload.answer,
        client_id=client_id,
        fingerprint=services.answer_fingerprint(
            session_id=session.pk, item_id=item.pk, answer=payload.answer, hints_used=payload.hints_used
        ),
        hints_used=payload.hints_used,
    )
    return AnswerOut(**asdict(result))


@router.post(
    "/practice/sessions/{session_id}/end",
    response=SessionSummaryOut,
    summary="End a session (again: the same summary) and sum it up",
)
def session_end(request: HttpRequest, session_id: int) -> SessionSummaryOut:
    summary = services.session_end(learner=request_user(request), session=_session(request, session_id))
    assert summary.session.ended_at is not None
    return SessionSummaryOut(
        id=summary.session.pk,
        ended_at=summary.session.ended_at.isoformat(),
        answers=summary.answers,
        correct=summary.correct,
        mastered=[CompetencyRef(id=c.pk, name=c.name) for c in summary.mastered],
    )
