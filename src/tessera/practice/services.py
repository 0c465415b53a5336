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
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tessera.curriculum import permissions as curriculum_permissions
from tessera.curriculum.answers import answer_check
from tessera.curriculum.bank import FrameworkBank, framework_bank
from tessera.curriculum.models import Competency, Item
from tessera.engine.mastery import MasteryRecord, MasteryStep, MasteryTracker, mastery_step, shown_percent
from tessera.engine.tracing import LearnerState, LogisticEvidenceModel
from tessera.events.log import Fact, event_record
from tessera.practice import accommodations, permissions, progress
from tessera.practice.events import CompetencyMastered, MasteryLost, PracticeSessionEnded
from tessera.practice.learner_model import MASTERY_POLICY, model_for, tracker_for
from tessera.practice.models import Answer, LearnerCompetencyState, LearnerModelState, PracticeSession
from tessera.practice.review import review_schedule
from tessera.practice.selection import TARGET_BAND, Candidate, item_choose
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tessera.schools.models import Membership, School, User


@dataclass(frozen=True)
class AnswerResult:
    """What the learner is told after an answer (stored with it, so a retry gets the same)."""

    answer_id: int
    correct: bool
    feedback: str
    hints_available: int
    mastery_level: float
    mastered: bool
    explanation: str
    competency_id: int = 0
    competency_name: str = ""
    review: bool = False
    next_review_at: str | None = None
    unlocked: tuple[dict[str, Any], ...] = ()
    mastery_before: float = 0.0
    newly_mastered: bool = False
    mastery_percent: int | None = None


_RESULT_FIELDS = frozenset(field.name for field in fields(AnswerResult))

# Why an item was chosen (the API sends the key and a sentence in the learner's words).
Reason = Literal["practice", "prerequisite", "review"]
PRACTICE: Reason = "practice"
PREREQUISITE: Reason = "prerequisite"
REVIEW: Reason = "review"
# The longest time on one item that is stored (an hour): longer means the page was left open.
MAX_SECONDS_ON_ITEM = 3600
# One item in this many is a due review of another competency, when one is due.
REVIEW_EVERY = 3


@dataclass(frozen=True)
class NextItem:
    item: Item
    predicted_success: float
    competency: Competency
    reason: Reason = PRACTICE
    reason_text: str = ""


def answer_fingerprint(*, session_id: int, item_id: int, answer: object, hints_used: int = 0) -> str:
    """SHA-256 of the normalized request (session, item, answer, hints used): the same request, the same
    fingerprint. A multiple-selection answer (a list of option numbers) is a set: the same options in
    another order are the same answer. The time on the item is a measurement, not part of the answer: a
    retry that measured it again is still the same answer."""
    if isinstance(answer, list | tuple):
        answer = sorted(set(answer)) if all(isinstance(n, int) for n in answer) else list(answer)
    payload: dict[str, object] = {"session_id": session_id, "item_id": item_id, "answer": answer}
    if hints_used:  # absent when zero, so fingerprints stored before hints were counted still match
        payload["hints_used"] = hints_used
    normalized = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(normalized.encode()).hexdigest()


def _learner_school(learner: User, competency: Competency, school: School | None) -> School:
    """The school the learner practises the competency in: ``school`` when given (a learner of a shared
    framework in two schools says which), else its framework's, else their first as a learner."""
    framework = competency.framework
    if not curriculum_permissions.can_view_framework(learner, framework):
        raise NotFound(_("There is no competency with this id."), code="practice.competency_not_found")
    if school is not None and framework.school_id not in (None, school.pk):
        raise NotFound(_("There is no competency with this id."), code="practice.competency_not_found")
    memberships = Membership.objects.filter(user=learner, role=Membership.Role.LEARNER).order_by("pk")
    if framework.school_id is not None:
        memberships = memberships.filter(school_id=framework.school_id)
    if school is not None:
        memberships = memberships.filter(school=school)
    membership = memberships.select_related("school").first()
    if membership is None:
        raise PermissionDenied(
            _("Only a learner of this school can practise its competencies."), code="practice.not_a_learner"
        )
    return membership.school


@transaction.atomic
def session_start(
    *,
    learner: User,
    competency: Competency,
    how: str = PracticeSession.How.CHOSEN,
    school: School | None = None,
    now: datetime | None = None,
) -> PracticeSession:
    """Start a practice session of ``learner`` on ``competency`` (of a framework their school can see).
    ``now`` is for generated history (the demo school); requests use the clock."""
    if how not in PracticeSession.How.values:
        raise DomainError(
            _("“%(how)s” is not a way to choose a session; use one of %(choices)s.")
            % {"how": how, "choices": ", ".join(PracticeSession.How.values)},
            code="practice.unknown_session_mode",
        )
    practised_in = _learner_school(learner, competency, school)
    day = timezone.localdate(now) if now is not None else timezone.localdate()
    session = PracticeSession.objects.create(
        school=practised_in,
        learner=learner,
        competency=competency,
        how=how,
        accommodations=accommodations.applied_for(practised_in.pk, learner.pk, day),
    )
    if now is not None:
        session.started_at = now
        session.save(update_fields=["started_at"])
    return session


def _require_own(learner: User, session: PracticeSession) -> None:
    if not permissions.can_practise_in(learner, session):
        raise NotFound(_("There is no practice session with this id."), code="practice.session_not_found")


@dataclass
class LearnerRecord:
    """The learner's stored state in the session's framework and school: their row and their row per
    competency they answered on, read together in one query (:func:`_record_read`)."""

    learner_row: LearnerModelState | None
    rows: dict[int, LearnerCompetencyState]  # by competency id

    def last_seen(self) -> dict[int, int]:
        """Items answered, with the learner's answer number when each was last answered."""
        seen: dict[int, int] = {}
        for row in self.rows.values():
            for item_id, number in row.seen.items():
                seen[int(item_id)] = max(number, seen.get(int(item_id), 0))
        return seen

    def next_answer_number(self) -> int:
        return 1 + max((number for row in self.rows.values() for number in row.seen.values()), default=0)

    def mastered(self, competency_id: int) -> bool:
        row = self.rows.get(competency_id)
        return row is not None and row.mastered_at is not None

    def review_due(self, competency_id: int, now: datetime) -> bool:
        row = self.rows.get(competency_id)
        return row is not None and _is_review(row, now)


# The learner's rows in one framework, each with its learner row's columns (the learner row's fields as
# ``learner_*``): read on every next item and, locked, on every answer. Written as SQL because the ORM's
# compiling of the join (select_related, FOR UPDATE OF both tables) cost a millisecond of CPU, the largest
# single part of an answer after the session's query (see practice.permissions).
_RECORD = """
SELECT r.*, l.model_name AS learner_model_name, l.numbers AS learner_numbers, l.recent AS learner_recent
FROM practice_learnercompetencystate r
JOIN practice_learnermodelstate l ON l.id = r.learner_state_id
WHERE r.school_id = %s AND r.learner_id = %s AND l.framework_id = %s
"""


def _record_read(session: PracticeSession, *, lock: bool = False) -> LearnerRecord:
    """One query for the learner's rows in the session's framework; with ``lock``, ``SELECT ... FOR
    UPDATE`` of them and of the learner's row, so two answers of one learner update them one after the
    other (a learner without rows yet gets their learner row created and locked)."""
    key = {
        "school_id": session.school_id,
        "learner_id": session.learner_id,
        "framework_id": session.competency.framework_id,
    }
    sql = _RECORD + (" FOR UPDATE" if lock and connection.features.has_select_for_update else "")
    found = {row.competency_id: row for row in LearnerCompetencyState.objects.raw(sql, list(key.values()))}
    learner_row = None
    if found:
        first: Any = next(iter(found.values()))  # with the learner row's columns
        learner_row = LearnerModelState(
            id=first.learner_state_id,
            model_name=first.learner_model_name,
            numbers=_json(first.learner_numbers),
            recent=_json(first.learner_recent),
            **key,
        )
        learner_row._state.adding, learner_row._state.db = False, first._state.db
        for row in found.values():
            row.learner_state = learner_row
    elif lock:
        learner_row, _ = LearnerModelState.objects.select_for_update().get_or_create(
            school_id=session.school_id,
            learner_id=session.learner_id,
            framework_id=session.competency.framework_id,
        )
    return LearnerRecord(learner_row, found)


def _json(value: object) -> Any:
    """A JSON column read outside the ORM's conversion: text from SQLite and from Django's PostgreSQL
    connections alike (kept as a fallback for a driver that decodes it)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _competency_row(
    record: LearnerRecord, session: PracticeSession, competency: Competency
) -> LearnerCompetencyState:
    """The learner's row for ``competency``, created (unsaved) on their first answer on it."""
    row = record.rows.get(competency.pk)
    if row is None:
        row = LearnerCompetencyState(
            school_id=session.school_id,
            learner_id=session.learner_id,
            competency=competency,
            learner_state=record.learner_row,
        )
        record.rows[competency.pk] = row
    return row


def _state_from(
    model: LogisticEvidenceModel,
    learner_row: LearnerModelState | None,
    rows: dict[int, LearnerCompetencyState],
    competencies: list[Competency],
) -> LearnerState:
    """The engine's state restricted to ``competencies``, from the stored rows."""
    if learner_row is None or learner_row.model_name != model.name:
        return model.initial_state()  # no answers yet, or another model's
    entries = {c.code: tuple(rows[c.pk].numbers) for c in competencies if c.pk in rows and rows[c.pk].numbers}
    state = LearnerState(model.name, tuple(learner_row.numbers), entries, tuple(learner_row.recent))
    return state.restricted_to([c.code for c in competencies])


def _review_due_competency(
    bank: FrameworkBank, session: PracticeSession, record: LearnerRecord, now: datetime
) -> Competency | None:
    """The most overdue review of another competency of the session's framework that has items."""
    due = [
        row
        for row in record.rows.values()
        if row.competency_id != session.competency_id
        and bank.items_of.get(row.competency_id)
        and _is_review(row, now)
    ]
    if not due:
        return None
    first = min(due, key=lambda row: (row.review_due_at, row.pk))
    return bank.competency(first.competency_id)


def _unmastered_prerequisites(
    bank: FrameworkBank, session: PracticeSession, record: LearnerRecord
) -> list[Competency]:
    """Direct prerequisites of the session's competency that the learner has not mastered and that have
    items, in teaching order."""
    return [
        bank.competency(pk)
        for pk in bank.prerequisites_of.get(session.competency_id, ())
        if bank.items_of.get(pk) and not record.mastered(pk)
    ]


def _item_in_reach(
    model: LogisticEvidenceModel, bank: FrameworkBank, record: LearnerRecord, competency: Competency
) -> tuple[Item, float] | None:
    state = _state_from(model, record.learner_row, record.rows, [competency])
    estimate = model.predict(state, competency.code)
    items = {item.pk: item for item in bank.items_of.get(competency.pk, ())}
    last_seen = {pk: number for pk, number in record.last_seen().items() if pk in items}
    chosen = item_choose([Candidate(i.pk, i.difficulty) for i in items.values()], estimate, last_seen)
    if chosen is None:
        return None
    return items[chosen[0].item_id], chosen[1]


def item_next(
    *, learner: User, session: PracticeSession, now: datetime | None = None, answers_so_far: int | None = None
) -> NextItem:
    """The next item of the session, in reach (predicted success in the target band).

    Usually an item of the session's competency, preferring items the learner never answered, then the
    one they answered longest ago. Every
    ``REVIEW_EVERY``-th item is a due review of another mastered competency when one is due. When even the
    easiest item of the competency is out of reach and a prerequisite is not mastered yet, the session steps
    back to that prerequisite first. Raises :class:`Conflict` on an ended session. ``answers_so_far`` is the
    session's answer count when the caller read it with the session (else it is counted here).
    """
    _require_own(learner, session)
    if session.ended_at is not None:
        raise Conflict(
            _("This practice session has ended; start a new one to practise more."),
            code="practice.session_ended",
        )
    if answers_so_far is None:
        answers_so_far = session.answers.count()
    chosen = _next_choice(session, _record_read(session), answers_so_far, now or timezone.now())
    if chosen is None:
        raise NotFound(_("This competency has no items to practise yet."), code="practice.no_items")
    return chosen


def _next_choice(
    session: PracticeSession, record: LearnerRecord, answers_so_far: int, now: datetime
) -> NextItem | None:
    """:func:`item_next`'s choice from the learner's record, without the database (the item bank and the
    model are in memory); None when the competency has no items."""
    framework = session.competency.framework
    bank = framework_bank(framework)
    model = model_for(framework)
    review = session.competency if record.review_due(session.competency_id, now) else None
    if review is None and answers_so_far % REVIEW_EVERY == REVIEW_EVERY - 1:
        review = _review_due_competency(bank, session, record, now)
    if review is not None:
        return _next_of(model, bank, record, session, review, REVIEW)
    main = _next_of(model, bank, record, session, session.competency, PRACTICE)
    low, _high = TARGET_BAND
    if main is not None and main.predicted_success >= low:
        return main
    prerequisites = _unmastered_prerequisites(bank, session, record)
    if prerequisites:
        return _next_of(model, bank, record, session, prerequisites[0], PREREQUISITE)
    return main


def _next_of(
    model: LogisticEvidenceModel,
    bank: FrameworkBank,
    record: LearnerRecord,
    session: PracticeSession,
    competency: Competency,
    reason: Reason,
) -> NextItem | None:
    chosen = _item_in_reach(model, bank, record, competency)
    if chosen is None:
        return None
    item, chance = chosen
    return NextItem(item, chance, competency, reason, _reason_text(reason, session.competency, competency))


def _reason_text(reason: str, session_competency: Competency, competency: Competency) -> str:
    """Why this question, in the learner's language."""
    if reason == REVIEW:
        return _("Review: you mastered %(name)s; this checks you still remember it.") % {
            "name": competency.name
        }
    if reason == PREREQUISITE:
        return _(
            "%(session)s builds on %(name)s, which you have not mastered yet: a question on %(name)s first."
        ) % {"session": session_competency.name, "name": competency.name}
    return _("Practice on %(name)s, chosen to be in reach: not too easy, not too hard.") % {
        "name": competency.name
    }


def _evidence_competency(
    bank: FrameworkBank, session: PracticeSession, item: Item, record: LearnerRecord
) -> Competency:
    """What an answer to ``item`` in ``session`` is evidence for: the session's competency, else one of its
    prerequisites, else a competency whose review is due. Raises :class:`DomainError` otherwise."""
    assessed = bank.assessed_by.get(item.pk, ())
    if session.competency_id in assessed:
        return session.competency
    prerequisites = set(bank.prerequisites_of.get(session.competency_id, ()))
    # Mastered at some time (it has a review card): its review may have been due when the item was offered,
    # and an answer given offline may arrive after the competency lapsed on another device.
    for competency_id in sorted(assessed):
        row = record.rows.get(competency_id)
        if competency_id in prerequisites or (row is not None and row.review_card is not None):
            return bank.competency(competency_id)
    raise DomainError(
        _("Item %(item)s is not part of this session's competency.") % {"item": item.code},
        code="practice.item_not_offered",
    )


def _answer_stored(learner: User, client_id: uuid.UUID) -> Answer | None:
    return Answer.objects.filter(learner=learner, client_id=client_id).first()


def _replayed(original: Answer, fingerprint: str) -> AnswerResult:
    if original.fingerprint != fingerprint:
        raise Conflict(
            _("This answer id was already used for a different answer; send a new id for a new answer."),
            code="practice.answer_id_reused",
        )
    stored = {key: value for key, value in original.result.items() if key in _RESULT_FIELDS}
    # Results stored before the mastery figure had its own tracker carried the predictor's estimate.
    stored.setdefault("mastery_level", original.result.get("mastery_estimate", 0.0))
    stored["unlocked"] = tuple(stored.get("unlocked", ()))
    stored["answer_id"] = original.pk
    return AnswerResult(**stored)


@dataclass(frozen=True)
class AnswerReply:
    """An answer's result, the session's next item after it (None when the session ended or has no item
    left), and the session's tally."""

    result: AnswerResult
    next_item: NextItem | None
    session_answers: int
    session_correct: int


def answer_submit(
    *,
    learner: User,
    session: PracticeSession,
    item: Item,
    answer: object,
    client_id: uuid.UUID,
    fingerprint: str,
    hints_used: int = 0,
    seconds: int | None = None,
    now: datetime | None = None,
) -> AnswerResult:
    """Store one answer and update the learner state in the same transaction; idempotent per client id.

    Answers are accepted also after the session ended: an answer given offline may arrive late, and
    nothing a learner submits is lost. Raises :class:`NotFound` for another learner's session,
    :class:`DomainError` (400) for an item the session did not offer or a malformed answer,
    :class:`Conflict` (409) when ``client_id`` was used for a different payload. Nothing is changed when
    it raises. ``seconds`` is the time the learner spent on the item, when the client measured it (0 to
    ``MAX_SECONDS_ON_ITEM``). ``now`` is for generated history (the demo school); requests use the clock.
    """
    stored, _ = _answer_store(
        learner=learner,
        session=session,
        item=item,
        answer=answer,
        client_id=client_id,
        fingerprint=fingerprint,
        hints_used=hints_used,
        seconds=seconds,
        now=now or timezone.now(),
    )
    return stored


def answer_submit_and_next(
    *,
    learner: User,
    session: PracticeSession,
    item: Item,
    answer: object,
    client_id: uuid.UUID,
    fingerprint: str,
    hints_used: int = 0,
    seconds: int | None = None,
    tally_before: tuple[int, int],
) -> AnswerReply:
    """:func:`answer_submit`, and the next item chosen from the state the answer left (one round trip per
    question). ``tally_before`` is the session's answers and correct answers before this one, as read with
    the session."""
    now = timezone.now()
    result, record = _answer_store(
        learner=learner,
        session=session,
        item=item,
        answer=answer,
        client_id=client_id,
        fingerprint=fingerprint,
        hints_used=hints_used,
        seconds=seconds,
        now=now,
    )
    session_answers, session_correct = tally_before
    if record is None:  # a retry: the tally already counted it, and the state may have moved since
        record = _record_read(session)
    else:
        session_answers, session_correct = session_answers + 1, session_correct + int(result.correct)
    following = None if session.ended_at is not None else _next_choice(session, record, session_answers, now)
    return AnswerReply(result, following, session_answers, session_correct)


def _answer_store(
    *,
    learner: User,
    session: PracticeSession,
    item: Item,
    answer: object,
    client_id: uuid.UUID,
    fingerprint: str,
    hints_used: int,
    seconds: int | None,
    now: datetime,
) -> tuple[AnswerResult, LearnerRecord | None]:
    """Store the answer (or find the stored copy of a retry): its result, and the learner's record as the
    answer left it (None for a retry, which changed nothing).

    The usual answer is new, so it is written straight away: the learner's rows are read and locked, the
    state moved, the answer inserted with its result. A retry's insert breaks the ``(learner, client_id)``
    constraint; everything is rolled back and the stored original is replayed. A twin answer that created
    the learner's row for a competency a moment before gets the same constraint error without an original:
    it runs once more and sees the row."""
    _require_own(learner, session)
    if not 0 <= hints_used <= len(item.hints):
        raise DomainError(
            _("hints_used must be between 0 and %(max)d for this item.") % {"max": len(item.hints)},
            code="practice.invalid_hints_used",
        )
    if seconds is not None and not 0 <= seconds <= MAX_SECONDS_ON_ITEM:
        raise DomainError(
            _("seconds must be between 0 and %(max)d.") % {"max": MAX_SECONDS_ON_ITEM},
            code="practice.invalid_seconds",
        )
    try:
        correct = answer_check(item.spec(), answer)
    except ValueError as error:
        raise DomainError(
            _("The answer cannot be checked: %(reason)s.") % {"reason": error},
            code="practice.answer_unreadable",
        ) from error
    # Outside the transaction: a framework's first request enqueues its fit, which a backend that runs
    # tasks at once (tests) runs here, and its replay of the stored figures must not be overwritten.
    models = model_for(session.competency.framework), tracker_for(session.competency.framework)
    for attempt in range(2):
        try:
            with _one_writer_at_a_time(), transaction.atomic():
                record = _record_read(session, lock=True)
                result = _answer_record(
                    session,
                    record,
                    models,
                    Answer(
                        school_id=session.school_id,
                        session=session,
                        item=item,
                        learner=learner,
                        client_id=client_id,
                        fingerprint=fingerprint,
                        given=answer,
                        correct=correct,
                        hints_used=hints_used,
                        seconds=seconds,
                        created_at=now,
                    ),
                )
                return result, record
        except DomainError:
            original = _answer_stored(learner, client_id)  # a retry of an answer the state has moved past
            if original is None:
                raise
            return _replayed(original, fingerprint), None
        except IntegrityError:
            original = _answer_stored(learner, client_id)
            if original is not None:
                return _replayed(original, fingerprint), None
            if attempt:
                raise
    raise AssertionError("unreachable: the second attempt returns or raises")


_sqlite_writer = threading.Lock()


@contextmanager
def _one_writer_at_a_time() -> Iterator[None]:
    """On SQLite, answers of one server process queue on a lock before they open their write transaction.

    SQLite has one writer at a time, and a writer that finds the database locked polls and sleeps (its busy
    handler), which is unfair: under a class-wide burst some answers waited longer than the busy timeout
    and failed (measured with 50 learners on one process). Waiting on a lock is woken in turn instead. On
    PostgreSQL nothing is held: row locks order one learner's answers and different learners run at once.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with _sqlite_writer:
        yield


def _answer_record(
    session: PracticeSession,
    record: LearnerRecord,
    models: tuple[LogisticEvidenceModel, MasteryTracker],
    answer: Answer,
) -> AnswerResult:
    """Insert ``answer`` (unsaved) with what it did: update the predictive state through the engine (O(1)),
    move the mastery figure people are shown and apply the mastery rule
    (:func:`tessera.engine.mastery.mastery_step`), schedule or rate the competency's spaced review; three
    statements (two updates, one insert) for a learner's later answers.

    The figure "before" is the one stored on the learner's row, the very number every page showed a moment
    ago; answers on other competencies never change it.
    """
    framework = session.competency.framework
    bank = framework_bank(framework)
    item, now = answer.item, answer.created_at
    competency = _evidence_competency(bank, session, item, record)
    model, tracker = models
    code = competency.code
    learner_row = record.learner_row
    assert learner_row is not None  # a locked read creates it
    competency_row = _competency_row(record, session, competency)
    state = _state_from(model, learner_row, {competency.pk: competency_row}, [competency])
    state = model.update(state, code, int(answer.correct))
    answer.competency, answer.is_review = competency, _is_review(competency_row, now)
    step = mastery_step(
        tracker,
        code,
        _mastery_record(competency_row, start=tracker.start(code)),
        int(answer.correct),
        is_review=answer.is_review,
        policy=MASTERY_POLICY,
    )
    learner_row.model_name = model.name
    learner_row.numbers, learner_row.recent = list(state.learner), list(state.recent)
    competency_row.seen = {**competency_row.seen, str(item.pk): record.next_answer_number()}
    competency_row.numbers = list(state.competencies[code])
    competency_row.attempts = model.attempts(state, code)
    competency_row.mastery_level = step.after.level
    competency_row.last_answered_at = max(filter(None, (competency_row.last_answered_at, now)))
    first_mastery = step.newly_mastered and competency_row.review_card is None
    _review_record(competency_row, step, answer, now)
    _row_save(learner_row)
    _row_save(competency_row)
    # What it unlocks is announced the first time only; the family hears of every mastery and every loss.
    unlocked = progress.unlocked_by(session.learner, session.school, competency) if first_mastery else []
    result = AnswerResult(
        answer_id=0,
        correct=answer.correct,
        feedback=item.feedback,
        hints_available=len(item.hints),
        mastery_level=round(step.after.level, 4),
        mastery_before=round(step.before.level, 4),
        mastery_percent=shown_percent(step.after.level),
        mastered=step.after.mastered,
        newly_mastered=step.newly_mastered,
        explanation=_progress_sentence(competency, step, competency_row),
        competency_id=competency.pk,
        competency_name=competency.name,
        review=answer.is_review,
        next_review_at=competency_row.review_due_at.isoformat() if competency_row.review_due_at else None,
        unlocked=tuple({"id": c.pk, "name": c.name} for c in unlocked),
    )
    answer.result = {key: value for key, value in asdict(result).items() if key != "answer_id"}
    answer.save(force_insert=True)  # a retry's copy stops here (its client id is taken): all is rolled back
    # Mastery, and mastery a review showed lost, are facts in the event log (the family feed tells them).
    fact: Fact | None = None
    if step.newly_mastered:
        fact = CompetencyMastered(competency.pk, competency.name, competency_row.attempts)
    elif step.lost:
        fact = MasteryLost(competency.pk, competency.name)
    if fact is not None:
        event_record(school=session.school, learner=session.learner, fact=fact, at=now)
    return replace(result, answer_id=answer.pk)


def _row_save(row: models.Model) -> None:
    """``row.save()``: for a row read from the database, one UPDATE of its columns by primary key with SQL
    built once per model. The ORM compiles its UPDATE anew on every save, which was a tenth of an answer's
    CPU (benchmarks/README.md, "The answer path"). No signals are sent: nothing listens to learner rows
    (new facts go to the event log)."""
    if row._state.adding:
        row.save()
        return
    columns, sql = _update_statement(type(row), connection.vendor)
    values = [field.get_db_prep_save(field.pre_save(row, False), connection) for field in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, row.pk])


_update_statements: dict[tuple[type[models.Model], str], tuple[Sequence[models.Field[Any, Any]], str]] = {}


def _update_statement(model: type[models.Model], vendor: str) -> tuple[Sequence[models.Field[Any, Any]], str]:
    """The columns ``save()`` would update for ``model`` (every concrete one but the key, ``auto_now``
    included) and the UPDATE statement that sets them."""
    key = (model, vendor)
    if key not in _update_statements:
        meta = model._meta
        columns = [field for field in meta.concrete_fields if not field.primary_key]
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
        table, key_column = quote(meta.db_table), quote(meta.pk.column)  # names from the model, no input
        sql = f"UPDATE {table} SET {assignments} WHERE {key_column} = %s"  # noqa: S608
        _update_statements[key] = (columns, sql)
    return _update_statements[key]


def _mastery_record(row: LearnerCompetencyState, *, start: float) -> MasteryRecord:
    """The learner's standing on the row's competency before this answer (``start``, the tracker's figure
    before any answer, when they never answered it)."""
    level = row.mastery_level if row.mastery_level is not None else start
    return MasteryRecord(level, row.attempts - row.attempts_at_lapse, row.mastered_at is not None)


def _percent(level: float) -> str:
    return f"{shown_percent(level)}%"


def _progress_sentence(competency: Competency, step: MasteryStep, row: LearnerCompetencyState) -> str:
    """One line for the learner, in their language: how this answer moved their mastery, and what it
    means."""
    moved = _("%(name)s: %(before)s → %(after)s") % {
        "name": competency.name,
        "before": _percent(step.before.level),
        "after": _percent(step.after.level),
    }
    threshold = _percent(MASTERY_POLICY.threshold)
    if step.lost:
        return _(
            "%(moved)s. A review slipped, so it needs some practice again before it counts as mastered."
        ) % {"moved": moved}
    if step.newly_mastered:
        return _("%(moved)s. Mastered after %(answers)s answers; a review will check that it stays.") % {
            "moved": moved,
            "answers": row.attempts,
        }
    if step.review_now:
        return _(
            "%(moved)s. Still mastered: a review question comes next to check it "
            "(mastered from %(threshold)s)."
        ) % {"moved": moved, "threshold": threshold}
    if step.after.mastered:
        return _("%(moved)s. Mastered; a review will check that it stays.") % {"moved": moved}
    needed = MASTERY_POLICY.min_evidence - step.after.fresh_evidence
    if needed > 0:
        return ngettext(
            "%(moved)s. At least %(count)s more answer before it can count as mastered.",
            "%(moved)s. At least %(count)s more answers before it can count as mastered.",
            needed,
        ) % {"moved": moved, "count": needed}
    return _("%(moved)s. It counts as mastered from %(threshold)s, on a correct answer.") % {
        "moved": moved,
        "threshold": threshold,
    }


def _is_review(row: LearnerCompetencyState, now: datetime) -> bool:
    return row.mastered_at is not None and row.review_due_at is not None and row.review_due_at <= now


def _review_record(row: LearnerCompetencyState, step: MasteryStep, stored: Answer, now: datetime) -> None:
    """Record on ``row`` what the answer did to mastery, and the spaced review (an FSRS card).

    Newly mastered: mastered now, a review scheduled. A review rates the card (*Good* when right, *Again*
    when wrong); a wrong review takes mastery away and fresh evidence counts again from here. A wrong
    practice answer that takes a mastered competency's figure below the threshold makes its review due now.
    """
    if stored.is_review:
        row.review_card, due = review_schedule(row.review_card, remembered=stored.correct, at=now)
        row.review_due_at = due
    if step.newly_mastered:
        row.mastered_at = now
        row.review_card, row.review_due_at = review_schedule(row.review_card, remembered=True, at=now)
    elif step.lost:
        row.mastered_at = row.review_due_at = None
        row.attempts_at_lapse = row.attempts
    elif step.review_now:
        row.review_due_at = now


@dataclass(frozen=True)
class SessionSummary:
    session: PracticeSession
    answers: int
    correct: int
    mastered: list[Competency]


@transaction.atomic
def session_end(*, learner: User, session: PracticeSession, now: datetime | None = None) -> SessionSummary:
    """End the session (ending it again changes nothing) and sum it up: answers, correct, and what was
    mastered in it (an answer of the session made it mastered, and it still is)."""
    _require_own(learner, session)
    given = list(session.answers.values_list("correct", "competency_id"))
    answers = [correct for correct, _competency_id in given]
    if session.ended_at is None:
        session.ended_at = now or timezone.now()
        session.save(update_fields=["ended_at"])
        if given:
            _session_ended_record(session, answers, sorted({competency_id for _, competency_id in given}))
    newly = session.answers.filter(result__newly_mastered=True).values("competency_id")
    mastered = Competency.objects.filter(
        pk__in=LearnerCompetencyState.objects.filter(
            school_id=session.school_id,
            learner_id=session.learner_id,
            competency_id__in=newly,
            mastered_at__isnull=False,
        ).values("competency_id")
    ).order_by("domain__position", "position", "pk")
    return SessionSummary(session, len(answers), sum(answers), list(mastered))


def _session_ended_record(session: PracticeSession, answers: list[bool], competency_ids: list[int]) -> None:
    event_record(
        school=session.school,
        learner=session.learner,
        fact=PracticeSessionEnded(session.pk, competency_ids, len(answers), sum(answers)),
        at=session.ended_at,
    )


def idle_sessions_end(*, now: datetime | None = None) -> int:
    """End the sessions nobody has answered in for ``PRACTICE_IDLE_MINUTES`` (the learner closed the tab
    instead of pressing "End session"), each at its last answer, so their evidence counts like any other
    session's. The number ended. Run by the background worker."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PRACTICE_IDLE_MINUTES)
    idle = (
        PracticeSession.objects.filter(ended_at__isnull=True, started_at__lt=cutoff)
        .annotate(last_answer=models.Max("answers__created_at"))
        .filter(models.Q(last_answer__lt=cutoff) | models.Q(last_answer__isnull=True))
        .select_related("learner", "school")
    )
    ended = 0
    for session in idle[:500]:
        session_end(learner=session.learner, session=session, now=session.last_answer or session.started_at)
        ended += 1
    return ended
