"""What a guardian reads about their child's practice: what they are working on next and why, what they
have mastered, and their week. Read for the child's progress page, already limited to the guardian's own
children (a current guardianship in that school) and to what the school shares (practice progress is
shared unless the school turned it off); the feed's mastery news links here.

The learner's own pages are in :mod:`tessera.practice.views`; this is the same progress
(:mod:`tessera.practice.progress`), told to the family in the third person and without practice buttons.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum.models import Framework
from tessera.family.feed.models import FeedEvent
from tessera.family.permissions import guardianship_of
from tessera.personalization.sharing.permissions import topics_shared_with_guardians
from tessera.practice import progress
from tessera.practice.models import Answer
from tessera.schools.models import Guardianship, User


@dataclass(frozen=True)
class NextStep:
    row: progress.CompetencyProgress
    why: str


@dataclass(frozen=True)
class FrameworkProgress:
    framework: Framework
    domains: list[progress.DomainProgress]
    next_steps: list[NextStep]

    @property
    def mastered(self) -> int:
        return sum(domain.mastered_count for domain in self.domains)

    @property
    def total(self) -> int:
        return sum(len(domain.competencies) for domain in self.domains)


@dataclass(frozen=True)
class Week:
    """The child's practice since Monday (in the school's time zone)."""

    answers: int
    correct: int
    streak: int


@dataclass(frozen=True)
class ChildProgress:
    """``shared`` is False when the school does not share practice progress with families (then nothing
    else is read)."""

    guardianship: Guardianship
    shared: bool
    frameworks: list[FrameworkProgress]
    week: Week | None


def _why(row: progress.CompetencyProgress, name: str) -> str:
    """Why a competency is a next step, told to the family."""
    if row.status == progress.IN_PROGRESS:
        return _("%(name)s has started it (%(percent)s%% so far) and keeps going until it is mastered") % {
            "name": name,
            "percent": round((row.level or 0) * 100),
        }
    if row.mastered_prerequisites:
        return _("ready: %(name)s mastered %(names)s, which it builds on") % {
            "name": name,
            "names": ", ".join(c.name for c in row.mastered_prerequisites),
        }
    if row.prerequisites:  # only prerequisites without questions, which lock nothing
        return _("ready: nothing has to be mastered before it")
    return _("ready: a starting point, nothing comes before it")


def _week(link: Guardianship, now: datetime.datetime) -> Week:
    zone = link.school.zone
    today = timezone.localtime(now, zone).date()
    monday = today - datetime.timedelta(days=today.weekday())
    since = datetime.datetime.combine(monday, datetime.time(), zone)
    counts = Answer.objects.filter(
        school_id=link.school_id, learner_id=link.learner_id, created_at__gte=since
    ).aggregate(answers=Count("pk"), correct=Count("pk", filter=Q(correct=True)))
    streak = progress.practice_streak(link.learner, link.school, today=today, zone=zone)
    return Week(counts["answers"], counts["correct"], streak)


def child_progress(
    user: User, *, school_id: int, learner_id: int, now: datetime.datetime | None = None
) -> ChildProgress | None:
    """The progress of the user's child in that school, or None when it is not their child there."""
    link = guardianship_of(user, school_id=school_id, learner_id=learner_id)
    if link is None:
        return None
    if FeedEvent.Topic.PRACTICE not in topics_shared_with_guardians(school_id, learner_id):
        return ChildProgress(link, shared=False, frameworks=[], week=None)
    learner, school = link.learner, link.school
    name = learner.first_name or learner.name
    frameworks = []
    for framework in progress.frameworks_of(learner, school):
        domains = progress.framework_progress(learner, school, framework)
        steps = [NextStep(row, _why(row, name)) for row in progress.next_steps(domains)]
        frameworks.append(FrameworkProgress(framework, domains, steps))
    return ChildProgress(link, shared=True, frameworks=frameworks, week=_week(link, now or timezone.now()))
