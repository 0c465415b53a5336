"""Grouping benchmark: are the learners Tessera groups together alike in what they TRULY know?

Usage (from the repository root)::

    python benchmarks/grouping.py [--classes 20] [--learners 30] [--weeks 6] [--groups 3] [--seed 11] [--json]

Simulated classes (``tessera.engine.simulate``: hidden known / not-known skills, a prerequisite chain of 8
competencies) practise for a few weeks at their own pace, each learner moving on when the mastery rule
says mastered (or after ``MOVE_ON_AFTER`` items). The platform sees only what the app would: the mastery
figure of the real ``MasteryTracker`` / ``mastery_step`` fed the simulated answers (BKT fitted on another
simulated cohort), answer counts and the mastered set. The TRUE state comes from the simulator.

Reported: (1) the within-group variance of the true number of competencies known (pooled: mean squared
distance of each learner from their group's mean) for Tessera's grouping, random groups, an alphabetical
split and an oracle that groups on the true state, all with the same group count; (2) stability: learners
moved per class per week by ``regrouping_moves`` (defaults) against regrouping from scratch every week;
(3) CPU time to group one class of 35 learners on 100 competencies (median of repeats).
See benchmarks/README.md for the method and today's table.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import string
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tessera.engine.grouping import (  # noqa: E402
    GroupingRules,
    LearnerEvidence,
    group_learners,
    regrouping_moves,
)
from tessera.engine.mastery import MasteryPolicy, MasteryRecord, MasteryTracker, mastery_step  # noqa: E402
from tessera.engine.simulate import (  # noqa: E402
    ASSISTMENTS_2009_DYNAMICS,
    CompetencyDynamics,
    SimulatedLearner,
    SimulationParameters,
    chain_curriculum,
    cohort_seeds,
    practice_log,
)
from tessera.engine.tracing import BayesianKnowledgeTracing  # noqa: E402

# --- the generative assumptions (hidden from the grouping) --------------------------------------------------
CURRICULUM_SIZE = 8
START_PRIOR = 0.1  # start of the year: each competency known beforehand by 10% of learners
PENALTY = 0.3  # learning without the prerequisite known: 30% of the normal chance
ITEMS_PER_WEEK = (5, 40)  # each learner's own pace, drawn once: classes mix keen and reluctant learners
MOVE_ON_AFTER = 15  # items on one competency after which the learner moves on without mastery
DAYS_PER_WEEK = 7  # forgetting between weeks (SimulatedLearner.rest)
MASTERY = MasteryPolicy(threshold=0.9, min_evidence=3)
TRAIN_SEED, TRAIN_SIZE = 1, 300
FIRST_GROUPING_WEEK = 2  # the teacher groups after two weeks, then regroups weekly
RANDOM_DRAWS = 50  # random groupings per class (their mean is the baseline)
TIMING_LEARNERS, TIMING_COMPETENCIES, TIMING_REPEATS = 35, 100, 101


def curriculum() -> SimulationParameters:
    """8 competencies in a chain with the built-in fitted ASSISTments 2009 dynamics, prior lowered."""
    dynamics = [ASSISTMENTS_2009_DYNAMICS[n % len(ASSISTMENTS_2009_DYNAMICS)] for n in range(CURRICULUM_SIZE)]
    lowered = [CompetencyDynamics(START_PRIOR, d.learn, d.guess, d.slip, d.forget) for d in dynamics]
    return chain_curriculum(lowered, penalty=PENALTY)


@dataclass
class Pupil:
    """One simulated learner: the hidden truth and what the platform records."""

    key: str
    hidden: SimulatedLearner
    pace: int
    records: dict[str, MasteryRecord] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)

    def practise_week(self, tracker: MasteryTracker, competencies: Sequence[str]) -> None:
        for _ in range(self.pace):
            current = next(
                (
                    c
                    for c in competencies
                    if not self.records.get(c, MasteryRecord(0.0)).mastered
                    and self.attempts.get(c, 0) < MOVE_ON_AFTER
                ),
                None,
            )
            if current is None:
                return  # the whole chain done
            record = self.records.get(current) or MasteryRecord(tracker.start(current))
            step = mastery_step(tracker, current, record, self.hidden.answer(current), policy=MASTERY)
            self.records[current] = step.after
            self.attempts[current] = self.attempts.get(current, 0) + 1
        self.hidden.rest(DAYS_PER_WEEK)

    def evidence(self, tracker: MasteryTracker, competencies: Sequence[str]) -> LearnerEvidence:
        levels = {c: self.records[c].level if c in self.records else tracker.start(c) for c in competencies}
        mastered = frozenset(c for c, r in self.records.items() if r.mastered)
        return LearnerEvidence(self.key, levels, dict(self.attempts), mastered)

    def truly_known(self, competencies: Sequence[str]) -> int:
        return sum(self.hidden.knows(c) for c in competencies)


def a_name(generator: random.Random) -> str:
    return "".join(generator.choice(string.ascii_lowercase) for _ in range(6))


def make_class(parameters: SimulationParameters, seed: int, size: int) -> list[Pupil]:
    generator = random.Random(seed)
    names: list[str] = []
    while len(names) < size:  # in the order drawn (never a set's order, which varies between runs)
        name = a_name(generator)
        if name not in names:
            names.append(name)
    return [
        Pupil(name, SimulatedLearner(parameters, learner_seed), generator.randint(*ITEMS_PER_WEEK))
        for name, learner_seed in zip(names, cohort_seeds(size, seed), strict=True)
    ]


def within_variance(groups: Sequence[Sequence[str]], truth: Mapping[str, float]) -> float:
    """Pooled within-group variance: mean squared distance of each learner from their group's mean."""
    total, count = 0.0, 0
    for members in groups:
        values = [truth[k] for k in members]
        mean = sum(values) / len(values)
        total += sum((v - mean) ** 2 for v in values)
        count += len(values)
    return total / count


def balanced_split(keys: Sequence[str], count: int) -> list[list[str]]:
    """Contiguous chunks whose sizes differ by at most one."""
    bounds = [round(n * len(keys) / count) for n in range(count + 1)]
    return [list(keys[a:b]) for a, b in itertools.pairwise(bounds)]


def as_lists(assignment: Mapping[str, int], count: int) -> list[list[str]]:
    groups: list[list[str]] = [[] for _ in range(count)]
    for key, index in sorted(assignment.items()):
        if index >= 0:
            groups[index].append(key)
    return [g for g in groups if g]


@dataclass
class ClassResult:
    spread: dict[str, float]
    moved_regrouping: list[int]
    moved_from_scratch: list[int]
    joined: int


def run_class(
    parameters: SimulationParameters, tracker: MasteryTracker, seed: int, size: int, weeks: int, count: int
) -> ClassResult:
    competencies = parameters.competencies
    pupils = make_class(parameters, seed, size)
    rules = GroupingRules(tuple(competencies), groups=count, prerequisites=dict(parameters.prerequisites))
    current: dict[str, int] = {}
    previous_fresh: dict[str, int] = {}
    scores_then: dict[str, float] = {}
    moved_regrouping, moved_from_scratch, joined = [], [], 0
    for week in range(1, weeks + 1):
        for pupil in pupils:
            pupil.practise_week(tracker, competencies)
        if week < FIRST_GROUPING_WEEK:
            continue
        evidence = [p.evidence(tracker, competencies) for p in pupils]
        fresh = group_learners(evidence, rules)
        fresh_assignment = {pl.learner: g.index for g in fresh.groups for pl in g.placements}
        if week == FIRST_GROUPING_WEEK:
            current = dict(fresh_assignment)
            scores_then = {pl.learner: pl.score for g in fresh.groups for pl in g.placements}
        else:
            moves = regrouping_moves(evidence, rules, current, scores_then=scores_then)
            moved_regrouping.append(sum(1 for m in moves if m.from_group >= 0))
            joined += sum(1 for m in moves if m.from_group < 0)
            for move in moves:
                current[move.learner] = move.to_group
                scores_then[move.learner] = move.score_now
            moved_from_scratch.append(
                sum(1 for k, g in fresh_assignment.items() if previous_fresh.get(k, g) != g)
            )
        previous_fresh = fresh_assignment
    truth = {p.key: float(p.truly_known(competencies)) for p in pupils}
    grouped = sorted(previous_fresh)
    generator = random.Random(seed ^ 0xC1A55)
    random_spread = statistics.fmean(
        within_variance(balanced_split(generator.sample(grouped, len(grouped)), count), truth)
        for _ in range(RANDOM_DRAWS)
    )
    oracle_evidence = [
        LearnerEvidence(k, {"known": truth[k] / len(competencies)}, {"known": 99}) for k in grouped
    ]
    oracle = group_learners(oracle_evidence, GroupingRules(("known",), groups=count))
    spread = {
        "random": random_spread,
        "alphabetical": within_variance(balanced_split(grouped, count), truth),
        "tessera": within_variance(as_lists(previous_fresh, count), truth),
        "tessera_regrouped": within_variance(as_lists(current, count), truth),
        "oracle": within_variance([[p.learner for p in g.placements] for g in oracle.groups], truth),
        "total": within_variance([grouped], truth),
    }
    return ClassResult(spread, moved_regrouping, moved_from_scratch, joined)


def timing(seed: int) -> dict[str, float]:
    """Median CPU ms to group (and to propose regrouping moves for) one class of 35 on 100 competencies."""
    generator = random.Random(seed)
    codes = tuple(f"k{n:03d}" for n in range(TIMING_COMPETENCIES))
    learners = []
    for n in range(TIMING_LEARNERS):
        ability = generator.random()
        levels = {c: min(1.0, max(0.0, generator.gauss(ability, 0.2))) for c in codes}
        attempts = {c: generator.randint(0, 6) for c in codes}
        learners.append(
            LearnerEvidence(f"m{n:03d}", levels, attempts, frozenset(c for c in codes if levels[c] > 0.9))
        )
    prerequisites = {b: (a,) for a, b in itertools.pairwise(codes)}
    rules = GroupingRules(codes, groups=3, prerequisites=prerequisites, apart=(frozenset({"m000", "m001"}),))
    by_size = GroupingRules(codes, max_size=6, prerequisites=prerequisites)
    current = {p.learner: g.index for g in group_learners(learners, rules).groups for p in g.placements}
    results = {}
    for name, call in (
        ("group_3_groups_ms", lambda: group_learners(learners, rules)),
        ("group_max_size_6_ms", lambda: group_learners(learners, by_size)),
        ("regrouping_moves_ms", lambda: regrouping_moves(learners, rules, current)),
    ):
        samples = []
        for _ in range(TIMING_REPEATS):
            started = time.process_time()
            call()
            samples.append(1000.0 * (time.process_time() - started))
        results[name] = statistics.median(samples)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--classes", type=int, default=20)
    parser.add_argument("--learners", type=int, default=30, help="learners per class")
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11, help="seeds the classes (and the timing class)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of markdown tables")
    arguments = parser.parse_args()
    started = time.process_time()
    parameters = curriculum()
    model = BayesianKnowledgeTracing(seed=TRAIN_SEED).fit(
        practice_log(parameters, size=TRAIN_SIZE, seed=TRAIN_SEED), prerequisites=parameters.prerequisites
    )
    tracker = MasteryTracker(model)
    results = [
        run_class(parameters, tracker, seed, arguments.learners, arguments.weeks, arguments.groups)
        for seed in cohort_seeds(arguments.classes, arguments.seed)
    ]
    spread = {name: statistics.fmean(r.spread[name] for r in results) for name in results[0].spread}
    regrouped_weeks = [n for r in results for n in r.moved_regrouping]
    scratch_weeks = [n for r in results for n in r.moved_from_scratch]
    summary = {
        "classes": arguments.classes,
        "learners": arguments.learners,
        "weeks": arguments.weeks,
        "groups": arguments.groups,
        "seed": arguments.seed,
        "within_group_variance_true_known": spread,
        "ratio_to_random": {name: value / spread["random"] for name, value in spread.items()},
        "moved_per_class_week": {
            "regrouping_moves": statistics.fmean(regrouped_weeks),
            "from_scratch": statistics.fmean(scratch_weeks),
        },
        "joined_per_class": statistics.fmean(r.joined for r in results),
        "timing": timing(arguments.seed),
        "cpu_s": time.process_time() - started,
    }
    if arguments.json:
        print(json.dumps(summary, indent=2))
        return
    ratio = summary["ratio_to_random"]
    print(
        f"{arguments.classes} simulated classes of {arguments.learners} (seed {arguments.seed}), "
        f"{CURRICULUM_SIZE} chained competencies, {arguments.weeks} weeks, {arguments.groups} groups; "
        f"spread measured at week {arguments.weeks}\n"
    )
    print("| grouping | within-group variance of true competencies known | x random |")
    print("|---|---|---|")
    rows = [
        ("random (mean of 50 balanced random splits)", "random"),
        ("alphabetical (balanced split by name)", "alphabetical"),
        ("**Tessera** (`group_learners`, fresh this week)", "tessera"),
        ("Tessera, grouped in week 2 then `regrouping_moves` weekly", "tessera_regrouped"),
        ("oracle (same split on the true state)", "oracle"),
        ("no grouping (the whole class as one group)", "total"),
    ]
    for label, name in rows:
        print(f"| {label} | {spread[name]:.3f} | {ratio[name]:.2f} |")
    moved = summary["moved_per_class_week"]
    weeks = f"weeks {FIRST_GROUPING_WEEK + 1}-{arguments.weeks}"
    print(f"\n| regrouping, {weeks} | learners moved per class per week |")
    print("|---|---|")
    print(f"| from scratch (`group_learners` each week) | {moved['from_scratch']:.2f} |")
    print(f"| **`regrouping_moves`** (threshold 0.15, hysteresis 0.05) | {moved['regrouping_moves']:.2f} |")
    joined = summary["joined_per_class"]
    print(f"\nNot grouped in week {FIRST_GROUPING_WEEK}, joined later: {joined:.2f} per class.")
    times = summary["timing"]
    size = f"{TIMING_LEARNERS} learners, {TIMING_COMPETENCIES} competencies"
    print(f"\n| {size} | median CPU ms ({TIMING_REPEATS} runs) |")
    print("|---|---|")
    for name, value in times.items():
        print(f"| {name.removesuffix('_ms').replace('_', ' ')} | {value:.2f} |")
    print(f"\n{summary['cpu_s']:.1f} s CPU")


if __name__ == "__main__":
    main()
