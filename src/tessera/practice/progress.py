"""A learner's progress, read for their pages and for what an answer unlocks.

A competency of a framework is, for one learner in one school:

- *mastered* when the mastery rule held on a correct answer and no review has shown it lost since
  (``mastered_at`` is set; :mod:`tessera.practice.selectors` owns the figure and the verdict);
- *in progress* when they have answered it but not (or no longer) mastered it;
- *ready* when every prerequisite is mastered (or it has none);
- *locked* otherwise: some prerequisite is not mastered yet (``missing`` names them).

A prerequisite without items cannot be practised, so it cannot be mastered here either: it never locks
what builds on it (practice's item choice does not step back to it either).

Everything here is a read scoped to one learner and one school; a framework's whole progress costs three
queries however large it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tessera.curriculum.models import Competency, Framework, Prerequisite
from tessera.curriculum.permissions import frameworks_visible_to
from tessera.practice.models import Answer, LearnerCompetencyState
from tessera.practice.selectors import Mastery, learner_masteries, mastery_or_start
from tessera.schools.models import School, User

MASTERED, IN_PROGRESS, READY, LOCKED = "mastered", "in_progress", "ready", "locked"
SATURDAY = 5
STATUS_LABELS = {
    MASTERED: gettext_lazy("mastered"),
    IN_PROGRESS: gettext_lazy("in progress"),
    READY: gettext_lazy("ready"),
    LOCKED: gettext_lazy("locked"),
}


@dataclass
class CompetencyProgress:
    competency: Competency
    status: str
    mastery: Mastery
    item_count: int = 0
    missing: list[Competency] = field(default_factory=list)
    prerequisites: list[Competency] = field(default_factory=list)
    mastered_prerequisites: list[Competency] = field(default_factory=list)

    @property
    def practisable(self) -> bool:
        return self.item_count > 0

    @property
    def level(self) -> float | None:
        return self.mastery.level if self.mastery.started else None

    @property
    def percent(self) -> int | None:
        return self.mastery.percent

    @property
    def attempts(self) -> int:
        return self.mastery.attempts

    @property
    def mastered_at(self) -> datetime | None:
        return self.mastery.mastered_at

    @property
    def review_due_at(self) -> datetime | None:
        return self.mastery.review_due_at

    def review_due(self, now: datetime) -> bool:
        return self.mastery.review_due(now)


@dataclass
class DomainProgress:
    name: str
    competencies: list[CompetencyProgress]

    @property
    def mastered_count(self) -> int:
        return sum(1 for row in self.competencies if row.status == MASTERED)


def frameworks_of(learner: User, school: School) -> list[Framework]:
    """Frameworks the learner may practise in ``school``: the school's own and the shared ones."""
    visible = frameworks_visible_to(learner).filter(Q(school=school) | Q(school__isnull=True))
    return list(visible.order_by("name", "pk"))


def _status(mastery: Mastery, missing: list[Competency]) -> str:
    if mastery.mastered:
        return MASTERED
    if mastery.started:
        return IN_PROGRESS
    return LOCKED if missing else READY


def framework_progress(learner: User, school: School, framework: Framework) -> list[DomainProgress]:
    """Every competency of ``framework`` with the learner's status, grouped by domain in teaching order."""
    competencies = list(
        framework.competencies.select_related("domain")
        .annotate(item_count=Count("items"))
        .order_by("domain__position", "position", "pk")
    )
    by_pk = {c.pk: c for c in competencies}
    states = learner_masteries(school_id=school.pk, learner_id=learner.pk, competency_ids=list(by_pk))
    befores: dict[int, list[Competency]] = defaultdict(list)
    for competency_id, prerequisite_id in Prerequisite.objects.filter(framework=framework).values_list(
        "competency_id", "prerequisite_id"
    ):
        befores[competency_id].append(by_pk[prerequisite_id])
    domains: dict[int, DomainProgress] = {}
    item_counts = {c.pk: c.item_count for c in competencies}
    for competency in competencies:
        mastery = mastery_or_start(states, learner_id=learner.pk, competency_id=competency.pk)
        missing = [
            p
            for p in befores[competency.pk]
            if item_counts[p.pk] and not (p.pk in states and states[p.pk].mastered)
        ]
        row = CompetencyProgress(
            competency=competency,
            status=_status(mastery, missing),
            mastery=mastery,
            item_count=item_counts[competency.pk],
            missing=missing,
            prerequisites=befores[competency.pk],
            mastered_prerequisites=[
                p for p in befores[competency.pk] if p.pk in states and states[p.pk].mastered
            ],
        )
        domain = domains.setdefault(competency.domain_id, DomainProgress(competency.domain.name, []))
        domain.competencies.append(row)
    return list(domains.values())


def next_steps(progress: list[DomainProgress], limit: int = 3) -> list[CompetencyProgress]:
    """What to practise next: started competencies first, then ready ones, in teaching order."""
    rows = [row for domain in progress for row in domain.competencies if row.practisable]
    started = [row for row in rows if row.status == IN_PROGRESS]
    ready = [row for row in rows if row.status == READY]
    return (started + ready)[:limit]


def unlocked_by(learner: User, school: School, competency: Competency) -> list[Competency]:
    """Competencies that ``competency`` (just mastered) was the last missing prerequisite of."""
    followers = Competency.objects.filter(prerequisite_links__prerequisite=competency).order_by(
        "domain__position", "position", "pk"
    )
    mastered = set(
        LearnerCompetencyState.objects.filter(
            school=school, learner=learner, mastered_at__isnull=False
        ).values_list("competency_id", flat=True)
    )
    needed = defaultdict(set)
    practisable = Prerequisite.objects.filter(competency__in=followers, prerequisite__items__isnull=False)
    for follower_id, prerequisite_id in practisable.values_list("competency_id", "prerequisite_id"):
        needed[follower_id].add(prerequisite_id)
    return [c for c in followers if needed[c.pk] <= mastered and c.pk not in mastered]


def reviews_due(learner: User, school: School, now: datetime) -> QuerySet[LearnerCompetencyState]:
    """The learner's mastered competencies whose FSRS review is due, most overdue first."""
    return (
        LearnerCompetencyState.objects.filter(
            school=school, learner=learner, mastered_at__isnull=False, review_due_at__lte=now
        )
        .select_related("competency")
        .order_by("review_due_at", "pk")
    )


def practice_streak(learner: User, school: School, *, today: date, zone: ZoneInfo) -> int:
    """School days in a row, ending today (or the last school day before, if nothing yet today), with at
    least one answer. A weekend without practice does not break a streak; practice on a weekend counts."""
    since = datetime.combine(today - timedelta(days=366), datetime.min.time(), tzinfo=zone)
    days = {
        timezone.localtime(moment, zone).date()
        for moment in Answer.objects.filter(
            school=school, learner=learner, created_at__gte=since
        ).values_list("created_at", flat=True)
    }
    day = today if today in days else _school_day_before(today, days)
    streak = 0
    while day in days:
        streak += 1
        day = _school_day_before(day, days)
    return streak


def _school_day_before(day: date, practised: set[date]) -> date:
    """The day before, skipping weekend days without practice."""
    day -= timedelta(days=1)
    while day.weekday() >= SATURDAY and day not in practised:
        day -= timedelta(days=1)
    return day


def answer_history(learner: User, school: School) -> QuerySet[Answer]:
    """The learner's answers in this school, newest first (paginate it)."""
    return (
        Answer.objects.filter(school=school, learner=learner)
        .select_related("item", "competency")
        .order_by("-created_at", "-pk")
    )
