"""API of practice: start a session, get the next item (without its answer), submit an answer, end it.

Answers carry a client-generated id, in the body (``client_id``) and/or the ``Idempotency-Key`` header
(when both are sent they must match). A retry with the same id returns the original result; the same id
with a different answer is a 409.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from functools import lru_cache
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from pydantic import AfterValidator, StrictFloat, StrictInt, StringConstraints
from pydantic import ValidationError as InputError

from tessera.api_input import input_problems, no_control_characters, request_user
from tessera.curriculum.answers import MAX_ANSWER_LENGTH
from tessera.curriculum.bank import framework_bank
from tessera.curriculum.models import Item
from tessera.curriculum.rich_text import text_html, text_speech
from tessera.practice import item_statistics, permissions, services
from tessera.practice.models import PracticeSession
from tessera.schools.errors import DomainError, NotFound, PermissionDenied, api_body
from tessera.schools.models import School

router = Router(tags=["practice"])

AnswerText = Annotated[
    str, StringConstraints(max_length=MAX_ANSWER_LENGTH), AfterValidator(no_control_characters)
]
# A multiple-selection answer: the numbers of the options selected (the check says which are out of range).
MAX_SELECTED = 100
Selection = Annotated[
    list[Annotated[int, Field(strict=True, ge=0, le=MAX_SELECTED)]], Field(max_length=MAX_SELECTED)
]
# The longest time on one item that is stored: longer means the learner left the page open, not thinking.
MAX_SECONDS = services.MAX_SECONDS_ON_ITEM
CHOICE_KINDS = (Item.Kind.MULTIPLE_CHOICE, Item.Kind.MULTIPLE_SELECTION)


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
    stem: str = Field(description="As the teacher wrote it: Markdown, maths between \\( and \\).")
    stem_html: str = Field(description="The stem as safe HTML (sanitized on the server), maths as MathML.")
    stem_speech: str = Field(description="The stem in words, for read-aloud (maths said: “3 over 4”).")
    choices: list[str] = Field(description="The options of a multiple-choice or multiple-selection item.")
    choices_html: list[str] = Field(description="Each option as safe inline HTML.")
    choices_speech: list[str] = Field(description="Each option in words, for read-aloud.")
    hints: list[str] = Field(
        description="Shown one at a time when the learner asks; say how many in hints_used."
    )
    hints_html: list[str] = Field(description="Each hint as safe inline HTML.")
    hints_available: int
    predicted_success: float
    competency_id: int
    competency_name: str
    reason: Literal["practice", "prerequisite", "review"]
    reason_text: str


class AnswerIn(Schema):
    item_id: int = Field(ge=1, le=2**62)
    answer: StrictInt | StrictFloat | AnswerText | Selection = Field(
        description="A number or text; the option's number for multiple choice; the list of the options' "
        "numbers for multiple selection."
    )
    client_id: uuid.UUID | None = None
    hints_used: int = Field(default=0, ge=0, le=100)
    seconds: int | None = Field(
        default=None,
        ge=0,
        le=MAX_SECONDS,
        description="Seconds from showing the item to sending the answer (time on item), when measured.",
    )


class CompetencyRef(Schema):
    id: int
    name: str


class AnswerResultOut(Schema):
    answer_id: int
    correct: bool
    feedback: str
    feedback_html: str = Field(description="The feedback as safe HTML, maths as MathML.")
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


class SessionTallyOut(Schema):
    answers: int = Field(description="Answers in the session so far, this one included.")
    correct: int
    ended: bool


class AnswerOut(AnswerResultOut):
    next_item: NextItemOut | None = Field(
        description="The session's next item after this answer (null when the session ended or has no "
        "item left): one request per question; GET .../next is for a fresh page."
    )
    session: SessionTallyOut


class SessionSummaryOut(Schema):
    id: int
    ended_at: str
    answers: int
    correct: int
    mastered: list[CompetencyRef]


def _session(request: HttpRequest, session_id: int) -> PracticeSession:
    session = permissions.session_for_practice(request_user(request), session_id)
    if session is None:
        raise NotFound(_("There is no practice session with this id."), code="practice.session_not_found")
    return session


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
    session = _session(request, session_id)
    chosen = services.item_next(
        learner=request_user(request), session=session, answers_so_far=permissions.session_tally(session)[0]
    )
    return _next_item_out(chosen)


@lru_cache(maxsize=4096)
def _speech(text: str) -> str:
    return text_speech(text)


def _next_item_out(chosen: services.NextItem) -> NextItemOut:
    """The item as the learner sees it: the teacher's text, its safe HTML and its words for read-aloud
    (rendering is CPU only and cached per text, so it adds no statement to the answer's budget)."""
    item = chosen.item
    choices = [str(choice) for choice in item.choices] if item.kind in CHOICE_KINDS else []
    hints = [str(hint) for hint in item.hints]
    return NextItemOut(
        id=item.pk,
        kind=item.kind,
        stem=item.stem,
        stem_html=text_html(item.stem),
        stem_speech=_speech(item.stem),
        choices=choices,
        choices_html=[text_html(choice, inline=True) for choice in choices],
        choices_speech=[_speech(choice) for choice in choices],
        hints=hints,
        hints_html=[text_html(hint, inline=True) for hint in hints],
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
    reply = services.answer_submit_and_next(
        learner=request_user(request),
        session=session,
        item=_item_of(session, payload.item_id),
        answer=payload.answer,
        client_id=client_id,
        fingerprint=_fingerprint(session, payload),
        hints_used=payload.hints_used,
        seconds=payload.seconds,
        tally_before=permissions.session_tally(session),
    )
    return AnswerOut(
        **_result_fields(reply.result),
        next_item=_next_item_out(reply.next_item) if reply.next_item else None,
        session=SessionTallyOut(
            answers=reply.session_answers, correct=reply.session_correct, ended=session.ended_at is not None
        ),
    )


def _result_fields(result: services.AnswerResult) -> dict[str, Any]:
    """The stored result's fields, with the feedback rendered (also for a replayed, older result)."""
    return {**asdict(result), "feedback_html": text_html(result.feedback)}


def _item_of(session: PracticeSession, item_id: int) -> Item:
    """The item, from the framework's in-memory bank. Items of other frameworks do not exist for this
    session (404, naming nothing); an item of the framework outside the session's competency is the
    service's 400."""
    item = framework_bank(session.competency.framework).items.get(item_id)
    if item is None:
        raise NotFound(
            _("There is no item with this id in this session's framework."), code="practice.item_not_found"
        )
    return item


def _fingerprint(session: PracticeSession, payload: AnswerIn) -> str:
    return services.answer_fingerprint(
        session_id=session.pk, item_id=payload.item_id, answer=payload.answer, hints_used=payload.hints_used
    )


BATCH_LIMIT = 50


class BatchAnswerIn(AnswerIn):
    session_id: int = Field(ge=1, le=2**62)
    client_id: uuid.UUID  # required here: the only id a batch entry has


class BatchIn(Schema):
    answers: list[Any] = Field(
        description=f"At most {BATCH_LIMIT} answers, applied in order, each like the single answer's body "
        "plus its session_id; client_id is required. Each is checked on its own: a bad one gets its own "
        "error and the others are still applied."
    )


class BatchResultOut(Schema):
    client_id: str | None
    status: int = Field(description="The HTTP status this answer alone would have got.")
    result: AnswerResultOut | None = None
    detail: str | None = Field(default=None, description="What is wrong with this answer, when it failed.")
    code: str | None = Field(default=None, description="The error's stable code, when it failed.")


class BatchOut(Schema):
    results: list[BatchResultOut]


class BatchTooLarge(DomainError):
    status = 413


@router.post(
    "/practice/answers/batch",
    response=BatchOut,
    summary="Submit answers given offline, several at once (each idempotent per client id)",
)
def answers_submit_batch(request: HttpRequest, payload: BatchIn) -> BatchOut:
    if not permissions.is_learner(request_user(request)):
        raise PermissionDenied(_("Only learners submit answers."), code="practice.not_a_learner")
    if len(payload.answers) > BATCH_LIMIT:
        raise BatchTooLarge(
            _("A batch holds at most %(limit)s answers; this one has %(count)s: send the rest in another.")
            % {"limit": BATCH_LIMIT, "count": len(payload.answers)},
            code="practice.batch_too_large",
        )
    user = request_user(request)
    ids = {entry.get("session_id") for entry in payload.answers if isinstance(entry, dict)}
    sessions = {
        found.pk: found
        for found in (permissions.session_for_practice(user, i) for i in ids if isinstance(i, int))
        if found is not None
    }
    used: set[str] = set()
    return BatchOut(results=[_batch_entry(request, entry, sessions, used) for entry in payload.answers])


def _batch_entry(
    request: HttpRequest, entry: Any, sessions: dict[int, PracticeSession], used: set[str]
) -> BatchResultOut:
    """One answer of a batch, in its own transaction: its result, or its own error."""
    raw_id = entry.get("client_id") if isinstance(entry, dict) else None
    client_id = str(raw_id) if raw_id is not None else None
    try:
        answer = BatchAnswerIn.model_validate(entry)
    except InputError as error:
        return BatchResultOut(
            client_id=client_id,
            status=422,
            code="practice.answer_invalid",
            detail=input_problems(error.errors()),
        )
    client_id = str(answer.client_id)
    if client_id in used:
        return BatchResultOut(
            client_id=client_id,
            status=409,
            code="practice.client_id_repeated",
            detail=_("This client_id comes twice in the batch; each answer needs its own id."),
        )
    used.add(client_id)
    try:
        session = sessions.get(answer.session_id)
        if session is None:
            raise NotFound(_("There is no practice session with this id."), code="practice.session_not_found")
        result = services.answer_submit(
            learner=request_user(request),
            session=session,
            item=_item_of(session, answer.item_id),
            answer=answer.answer,
            client_id=answer.client_id,
            fingerprint=_fingerprint(session, answer),
            hints_used=answer.hints_used,
            seconds=answer.seconds,
        )
    except DomainError as error:
        return BatchResultOut(client_id=client_id, status=error.status, **api_body(error))
    return BatchResultOut(client_id=client_id, status=200, result=AnswerResultOut(**_result_fields(result)))


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


class FlagOut(Schema):
    code: Literal["everyone_wrong", "negative_discrimination"]
    text: str


class FiguresOut(Schema):
    answers: int
    right: int
    learners: int
    share_right: float | None = Field(description="Right answers / answers (null without answers).")
    mean_seconds: float | None = Field(description="Mean time on the item, of the answers that measured it.")
    stronger_share_right: float | None = Field(
        description="Mean share right of the learners in the top half by their share right on the rest of "
        "the framework (null with fewer than 10 such learners)."
    )
    weaker_share_right: float | None = Field(description="The same, of the bottom half.")
    flags: list[FlagOut] = Field(description="Plain-language signs that the item looks broken.")


class VersionStatisticsOut(Schema):
    item_id: int
    version: int
    stem: str
    stem_html: str
    current: bool = Field(description="The version practice offers now (not superseded).")
    figures: FiguresOut


class ItemStatisticsOut(Schema):
    item_id: int = Field(description="The newest version's id.")
    first_version_id: int
    code: str
    overall: FiguresOut = Field(description="Every version's answers together.")
    versions: list[VersionStatisticsOut] = Field(description="Oldest first.")


def _figures_out(figures: item_statistics.Figures) -> FiguresOut:
    return FiguresOut(
        answers=figures.answers,
        right=figures.right,
        learners=figures.learners,
        share_right=None if figures.share_right is None else round(figures.share_right, 4),
        mean_seconds=figures.mean_seconds,
        stronger_share_right=figures.stronger_share_right,
        weaker_share_right=figures.weaker_share_right,
        flags=[FlagOut(code=flag.code, text=flag.text) for flag in figures.flags],  # type: ignore[arg-type]
    )


@router.get(
    "/items/{item_id}/statistics",
    response=ItemStatisticsOut,
    summary="An item's statistics: answers, share right, mean time and flags, per version",
)
def item_statistics_read(
    request: HttpRequest, item_id: int, school_id: int | None = None
) -> ItemStatisticsOut:
    """Staff who may see the item's answers read the answers of their own schools (``school_id``: one of
    them); any version's id names the whole lineage. Everyone else: 404."""
    user = request_user(request)
    school_ids = item_statistics.statistics_school_ids(user, school_id)
    item = item_statistics.items_with_statistics_for(user).filter(pk=item_id).first()
    if item is None or school_ids is None:
        raise NotFound(_("There is no item with this id."), code="practice.item_not_found")
    found = item_statistics.item_statistics(item, school_ids=school_ids)
    return ItemStatisticsOut(
        item_id=found.item.pk,
        first_version_id=found.first_version_id,
        code=found.item.code,
        overall=_figures_out(found.overall),
        versions=[
            VersionStatisticsOut(
                item_id=row.item.pk,
                version=row.item.version,
                stem=row.item.stem,
                stem_html=text_html(row.item.stem),
                current=row.item.superseded_at is None,
                figures=_figures_out(row.figures),
            )
            for row in found.versions
        ],
    )
