"""Item statistics (issue 26, part 6): how an item of the bank fares once learners answer it.

Per item *lineage* (every version of one question) and per version: how many answers, the share right, the
mean time on the item (of the answers whose client measured it), and plain-language flags for an item that
looks broken. The answers are those of the schools the reader is staff of (a shared framework's item is
answered in many schools; each school reads its own learners only).

Practice owns these figures because it owns the answers; curriculum never imports practice, so the item
pages link here (``/school/<school_id>/items/<item_id>/statistics/``) instead of reading answers.

Reads cost a fixed number of queries whatever the number of answers: the item's versions, the answers to
them, and one aggregate of the same learners' other answers in the framework.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from statistics import fmean

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from tessera.curriculum.models import Item
from tessera.curriculum.permissions import frameworks_with_answers_for, schools_staffed_by
from tessera.practice.models import Answer
from tessera.schools.models import School, User

MIN_ANSWERS_FOR_FLAG = 10
"""No flag before this many answers: with fewer, one unlucky class period looks like a broken item (three
wrong answers out of three happen to a good item far too often to call it broken)."""

EVERYONE_WRONG_BELOW = 0.10
""""Everyone got it wrong": fewer than one answer in ten right. Even a hard item in reach is answered right
more often than that (practice offers items in the target band of predicted success), and guessing alone
gets a multiple-choice item with four options right one time in four: this low, the marked answer itself
is likely wrong, or the stem does not ask what the teacher meant."""

MIN_LEARNERS_FOR_DISCRIMINATION = 10
"""Comparing stronger and weaker learners needs at least this many learners (five in each half): with fewer,
the halves' shares swing with a single learner."""

DISCRIMINATION_MARGIN = 0.10
"""Flag an item whose stronger half answers right less often than its weaker half by more than this (ten
percentage points): a tie or a small gap is noise; a good item is answered right more often by those who
do better on the rest of the framework, so the strong missing it more suggests a misleading stem, a wrong
answer key, or a trick that punishes understanding."""


@dataclass(frozen=True)
class Flag:
    code: str  # stable, for the API: "everyone_wrong", "negative_discrimination"
    text: str  # in the reader's language


@dataclass(frozen=True)
class Figures:
    """Answers, share right, mean time and flags of one set of answers (a version, or all of them)."""

    answers: int
    right: int
    learners: int
    mean_seconds: float | None
    stronger_share_right: float | None  # of the learners in the top half on the rest of the framework
    weaker_share_right: float | None
    flags: tuple[Flag, ...]

    @property
    def share_right(self) -> float | None:
        return self.right / self.answers if self.answers else None

    @property
    def percent_right(self) -> int | None:
        share = self.share_right
        return None if share is None else round(share * 100)


@dataclass(frozen=True)
class VersionStatistics:
    item: Item  # the version's row
    figures: Figures


@dataclass(frozen=True)
class ItemStatistics:
    item: Item  # the newest version
    first_version_id: int
    overall: Figures
    versions: tuple[VersionStatistics, ...]  # oldest first

    @property
    def empty(self) -> bool:
        return self.overall.answers == 0


@dataclass(frozen=True)
class _Answer:
    item_id: int
    learner_id: int
    correct: bool
    seconds: int | None


def items_with_statistics_for(user: User, school: School | None = None) -> QuerySet[Item]:
    """Items whose statistics ``user`` may read: items (every version) of the frameworks whose answers they
    may see (:func:`tessera.curriculum.permissions.frameworks_with_answers_for`: staff of the school, or
    of any school for a shared framework); with ``school``, only the school's frameworks and shared ones,
    and only when ``user`` is staff of ``school``."""
    items = Item.objects.filter(framework__in=frameworks_with_answers_for(user))
    if school is not None:
        if not schools_staffed_by(user).filter(pk=school.pk).exists():
            return Item.objects.none()
        items = items.filter(Q(framework__school=school) | Q(framework__school__isnull=True))
    return items.select_related("framework")


def can_view_item_statistics(user: User, item: Item, school: School | None = None) -> bool:
    return items_with_statistics_for(user, school).filter(pk=item.pk).exists()


def item_statistics(item: Item, *, school_ids: Collection[int]) -> ItemStatistics:
    """The statistics of ``item``'s lineage from the answers given in ``school_ids`` (the caller scopes:
    the schools the reader is staff of)."""
    first_id = item.first_version_id
    versions = list(Item.objects.filter(Q(pk=first_id) | Q(lineage_id=first_id)).order_by("version", "pk"))
    version_ids = [version.pk for version in versions]
    answers = [
        _Answer(*row)
        for row in Answer.objects.filter(item_id__in=version_ids, school_id__in=list(school_ids))
        .order_by()
        .values_list("item_id", "learner_id", "correct", "seconds")
    ]
    rest = _rest_shares(
        item.framework_id, version_ids, {a.learner_id for a in answers}, school_ids=school_ids
    )
    newest = max(versions, key=lambda version: (version.version, version.pk))
    return ItemStatistics(
        item=newest,
        first_version_id=first_id,
        overall=_figures(answers, rest),
        versions=tuple(
            VersionStatistics(version, _figures([a for a in answers if a.item_id == version.pk], rest))
            for version in versions
        ),
    )


def _rest_shares(
    framework_id: int, version_ids: list[int], learner_ids: set[int], *, school_ids: Collection[int]
) -> dict[int, float]:
    """Each learner's share right on the framework's other items (the item's own answers left out, so the
    item cannot make its own answerers look strong: the usual item-rest comparison). Learners without
    other answers are absent."""
    if not learner_ids:
        return {}
    rows = (
        Answer.objects.filter(
            school_id__in=list(school_ids),
            learner_id__in=list(learner_ids),
            item__framework_id=framework_id,
        )
        .exclude(item_id__in=version_ids)
        .order_by()
        .values("learner_id")
        .annotate(answers=Count("pk"), right=Count("pk", filter=Q(correct=True)))
    )
    return {row["learner_id"]: row["right"] / row["answers"] for row in rows if row["answers"]}


def _figures(answers: list[_Answer], rest: dict[int, float]) -> Figures:
    timed = [a.seconds for a in answers if a.seconds is not None]
    right = sum(a.correct for a in answers)
    per_learner: dict[int, list[bool]] = defaultdict(list)
    for answer in answers:
        per_learner[answer.learner_id].append(answer.correct)
    stronger, weaker = _halves(per_learner, rest)
    flags = []
    if len(answers) >= MIN_ANSWERS_FOR_FLAG and right / len(answers) < EVERYONE_WRONG_BELOW:
        flags.append(Flag("everyone_wrong", _("Everyone got it wrong")))
    if stronger is not None and weaker is not None and stronger < weaker - DISCRIMINATION_MARGIN:
        flags.append(
            Flag("negative_discrimination", _("Stronger learners miss it more often than weaker ones"))
        )
    return Figures(
        answers=len(answers),
        right=right,
        learners=len(per_learner),
        mean_seconds=round(fmean(timed), 1) if timed else None,
        stronger_share_right=stronger,
        weaker_share_right=weaker,
        flags=tuple(flags),
    )


def _halves(per_learner: dict[int, list[bool]], rest: dict[int, float]) -> tuple[float | None, float | None]:
    """The mean share right on the item of the learners in the top half and in the bottom half by their
    share right on the rest of the framework (each learner counts once; with an odd number the middle one
    is left out); (None, None) with fewer than ``MIN_LEARNERS_FOR_DISCRIMINATION`` learners ranked."""
    ranked = sorted((rest[learner], learner) for learner in per_learner if learner in rest)
    if len(ranked) < MIN_LEARNERS_FOR_DISCRIMINATION:
        return None, None
    half = len(ranked) // 2

    def share(learners: Iterable[tuple[float, int]]) -> float:
        return round(fmean(fmean(per_learner[learner]) for _, learner in learners), 4)

    return share(ranked[-half:]), share(ranked[:half])


def statistics_school_ids(user: User, school_id: int | None = None) -> list[int] | None:
    """The schools whose answers ``user`` reads statistics of: ``school_id`` when they are its staff (None
    when not), else every school they are staff of."""
    staffed = schools_staffed_by(user)
    if school_id is not None:
        staffed = staffed.filter(pk=school_id)
        return [school_id] if staffed.exists() else None
    return list(staffed.values_list("pk", flat=True))
