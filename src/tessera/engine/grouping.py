"""Flexible groups from mastery estimates: who works together on an objective, and why.

A teacher groups a class for one objective (one or several competencies). Each learner's **score** is their
mean mastery level over the objective's competencies (a level not given counts as 0). Learners are sorted by
score and cut into contiguous groups that minimise the within-group sum of squared deviations: the exact
1-D optimum (Fisher's dynamic programme, as in Jenks' natural breaks), so the grouping is the best possible
on the scores, not a heuristic one. In one dimension the best partition is always contiguous (a learner
is in the group whose centre is nearest), which is why cutting the sorted list loses nothing.

Then the teacher's constraints: a **pin** puts a learner in a fixed group (the programme runs on the other
learners, with the pinned ones counted in their group's size and centre), and an **apart** pair is never
in one group (a violating pair is repaired by moving one of them, or swapping when every group is full,
to the nearest-centre group that takes them; a pin is never broken). A learner with too few answers on
the objective is never grouped by a guess: they are listed as needing evidence unless the teacher pinned
them.

Results carry reason *codes* with their values (``Reason("average_level", {"percent": 72})``); the Django
side turns them into sentences in the reader's language. Everything is deterministic: the same input gives
the same output whatever the learners' order (ties go by learner key).

:func:`regrouping_moves` keeps groups stable as learners practise: it proposes moving a learner only when
their score really changed and another group is clearly closer (a hysteresis band), so a learner on a
boundary does not flip between groups with every answer.

Examples
--------
>>> class_ = [
...     LearnerEvidence("ana", {"add": 0.9, "sub": 0.8}, {"add": 6, "sub": 5}, frozenset({"add"})),
...     LearnerEvidence("ben", {"add": 0.2, "sub": 0.1}, {"add": 4, "sub": 3}),
...     LearnerEvidence("cat", {"add": 0.85, "sub": 0.9}, {"add": 5, "sub": 6}, frozenset({"add", "sub"})),
...     LearnerEvidence("dan", {"add": 0.4}, {"add": 4}),
...     LearnerEvidence("eve", {"add": 0.5}, {"add": 1}),
... ]
>>> grouping = group_learners(class_, GroupingRules(("add", "sub"), groups=2))
>>> [[p.learner for p in group.placements] for group in grouping.groups]
[['ben', 'dan'], ['ana', 'cat']]
>>> grouping.groups[1].placements[1].reasons[0]
Reason(code='mastered_count', values={'mastered': 2, 'of': 2})
>>> grouping.not_enough_evidence[0].reasons
(Reason(code='not_enough_evidence', values={'answers': 1, 'needed': 3}),)
>>> grouping.group_of("dan"), grouping.group_of("eve")
(0, None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tessera.engine.mastery import shown_percent

FloatArray = npt.NDArray[np.float64]

PREREQUISITE_BELOW = 0.40
"""Below this level on every prerequisite, a competency's weakness is explained by its foundations
("below_on_prerequisites"): the learner needs the earlier step first, not more of the same."""

# Reason codes: the Django side has one sentence per code (values in braces).
MASTERED_COUNT = "mastered_count"  # {"mastered": k, "of": n}, objectives with several competencies
AVERAGE_LEVEL = "average_level"  # {"percent": p}
BELOW_ON_PREREQUISITES = "below_on_prerequisites"  # {"competency", "prerequisites", "percent"}
PINNED = "pinned"  # {"group": index}
KEPT_APART = "kept_apart"  # {"with": learner}: moved so as not to be with that learner
SWAPPED = "swapped"  # {"with": learner}: moved to make room for a learner kept apart from someone
NOT_ENOUGH_EVIDENCE = "not_enough_evidence"  # {"answers": n, "needed": m}
MOVED_UP, MOVED_DOWN = "moved_up", "moved_down"  # {"from_percent", "to_percent"}, when the old score is known
CLOSER_TO_GROUP = "closer_to_group"  # {"percent": learner, "group_percent": the new group's centre}
ENOUGH_EVIDENCE_NOW = "enough_evidence_now"  # {"answers": n, "needed": m}: was not grouped, now is

# GroupingError codes.
MORE_GROUPS_THAN_LEARNERS = "more_groups_than_learners"
PIN_CONTRADICTS_APART = "pin_contradicts_apart"
APART_IMPOSSIBLE = "apart_impossible"
PIN_OUT_OF_RANGE = "pin_out_of_range"
BAD_SIZE = "bad_size"
NO_COMPETENCIES = "no_competencies"


class GroupingError(ValueError):
    """Rules that cannot be met; ``code`` says which (the Django side shows its own words for it)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class LearnerEvidence:
    """What the grouping knows of one learner: levels (0-1), answers and mastered set per competency."""

    learner: str
    levels: Mapping[str, float]
    attempts: Mapping[str, int]
    mastered: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GroupingRules:
    """The objective's competencies, how many groups (``groups``) or how large (``max_size``), and the
    teacher's constraints. Pins and apart pairs naming learners not in the class are ignored (a learner
    who left keeps no power over the others)."""

    competencies: tuple[str, ...]
    groups: int | None = None
    max_size: int | None = None
    pins: Mapping[str, int] = field(default_factory=dict)
    apart: tuple[frozenset[str], ...] = ()
    prerequisites: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    min_evidence: int = 3


@dataclass(frozen=True)
class Reason:
    """Why, as a code and the values its sentence needs (see the module's reason codes)."""

    code: str
    values: Mapping[str, object]


@dataclass(frozen=True)
class Placement:
    """One learner's group (-1 when not grouped for lack of evidence), score and reasons."""

    learner: str
    group: int
    score: float
    pinned: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Group:
    """One group: members by score, and its centre (the mean score of its members with enough evidence;
    a learner pinned without evidence has no real score to count)."""

    index: int
    placements: tuple[Placement, ...]
    centre: float


@dataclass(frozen=True)
class Grouping:
    """Groups ordered by centre, lowest first (a pin keeps the teacher's index even when the learners
    pinned there outweigh the rest), and the learners still needing evidence."""

    groups: tuple[Group, ...]
    not_enough_evidence: tuple[Placement, ...]

    def group_of(self, learner: str) -> int | None:
        """The learner's group index, or None when they are not in a group."""
        for group in self.groups:
            if any(placement.learner == learner for placement in group.placements):
                return group.index
        return None


@dataclass(frozen=True)
class Move:
    """A proposed change of group (``from_group`` -1: the learner was not grouped yet)."""

    learner: str
    from_group: int
    to_group: int
    score_then: float | None
    score_now: float
    reasons: tuple[Reason, ...]


def objective_score(evidence: LearnerEvidence, competencies: Sequence[str]) -> float:
    """Mean level over ``competencies`` (a level not given counts as 0).

    >>> objective_score(LearnerEvidence("a", {"x": 0.9, "y": 0.5}, {}), ("x", "y", "z"))
    0.466...
    """
    return sum(evidence.levels.get(code, 0.0) for code in competencies) / len(competencies)


def objective_answers(evidence: LearnerEvidence, competencies: Sequence[str]) -> int:
    """Answers summed over ``competencies``."""
    return sum(evidence.attempts.get(code, 0) for code in competencies)


def group_learners(learners: Sequence[LearnerEvidence], rules: GroupingRules) -> Grouping:
    """Group ``learners`` for the objective in ``rules``; see the module docstring for the method.

    Raises
    ------
    GroupingError
        With ``code`` ``no_competencies``, ``bad_size``, ``more_groups_than_learners``,
        ``pin_out_of_range``, ``pin_contradicts_apart`` or ``apart_impossible``.

    Examples
    --------
    >>> ones = [LearnerEvidence(k, {"x": v}, {"x": 5}) for k, v in [("a", .1), ("b", .2), ("c", .9)]]
    >>> group_learners(ones, GroupingRules(("x",), groups=2, pins={"c": 0})).group_of("c")
    0
    >>> try:
    ...     group_learners(ones, GroupingRules(("x",), groups=4))
    ... except GroupingError as error:
    ...     print(error.code, "-", error)
    more_groups_than_learners - 4 groups asked for, but only 3 learners can be grouped
    """
    _check_rules(rules)
    class_ = _Class(learners, rules)
    if rules.groups is not None:
        count = rules.groups
        cap, smallest = class_.size_band(count, class_.pins)
    else:
        assert rules.max_size is not None
        count = -(-len(class_.placeable(class_.pins)) // rules.max_size)
        cap, smallest = rules.max_size, len(class_.placeable(class_.pins)) // max(count, 1)
    return class_.group(count, cap, smallest, rules.pins)


def regrouping_moves(
    learners: Sequence[LearnerEvidence],
    rules: GroupingRules,
    current: Mapping[str, int],
    *,
    scores_then: Mapping[str, float] | None = None,
    threshold: float = 0.15,
    hysteresis: float = 0.05,
    fixed: frozenset[str] = frozenset(),
) -> tuple[Move, ...]:
    """Moves worth proposing from the ``current`` groups (learner -> index; -1 or absent: not grouped).

    The grouping is recomputed with the same rules and as many groups as ``current`` uses, ``fixed``
    learners held where they are; it names where each learner would go. A grouped learner is proposed to
    move there only when (1) their score moved by at least ``threshold`` since ``scores_then`` (when their
    old score is known) and (2) that group's centre is nearer their score than their own group's centre by
    more than ``hysteresis``, both centres taken over the groups as they are now, the learner counted in
    their own (so a recomputed split that jumps elsewhere on near-equal costs moves nobody who is not
    clearly closer to another group; a learner alone in a group is compared with the recomputed centre of
    that group instead). (1) ignores the wobble of a few answers; (2) keeps a learner halfway between two
    groups where they are. Pinned and ``fixed`` learners never move, and no move puts an apart pair
    together. A learner not grouped yet who now has enough evidence is proposed with ``from_group`` -1.

    Raises
    ------
    GroupingError
        As :func:`group_learners`, for the recomputed grouping.

    Examples
    --------
    >>> ones = [LearnerEvidence(k, {"x": v}, {"x": 5}) for k, v in [("a", .1), ("b", .2), ("c", .9)]]
    >>> rules = GroupingRules(("x",), groups=2)
    >>> regrouping_moves(ones, rules, {"a": 0, "b": 0, "c": 1})
    ()
    >>> slipped = LearnerEvidence("c", {"x": 0.15}, {"x": 9})  # c fell back; d is new
    >>> later = [*ones[:2], slipped, LearnerEvidence("d", {"x": 0.8}, {"x": 4})]
    >>> moves = regrouping_moves(later, rules, {"a": 0, "b": 0, "c": 1}, scores_then={"c": 0.9})
    >>> [(m.learner, m.from_group, m.to_group) for m in moves]
    [('c', 1, 0), ('d', -1, 1)]
    """
    _check_rules(rules)
    class_ = _Class(learners, rules)
    used = [index for index in current.values() if index >= 0]
    placeable = len(class_.placeable(class_.pins))
    if used:
        count = max(used) + 1
    elif rules.groups is not None:
        count = rules.groups
    else:
        assert rules.max_size is not None
        count = -(-placeable // rules.max_size)
    pins = dict(class_.pins)
    for learner in sorted(fixed):
        where = current.get(learner, -1)
        clash = any(pins.get(other) == where for other in class_.partners.get(learner, ()))
        if learner in class_.by_key and learner not in pins and 0 <= where < count and not clash:
            pins[learner] = where
    if rules.max_size is not None:
        room = count * rules.max_size >= len(class_.placeable(pins))
        cap, smallest = (rules.max_size if room else None), placeable // max(count, 1)
    else:
        cap, smallest = class_.size_band(count, pins)
    regrouped = class_.group(count, cap, smallest, pins)
    recomputed = {group.index: group.centre for group in regrouped.groups}
    members: dict[int, list[str]] = {}
    for key, where in sorted(current.items()):
        if 0 <= where < count and key in class_.by_key:
            members.setdefault(where, []).append(key)
    now_centre = {index: class_.centre(keys) for index, keys in members.items()}  # the groups as they are
    arrangement = {learner: index for learner, index in current.items() if index >= 0}
    moves = []
    candidates = sorted((p for g in regrouped.groups for p in g.placements), key=lambda p: p.learner)
    for placement in candidates:
        learner, target = placement.learner, placement.group
        if learner in fixed or learner in class_.pins:
            continue
        origin = current.get(learner, -1)
        if origin == target or origin >= count:
            continue
        then = None if scores_then is None else scores_then.get(learner)
        now = placement.score
        if origin >= 0:
            if then is not None and abs(now - then) < threshold:
                continue
            # alone in a group, its centre is the learner's own score and they could never leave
            here = now_centre[origin] if len(members[origin]) > 1 else recomputed[origin]
            there = now_centre.get(target, recomputed[target])
            if abs(now - here) - abs(now - there) <= hysteresis:
                continue
        if any(arrangement.get(other) == target for other in class_.partners.get(learner, ())):
            continue
        arrangement[learner] = target
        reasons: list[Reason] = []
        if origin < 0:
            answers = objective_answers(class_.by_key[learner], rules.competencies)
            reasons.append(Reason(ENOUGH_EVIDENCE_NOW, {"answers": answers, "needed": rules.min_evidence}))
        else:
            if then is not None:
                code = MOVED_UP if target > origin else MOVED_DOWN
                values = {"from_percent": shown_percent(then), "to_percent": shown_percent(now)}
                reasons.append(Reason(code, values))
            values = {"percent": shown_percent(now), "group_percent": shown_percent(there)}
            reasons.append(Reason(CLOSER_TO_GROUP, values))
        reasons.extend(r for r in placement.reasons if r.code not in (KEPT_APART, SWAPPED))
        moves.append(Move(learner, origin, target, then, now, tuple(reasons)))
    return tuple(moves)


# ---------------------------------------------------------------------------------------------- internals


def _check_rules(rules: GroupingRules) -> None:
    if not rules.competencies:
        raise GroupingError(NO_COMPETENCIES, "the objective names no competency to group on")
    if (rules.groups is None) == (rules.max_size is None):
        raise GroupingError(BAD_SIZE, "give either a number of groups or a maximum group size, not both")
    size = rules.groups if rules.groups is not None else rules.max_size
    if size is not None and size < 1:
        raise GroupingError(
            BAD_SIZE, f"the number of groups or the group size must be at least 1, got {size}"
        )
    for pair in rules.apart:
        if len(pair) != 2:
            raise ValueError(f"an apart constraint names exactly two learners, got {sorted(pair)}")


class _Class:
    """The learners' scores and evidence, and the constraints that concern them."""

    def __init__(self, learners: Sequence[LearnerEvidence], rules: GroupingRules) -> None:
        self.rules = rules
        self.by_key: dict[str, LearnerEvidence] = {}
        for evidence in learners:
            if evidence.learner in self.by_key:
                raise ValueError(f"learner {evidence.learner!r} appears more than once")
            self.by_key[evidence.learner] = evidence
        codes = rules.competencies
        self.score = {key: objective_score(e, codes) for key, e in self.by_key.items()}
        self.answers = {key: objective_answers(e, codes) for key, e in self.by_key.items()}
        self.evidenced = {key for key, n in self.answers.items() if n >= rules.min_evidence}
        self.pins = {key: index for key, index in rules.pins.items() if key in self.by_key}
        self.partners: dict[str, set[str]] = {}
        for pair in rules.apart:
            one, other = sorted(pair)
            if one in self.by_key and other in self.by_key:
                self.partners.setdefault(one, set()).add(other)
                self.partners.setdefault(other, set()).add(one)

    def size_band(self, count: int, pins: Mapping[str, int]) -> tuple[int, int]:
        """The sizes ``count`` groups may take: a teacher who asks for three groups of a class of 24 expects
        groups of about eight, not 2, 3 and 19 (which the scores alone can give when most of the class
        masters the objective). Each group holds half to one and a half times the even share (the
        teacher's pins may fill one beyond that)."""
        total = len(self.placeable(pins))
        most_pinned = max(
            (sum(1 for g in pins.values() if g == index) for index in set(pins.values())), default=0
        )
        return max(-(-3 * total // (2 * count)), most_pinned), max(1, total // (2 * count))

    def group(self, count: int, cap: int | None, smallest: int, pins: Mapping[str, int]) -> Grouping:
        waiting = tuple(
            Placement(key, -1, self.score[key], False, (self._not_enough(key),))
            for key in sorted(self.by_key)
            if key not in self.evidenced and key not in pins
        )
        if not self.placeable(pins) and cap is not None:
            return Grouping((), waiting)
        self._check_constraints(count, cap, pins)
        members = self._partition(count, cap, smallest, pins)
        moved: dict[str, Reason] = {}
        if self.partners:
            self._keep_apart(members, cap, pins, moved)
        groups = []
        for index, keys in enumerate(members):
            placements = tuple(
                self._placement(key, index, key in pins, moved.get(key))
                for key in sorted(keys, key=lambda k: (self.score[k], k))
            )
            groups.append(Group(index, placements, self.centre(keys)))
        return Grouping(tuple(groups), waiting)

    def placeable(self, pins: Mapping[str, int]) -> list[str]:
        """Learners who go into a group: those with enough evidence, and those pinned."""
        return sorted(self.evidenced | set(pins))

    def _check_constraints(self, count: int, cap: int | None, pins: Mapping[str, int]) -> None:
        placeable = self.placeable(pins)
        total = len(placeable)
        if count > total:
            raise GroupingError(
                MORE_GROUPS_THAN_LEARNERS,
                f"{count} groups asked for, but only {total} learners can be grouped",
            )
        for key, index in sorted(pins.items()):
            if not 0 <= index < count:
                raise GroupingError(
                    PIN_OUT_OF_RANGE, f"{key} is pinned to group {index + 1}, but there are {count} groups"
                )
        if cap is not None:
            for index in sorted(set(pins.values())):
                pinned = sum(1 for where in pins.values() if where == index)
                if pinned > cap:
                    raise GroupingError(
                        BAD_SIZE, f"{pinned} learners are pinned to group {index + 1}, more than {cap}"
                    )
        free = total - len(pins)
        if count - len(set(pins.values())) > free:
            raise GroupingError(
                MORE_GROUPS_THAN_LEARNERS,
                f"{count} groups asked for, but the learners who are not pinned cannot fill the "
                f"{count - len(set(pins.values()))} groups without a pinned learner",
            )
        for key in sorted(self.partners):
            for other in sorted(self.partners[key]):
                if key < other and key in pins and pins.get(other) == pins[key]:
                    raise GroupingError(
                        PIN_CONTRADICTS_APART,
                        f"{key} and {other} must be kept apart but are both pinned to group {pins[key] + 1}",
                    )
                placed = key in placeable and other in placeable
                if placed and key < other and count == 1:
                    raise GroupingError(
                        APART_IMPOSSIBLE, f"{key} and {other} must be kept apart, but there is one group"
                    )

    def _partition(
        self, count: int, cap: int | None, smallest: int, pins: Mapping[str, int]
    ) -> list[list[str]]:
        """Fisher's exact programme on the sorted free learners, each group's cost including its pins."""
        placeable = self.placeable(pins)
        free = sorted((k for k in placeable if k not in pins), key=lambda k: (self.score[k], k))
        scores = np.array([self.score[k] for k in free], dtype=np.float64)
        shift = float(scores.mean()) if len(scores) else 0.0  # centred sums keep the subtraction exact
        values = scores - shift
        s1 = np.concatenate(([0.0], np.cumsum(values)))
        s2 = np.concatenate(([0.0], np.cumsum(values * values)))
        pinned_size = [0] * count
        pinned_n, pinned_s1, pinned_s2 = [0] * count, [0.0] * count, [0.0] * count
        for key, index in pins.items():
            pinned_size[index] += 1
            if key in self.evidenced:
                value = self.score[key] - shift
                pinned_n[index] += 1
                pinned_s1[index] += value
                pinned_s2[index] += value * value
        for lower in (smallest, 1):  # balanced sizes when they can be met, else any sizes under the cap
            cuts = self._cuts(values, s1, s2, count, cap, lower, pinned_size, pinned_n, pinned_s1, pinned_s2)
            if cuts is not None:
                return [
                    [*free[cuts[index] : cuts[index + 1]], *sorted(k for k, g in pins.items() if g == index)]
                    for index in range(count)
                ]
        raise AssertionError("no partition meets the group sizes")  # ruled out by _check_constraints

    @staticmethod
    def _cuts(
        values: FloatArray,
        s1: FloatArray,
        s2: FloatArray,
        count: int,
        cap: int | None,
        lower: int,
        pinned_size: list[int],
        pinned_n: list[int],
        pinned_s1: list[float],
        pinned_s2: list[float],
    ) -> list[int] | None:
        free = len(values)
        best = np.full(free + 1, np.inf)
        best[0] = 0.0
        choice = np.zeros((count, free + 1), dtype=np.int64)
        for index in range(count):
            least = max(lower - pinned_size[index], 0 if pinned_size[index] else 1)
            most = free if cap is None else cap - pinned_size[index]
            new = np.full(free + 1, np.inf)
            for end in range(free + 1):
                starts = np.arange(max(0, end - most), end - least + 1)
                if len(starts) == 0:
                    continue
                n = (end - starts) + pinned_n[index]
                total = s1[end] - s1[starts] + pinned_s1[index]
                square = s2[end] - s2[starts] + pinned_s2[index]
                with np.errstate(invalid="ignore", divide="ignore"):
                    cost = np.where(n > 0, square - total * total / np.maximum(n, 1), 0.0)
                options = best[starts] + np.maximum(cost, 0.0)
                pick = int(np.argmin(options))  # the first of equal costs: deterministic
                new[end] = options[pick]
                choice[index, end] = starts[pick]
            best = new
        if not np.isfinite(best[free]):
            return None
        cuts = [free]
        for index in range(count - 1, -1, -1):
            cuts.append(int(choice[index, cuts[-1]]))
        return cuts[::-1]

    def _keep_apart(
        self, members: list[list[str]], cap: int | None, pins: Mapping[str, int], moved: dict[str, Reason]
    ) -> None:
        """Repair apart pairs one at a time: move (or swap) one of the pair to the group whose centre is
        nearest their score. Each repair removes a violation and adds none, so this ends."""
        while True:
            where = {key: index for index, keys in enumerate(members) for key in keys}
            violations = sorted(
                (key, other)
                for key, others in self.partners.items()
                for other in others
                if key < other and key in where and where.get(other) == where[key]
            )
            if not violations:
                return
            key, other = violations[0]
            options = []
            for mover, stays in ((key, other), (other, key)):
                if mover in pins:
                    continue
                source = where[mover]
                for target, keys in enumerate(members):
                    if target == source or self.partners[mover] & set(keys):
                        continue
                    distance = abs(self.score[mover] - self.centre(keys))
                    if cap is None or len(keys) < cap:
                        options.append((distance, 0.0, mover, target, "", stays))
                        continue
                    for swap in keys:
                        fits = not (self.partners.get(swap, set()) & (set(members[source]) - {mover}))
                        if swap not in pins and fits:
                            gap = abs(self.score[swap] - self.score[mover])
                            options.append((distance, gap, mover, target, swap, stays))
            if not options:
                raise GroupingError(
                    APART_IMPOSSIBLE,
                    f"{key} and {other} must be kept apart, but neither can move to another group",
                )
            _, _, mover, target, swap, stays = min(options)
            source = where[mover]
            members[source].remove(mover)
            members[target].append(mover)
            moved[mover] = Reason(KEPT_APART, {"with": stays})
            if swap:
                members[target].remove(swap)
                members[source].append(swap)
                moved[swap] = Reason(SWAPPED, {"with": mover})

    def centre(self, keys: Sequence[str]) -> float:
        scored = [self.score[k] for k in keys if k in self.evidenced] or [self.score[k] for k in keys]
        return sum(scored) / len(scored) if scored else 0.0

    def _not_enough(self, key: str) -> Reason:
        return Reason(NOT_ENOUGH_EVIDENCE, {"answers": self.answers[key], "needed": self.rules.min_evidence})

    def _placement(self, key: str, index: int, pinned: bool, moved: Reason | None) -> Placement:
        reasons = [Reason(PINNED, {"group": index})] if pinned else []
        if moved is not None:
            reasons.append(moved)
        if key in self.evidenced:
            reasons.extend(self._evidence_reasons(key))
        else:
            reasons.append(self._not_enough(key))
        return Placement(key, index, self.score[key], pinned, tuple(reasons))

    def _evidence_reasons(self, key: str) -> list[Reason]:
        evidence, codes = self.by_key[key], self.rules.competencies
        reasons = []
        if len(codes) > 1:
            mastered = sum(1 for code in codes if code in evidence.mastered)
            reasons.append(Reason(MASTERED_COUNT, {"mastered": mastered, "of": len(codes)}))
        reasons.append(Reason(AVERAGE_LEVEL, {"percent": shown_percent(self.score[key])}))
        for code in codes:
            before = self.rules.prerequisites.get(code, ())
            struggling = evidence.levels.get(code, 0.0) < 0.5 and code not in evidence.mastered
            if not (before and struggling):
                continue
            # Only what the evidence shows: a prerequisite never practised says nothing either way.
            if all(
                evidence.attempts.get(p, 0) and evidence.levels.get(p, 0.0) < PREREQUISITE_BELOW
                for p in before
            ):
                values = {
                    "competency": code,
                    "prerequisites": tuple(before),
                    "percent": shown_percent(PREREQUISITE_BELOW),
                }
                reasons.append(Reason(BELOW_ON_PREREQUISITES, values))
        return reasons
