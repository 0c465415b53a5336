"""Every write of practice: start a session, choose the next item, submit an answer. Keyword-only,
transactional, raising domain errors (:mod:`tessera.schools.errors`).

Submitting an answer is idempotent. The client sends an id with every answer (``client_id``) and the API
a fingerprint of the payload; ``(learner, client_id)`` is unique in the database. The answer row is
inserted in a savepoint: when a copy of the same request is already stored (a retry, or a twin that won a
race by a millisecond), the insert fails, the savepoint is rolled back and the original is read back, so
exactly one row is stored and both copies get the same result. The learner state is updated in the same
transaction as the stored answer, through the engine, reading and writing one learner row and one
learner-competency row (``LearnerState.restricted_to`` the answered competency).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tessera.curriculum import permissions as curriculum_permissions
from tessera.curriculum.answers import answer_check
from tessera.curriculum.models import Competency, Item, ItemCompetency
from tessera.engine.mastery import MasteryPolicy, competency_mastered
from tessera.engine.tracing import LearnerState, LogisticEvidenceModel
from tessera.practice import permissions
from tessera.practice.learner_model import model_for
from tessera.practice.models import Answer, LearnerCompetencyState, LearnerModelState, PracticeSession
from tessera.practice.selection import Candidate, item_choose
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tessera.schools.models import Membership, School, User

# Relative to what a streak of correct answers would reach on the competency: competencies differ in how
# often even a learner who knows them slips, so one absolute threshold would make some unreachable.
MASTERY_POLICY = MasteryPolicy(threshold=0.9, min_evidence=3, relative_to_ceiling=True)


@dataclass(frozen=True)
class AnswerResult:
    """What the learner is told after an answer (stored with it, so a retry gets the same)."""

    answer_id: int
    correct: bool
    feedback: str
    hints_available: int
    mastery_estimate: float
    mastered: bool
    explanation: str


@dataclass(frozen=True)
class NextItem:
    item: Item
    predicted_success: float


def answer_fingerprint(*, session_id: int, item_id: int, answer: object) -> str:
    """SHA-256 of the normalized request (session, item, answer): the same request, the same fingerprint."""
    payload = {"session_id": session_id, "item_id": item_id, "answer": answer}
    normalized = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(normalized.encode()).hexdigest()


def _learner_school(learner: User, competency: Competency) -> School:
    """The school the learner practises the competency in (its framework's, or theirs for a shared one)."""
    framework = competency.framework
    if not curriculum_permissions.can_view_framework(learner, framework):
        raise NotFound("There is no competency with this id.")
    memberships = Membership.objects.filter(user=learner, role=Membership.Role.LEARNER).order_by("pk")
    if framework.school_id is not None:
        memberships = memberships.filter(school_id=framework.school_id)
    membership = memberships.select_related("school").first()
    if membership is None:
        raise PermissionDenied("Only a learner of this school can practise its competencies.")
    return membership.school


@transaction.atomic
def session_start(
    *, learner: User, competency: Competency, how: str = PracticeSession.How.CHOSEN
) -> PracticeSession:
    """Start a practice session of ``learner`` on ``competency`` (of a framework their school can see)."""
    if how not in PracticeSession.How.values:
        raise DomainError(
            f"“{how}” is not a way to choose a session; use one of {', '.join(PracticeSession.How.values)}."
        )
    school = _learner_school(learner, competency)
    return PracticeSession.objects.create(school=school, learner=learner, competency=competency, how=how)


def _require_own(learner: User, session: PracticeSession) -> None:
    if not permissions.can_practise_in(learner, session):
        raise NotFound("There is no practice session with this id.")


def _current_state(
    model: LogisticEvidenceModel, session: PracticeSession, *, lock: bool
) -> tuple[LearnerState, LearnerModelState | None, LearnerCompetencyState | None]:
    """The learner's state restricted to the session's competency, and the two rows it came from.

    With ``lock``, the rows are created when missing and locked (``SELECT ... FOR UPDATE``) until the
    transaction ends, so two answers of one learner at the same moment update them one after the other.
    """
    key: dict[str, Any] = {"school_id": session.school_id, "learner_id": session.learner_id}
    learner_rows = LearnerModelState.objects.filter(**key, framework_id=session.competency.framework_id)
    competency_rows = LearnerCompetencyState.objects.filter(**key, competency_id=session.competency_id)
    learner_row: LearnerModelState | None
    competency_row: LearnerCompetencyState | None
    if lock:
        learner_row, _ = learner_rows.select_for_update().get_or_create(
            **key, framework_id=session.competency.framework_id
        )
        competency_row, _ = competency_rows.select_for_update().get_or_create(
            **key, competency_id=session.competency_id
        )
    else:
        learner_row, competency_row = learner_rows.first(), competency_rows.first()
    if learner_row is None or learner_row.model_name != model.name:
        return model.initial_state(), learner_row, competency_row  # no answers yet, or another model's
    code = session.competency.code
    entries = {code: tuple(competency_row.numbers)} if competency_row and competency_row.numbers else {}
    state = LearnerState(model.name, tuple(learner_row.numbers), entries, tuple(learner_row.recent))
    return state.restricted_to([code]), learner_row, competency_row


def item_next(*, learner: User, session: PracticeSession) -> NextItem:
    """An item of the session's competency in reach (predicted success in the target band), preferring
    items not answered in this session."""
    _require_own(learner, session)
    items = {item.pk: item for item in Item.objects.filter(competencies=session.competency_id)}
    if not items:
        raise NotFound("This competency has no items to practise yet.")
    model = model_for(session.competency.framework)
    state, _, _ = _current_state(model, session, lock=False)
    estimate = model.predict(state, session.competency.code)
    answered = set(session.answers.values_list("item_id", flat=True))
    candidates = [Candidate(item.pk, item.difficulty) for item in items.values()]
    chosen = item_choose(candidates, estimate, answered)
    assert chosen is not None
    candidate, chance = chosen
    return NextItem(item=items[candidate.item_id], predicted_success=chance)


def _answer_stored(learner: User, client_id: uuid.UUID) -> Answer | None:
    return Answer.objects.filter(learner=learner, client_id=client_id).first()


def _replayed(original: Answer, fingerprint: str) -> AnswerResult:
    if original.fingerprint != fingerprint:
        raise Conflict(
            "This answer id was already used for a different answer; send a new id for a new answer."
        )
    return AnswerResult(**original.result)


def answer_submit(
    *,
    learner: User,
    session: PracticeSession,
    item: Item,
    answer: object,
    client_id: uuid.UUID,
    fingerprint: str,
) -> AnswerResult:
    """Store one answer and update the learner state in the same transaction; idempotent per client id.

    Raises :class:`NotFound` for another learner's session, :class:`DomainError` (400) for an item not in
    the session's competency or a malformed answer, :class:`Conflict` (409) when ``client_id`` was used
    for a different payload. Nothing is changed when it raises.
    """
    _require_own(learner, session)
    original = _answer_stored(learner, client_id)
    if original is not None:
        return _replayed(original, fingerprint)
    if not ItemCompetency.objects.filter(item=item, competency_id=session.competency_id).exists():
        raise DomainError(f"Item {item.code} is not part of this session's competency.")
    try:
        correct = answer_check(item.spec(), answer)
    except ValueError as error:
        raise DomainError(f"The answer cannot be checked: {error}.") from error
    model = model_for(session.competency.framework)
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = Answer.objects.create(
                    school_id=session.school_id,
                    session=session,
                    item=item,
                    learner=learner,
                    client_id=client_id,
                    fingerprint=fingerprint,
                    given=answer,
                    correct=correct,
                )
        except IntegrityError:  # a copy of this request was stored a moment ago
            return _replayed(Answer.objects.get(learner=learner, client_id=client_id), fingerprint)
        result = _state_advance(model, session, item, stored, correct)
        stored.result = asdict(result)
        stored.save(update_fields=["result"])
    return result


def _state_advance(
    model: LogisticEvidenceModel, session: PracticeSession, item: Item, stored: Answer, correct: bool
) -> AnswerResult:
    """Update the learner state through the engine (O(1)) and record mastery by the engine's rule."""
    code = session.competency.code
    state, learner_row, competency_row = _current_state(model, session, lock=True)
    assert learner_row is not None and competency_row is not None
    state = model.update(state, code, int(correct))
    estimate = model.predict(state, code)
    mastered = competency_mastered(model, state, code, MASTERY_POLICY)
    learner_row.model_name = model.name
    learner_row.numbers, learner_row.recent = list(state.learner), list(state.recent)
    learner_row.save()
    competency_row.numbers = list(state.competencies[code])
    competency_row.attempts = model.attempts(state, code)
    competency_row.estimate = estimate
    if mastered and competency_row.mastered_at is None:
        competency_row.mastered_at = timezone.now()
    elif not mastered:
        competency_row.mastered_at = None
    competency_row.save()
    sentences = model.explain(state, code).sentences()
    return AnswerResult(
        answer_id=stored.pk,
        correct=correct,
        feedback=item.feedback,
        hints_available=len(item.hints),
        mastery_estimate=round(estimate, 4),
        mastered=mastered,
        explanation=sentences[0] if sentences else "",
    )
