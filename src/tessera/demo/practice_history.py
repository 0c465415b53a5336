"""Weeks of practice history for the demo school's learners, written through the practice services.

Each learner of the school practises for the last :data:`WEEKS` school weeks, ending yesterday: a few
sessions a week on school days (Monday to Friday, not before the current term starts) at lesson or homework
hours in the school's time zone, a handful of answers a session. Sessions follow the class's teaching plan
(:data:`GRADE_PLANS`: domains in the order the grade teaches them), choosing competencies whose
prerequisites are mastered; within a session :func:`~tessera.practice.services.item_next` chooses every
item, as it does for a real learner (due reviews, stepping back to a prerequisite included).

Whether an answer is right comes from a simulated learner (:class:`tessera.engine.simulate.SimulatedLearner`:
hidden known / not-known skills with the ASSISTments-fitted dynamics the framework's model is fitted on),
with a per-learner ability that shifts what they know at the start, how fast they learn and how often they
slip, and forgetting between sessions. A few learners stopped practising a week or two ago; the most
regular ones practised on the last school days, so they have a streak.

Every answer goes through :func:`~tessera.practice.services.answer_submit` with ``now`` set to the
simulated moment, and every session ends with :func:`~tessera.practice.services.session_end`, so answers,
learner states, mastery and review schedules are exactly what that practice would have produced.

Deterministic given the seed and the day it is generated on (each learner's draws are seeded by the seed
and their username), and idempotent: when the school already has practice sessions on the framework,
nothing is generated. Everything is one transaction, so an interrupted run leaves nothing behind.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tessera.curriculum.answers import answer_check
from tessera.curriculum.models import Competency, Framework, Item
from tessera.curriculum.selectors import prerequisite_map
from tessera.engine.simulate import (
    ASSISTMENTS_2009_DYNAMICS,
    CompetencyDynamics,
    SimulatedLearner,
    SimulationParameters,
)
from tessera.practice import services
from tessera.practice.learner_model import learner_model_fit
from tessera.practice.models import Answer, LearnerModelFit, PracticeSession
from tessera.schools.models import AcademicTerm, Membership, School, User

SEED = 2026
WEEKS = 5
# Sessions a week and answers a session. Kept small: every answer goes through the services (about 10 ms
# of CPU each with item_next), and the whole demo history must take well under a minute.
SESSIONS_PER_WEEK = (1, 3)
ANSWERS_PER_SESSION = (4, 6)
STOPPED_SHARE = 0.1  # learners who stopped practising 6 to 12 school days ago
STREAK_SHARE = 0.5  # of the others: practised on each of the last school days
# After this many answers on a competency without mastering it, a learner moves on to the next one.
MAX_ATTEMPTS = 10
LESSON_HOURS = (9, 15)  # a session starts within these local hours on a school day ...
HOMEWORK_HOURS = (16, 20)  # ... or in the evening
SECONDS_PER_ANSWER = (25, 110)

# Domains in the order each grade teaches them (the demo framework's domain codes); other grades and other
# frameworks use the framework's own order.
GRADE_PLANS: dict[int, tuple[str, ...]] = {
    6: ("number", "fractions-decimals", "statistics-probability", "geometry-measurement"),
    7: ("fractions-decimals", "ratio-percent", "geometry-measurement", "number"),
    8: ("algebra", "geometry-measurement", "ratio-percent", "statistics-probability"),
}


@dataclass(frozen=True)
class HistoryReport:
    """What :func:`demo_history_load` did: ``created`` False means the history was already there."""

    created: bool
    learners: int
    sessions: int
    answers: int
    seconds: float


@dataclass(frozen=True)
class _Profile:
    ability: float  # standard normal: above 1 learns fast, below -1 struggles
    sessions_per_week: int
    answers_per_session: float
    stops_after: date | None  # the last day they practised, for learners who stopped
    streak: bool


def school_days(*, today: date, weeks: int, school: School | None = None) -> list[date]:
    """Monday-to-Friday days of the ``weeks`` weeks before ``today`` (today excluded), not before the
    start of the school's term that is running yesterday (when it has one).

    >>> days = school_days(today=date(2026, 11, 25), weeks=1)
    >>> days[0], days[-1], len(days)
    (datetime.date(2026, 11, 18), datetime.date(2026, 11, 24), 5)
    """
    first = today - timedelta(days=7 * weeks)
    if school is not None:
        term = (
            AcademicTerm.objects.filter(
                school=school, starts_on__lt=today, ends_on__gte=today - timedelta(days=1)
            )
            .order_by("starts_on")
            .first()
        )
        if term is not None:
            first = max(first, term.starts_on)
    days = (first + timedelta(days=n) for n in range((today - first).days))
    return [day for day in days if day.weekday() < 5]


def _learner_parameters(
    base: SimulationParameters, ability: float, grade: int, rng: random.Random
) -> SimulationParameters:
    """The framework's dynamics shifted for one learner: more known at the start for able and older
    learners, faster learning and fewer slips for able ones, and a little noise per competency."""

    def shift(probability: float, logits: float, low: float, high: float) -> float:
        value = 1 / (1 + math.exp(-(math.log(probability / (1 - probability)) + logits)))
        return min(max(value, low), high)

    dynamics = {}
    for code, d in base.dynamics.items():
        dynamics[code] = CompetencyDynamics(
            prior=shift(d.prior, 0.8 * ability + 0.4 * (grade - 6) - 0.3 + rng.gauss(0, 0.5), 0.02, 0.95),
            learn=shift(d.learn, 0.6 * ability + rng.gauss(0, 0.3), 0.01, 0.6),
            guess=d.guess,
            slip=shift(d.slip, -0.4 * ability - 0.4, 0.03, 0.45),
            forget=min(d.forget * math.exp(-0.3 * ability), 0.2),
        )
    return replace(base, dynamics=dynamics)


def _base_parameters(prerequisites: dict[str, list[str]]) -> SimulationParameters:
    """The dynamics :mod:`tessera.practice.learner_model` fits the framework's model on (same cycle)."""
    dynamics = {
        code: ASSISTMENTS_2009_DYNAMICS[n % len(ASSISTMENTS_2009_DYNAMICS)]
        for n, code in enumerate(prerequisites)
    }
    return SimulationParameters(dynamics, {code: tuple(before) for code, before in prerequisites.items()})


def _profile(rng: random.Random, days: Sequence[date]) -> _Profile:
    ability = rng.gauss(0, 1)
    stops_after = None
    if rng.random() < STOPPED_SHARE and len(days) > 12:
        stops_after = days[-rng.randint(7, 13)]
    low, high = SESSIONS_PER_WEEK
    regular = ability + rng.gauss(0, 1) > 0  # practice habits only loosely follow ability
    return _Profile(
        ability=ability,
        sessions_per_week=min(low + regular + (rng.random() < 0.1), high),
        answers_per_session=rng.uniform(*ANSWERS_PER_SESSION),
        stops_after=stops_after,
        streak=stops_after is None and rng.random() < STREAK_SHARE,
    )


def _practice_days(profile: _Profile, days: Sequence[date], rng: random.Random) -> list[date]:
    weeks: dict[tuple[int, int], list[date]] = {}
    for day in days:
        weeks.setdefault(day.isocalendar()[:2], []).append(day)
    chosen: set[date] = set()
    for week in weeks.values():  # the first and the last week may be partial: fewer sessions
        wanted = (profile.sessions_per_week + rng.choice((-1, 0, 0, 1))) * len(week) / 5
        count = min(len(week), max(0, int(wanted + rng.random())))
        chosen.update(rng.sample(week, count))
    if profile.streak:
        chosen.update(days[-2:])
    if profile.stops_after is not None:
        chosen = {day for day in chosen if day <= profile.stops_after}
    return sorted(chosen)


def _session_start_at(day: date, zone: ZoneInfo, rng: random.Random) -> datetime:
    low, high = LESSON_HOURS if rng.random() < 0.6 else HOMEWORK_HOURS
    minute = rng.randrange((high - low) * 60)
    local = datetime(day.year, day.month, day.day, low + minute // 60, minute % 60, tzinfo=zone)
    return local.astimezone(UTC)  # in UTC, as timezone.now() is (the FSRS scheduler insists on it)


def _number_text(value: float) -> str:
    """``value`` as a learner would type it: no exponent, no trailing zeros (at most six decimals)."""
    for decimals in range(7):
        text = f"{value:.{decimals}f}"
        if abs(float(text) - value) < 1e-9:
            return text
    return f"{value:.6f}"


def _typed_answer(value: float, spec: dict[str, object]) -> str:
    """The right ``value`` with the fewest decimals the item accepts (3.1 when the tolerance allows it)."""
    for decimals in range(7):
        text = f"{value:.{decimals}f}"
        if answer_check(spec, text):
            return text
    return format(Decimal(repr(float(value))), "f")


class _Answers:
    """A learner's given answer to an item: right, or a plausible mistake, checked against the item."""

    def __init__(self, framework: Framework) -> None:
        self._texts: dict[int, list[str]] = {}
        self.framework = framework

    def given(self, item: Item, correct: bool, rng: random.Random) -> object:
        spec = item.spec()
        if item.kind == Item.Kind.MULTIPLE_CHOICE:
            assert item.correct_choice is not None
            wrong = [n for n in range(len(item.choices)) if n != item.correct_choice]
            return rng.choice(wrong) if not correct and wrong else item.correct_choice
        if item.kind == Item.Kind.NUMERIC:
            assert item.numeric_answer is not None
            value = item.numeric_answer
            if correct:
                return _typed_answer(value, spec)
            mistakes = [value + 1, value - 1, value * 10, -value, value + 2, value / 10, value + 10]
            rng.shuffle(mistakes)
            for mistake in mistakes:
                text = _number_text(mistake)
                if not answer_check(spec, text):
                    return text
            return _typed_answer(value, spec)
        accepted = list(item.accepted_answers)
        if correct:
            return rng.choice(accepted)
        confusions = [text for text in self._texts_of(item) if not answer_check(spec, text)]
        return rng.choice(confusions) if confusions else "not sure"

    def _texts_of(self, item: Item) -> list[str]:
        """Accepted answers of the framework's other short-text items: what learners mix up."""
        if not self._texts:
            for pk, accepted in Item.objects.filter(
                framework=self.framework, kind=Item.Kind.SHORT_TEXT
            ).values_list("pk", "accepted_answers"):
                self._texts[pk] = list(accepted)
        return sorted({text for pk, texts in self._texts.items() if pk != item.pk for text in texts})


class _Plan:
    """The teaching plan of one framework: its practisable competencies and their prerequisites."""

    def __init__(self, framework: Framework, prerequisites: dict[str, list[str]]) -> None:
        self.competencies = list(
            Competency.objects.filter(framework=framework, items__isnull=False)
            .select_related("domain")
            .distinct()
            .order_by("domain__position", "position", "pk")
        )
        codes = {c.code for c in self.competencies}
        by_code = {c.code: c for c in self.competencies}
        # Prerequisites without items cannot be practised, so they do not hold anything back.
        self.before = {
            c.pk: [by_code[code].pk for code in prerequisites.get(c.code, []) if code in codes]
            for c in self.competencies
        }

    def order_for(self, grade: int) -> list[Competency]:
        plan = GRADE_PLANS.get(grade, ())
        rank = {code: n for n, code in enumerate(plan)}
        return sorted(
            self.competencies,
            key=lambda c: (rank.get(c.domain.code, len(plan)), c.domain.position, c.position, c.pk),
        )

    def next_competency(
        self,
        order: Sequence[Competency],
        mastered: dict[int, bool],
        attempts: Counter[int],
        rng: random.Random,
    ) -> Competency:
        """The competency of the next session: the first ones of the plan that are not mastered and whose
        prerequisites are, leaving those practised :data:`MAX_ATTEMPTS` times without success for later."""

        def ready(c: Competency) -> bool:
            return not mastered.get(c.pk) and all(mastered.get(p) for p in self.before[c.pk])

        candidates = [c for c in order if ready(c) and attempts[c.pk] < MAX_ATTEMPTS]
        candidates = candidates or [c for c in order if ready(c)] or list(order)
        return candidates[0] if rng.random() < 0.7 else rng.choice(candidates[:3])


def _learners(school: School) -> list[tuple[User, int]]:
    memberships = (
        Membership.objects.filter(school=school, role=Membership.Role.LEARNER)
        .select_related("user")
        .order_by("grade_level", "user__username")
    )
    return [(m.user, m.grade_level or 6) for m in memberships]


def _client_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _practise(
    *,
    learner: User,
    grade: int,
    framework: Framework,
    plan: _Plan,
    base: SimulationParameters,
    days: Sequence[date],
    zone: ZoneInfo,
    seed: int,
    answers: _Answers,
) -> tuple[int, int]:
    """One learner's weeks of practice through the services. Returns (sessions, answers)."""
    rng = random.Random(f"{seed}:{learner.username}")
    profile = _profile(rng, days)
    simulated = SimulatedLearner(_learner_parameters(base, profile.ability, grade, rng), rng.randrange(2**31))
    order = plan.order_for(grade)
    mastered: dict[int, bool] = {}
    attempts: Counter[int] = Counter()
    sessions = count = 0
    last: datetime | None = None
    for day in _practice_days(profile, days, rng):
        moment = _session_start_at(day, zone, rng)
        if last is not None:
            simulated.rest((moment - last).total_seconds() / 86400)
        competency = plan.next_competency(order, mastered, attempts, rng)
        session = services.session_start(learner=learner, competency=competency, now=moment)
        length = min(max(round(rng.gauss(profile.answers_per_session, 1.2)), 3), 10)
        for _ in range(length):
            moment += timedelta(seconds=rng.uniform(*SECONDS_PER_ANSWER))
            chosen = services.item_next(learner=learner, session=session, now=moment)
            right = bool(simulated.answer(chosen.competency.code))
            given = answers.given(chosen.item, right, rng)
            hints = 1 if chosen.item.hints and rng.random() < 0.1 else 0
            result = services.answer_submit(
                learner=learner,
                session=session,
                item=chosen.item,
                answer=given,
                client_id=_client_id(rng),
                fingerprint=services.answer_fingerprint(
                    session_id=session.pk, item_id=chosen.item.pk, answer=given, hints_used=hints
                ),
                hints_used=hints,
                now=moment,
            )
            mastered[result.competency_id] = result.mastered
            attempts[result.competency_id] += 1
            count += 1
        moment += timedelta(seconds=rng.uniform(5, 30))
        services.session_end(learner=learner, session=session, now=moment)
        sessions += 1
        last = moment
    return sessions, count


def demo_history_load(
    *,
    school: School,
    framework: Framework,
    seed: int = SEED,
    weeks: int = WEEKS,
    today: date | None = None,
    learners: Iterable[User] | None = None,
) -> HistoryReport:
    """Generate the practice history of ``school``'s learners on ``framework``, unless it has one.

    ``today`` defaults to the school's local date; the history ends the school day before. ``learners``
    limits it to some of the school's learners (all by default). The framework's learner model is fitted
    first when it has none (not counted in ``seconds``).
    """
    existing = Answer.objects.filter(school=school, session__competency__framework=framework)
    if PracticeSession.objects.filter(school=school, competency__framework=framework).exists():
        return HistoryReport(
            created=False,
            learners=existing.values("learner_id").distinct().count(),
            sessions=PracticeSession.objects.filter(school=school, competency__framework=framework).count(),
            answers=existing.count(),
            seconds=0.0,
        )
    if not LearnerModelFit.objects.filter(framework=framework).exclude(mastery_json="").exists():
        learner_model_fit(framework=framework)  # a command may fit (requests never do): history on the fit
    started = time.perf_counter()
    zone = school.zone
    today = today or timezone.localtime(timezone.now(), zone).date()
    days = school_days(today=today, weeks=weeks, school=school)
    prerequisites = prerequisite_map(framework)
    plan = _Plan(framework, prerequisites)
    base = _base_parameters(prerequisites)
    answers = _Answers(framework)
    chosen = _learners(school)
    if learners is not None:
        wanted = {user.pk for user in learners}
        chosen = [(user, grade) for user, grade in chosen if user.pk in wanted]
    sessions = count = 0
    if not plan.competencies or not days:
        return HistoryReport(True, 0, 0, 0, 0.0)
    with transaction.atomic():
        for learner, grade in chosen:
            done = _practise(
                learner=learner,
                grade=grade,
                framework=framework,
                plan=plan,
                base=base,
                days=days,
                zone=zone,
                seed=seed,
                answers=answers,
            )
            sessions, count = sessions + done[0], count + done[1]
    return HistoryReport(True, len(chosen), sessions, count, time.perf_counter() - started)
