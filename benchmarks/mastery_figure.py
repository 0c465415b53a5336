"""Mastery-figure benchmark: does the figure people are shown move the way the answers say?

Usage (from the repository root)::

    python benchmarks/mastery_figure.py                          # both datasets, markdown tables
    python benchmarks/mastery_figure.py --json                   # the same numbers as JSON
    python benchmarks/mastery_figure.py --dataset "ASSISTments 2009" --max-learners 100

Defaults: both datasets, every test learner (``--max-learners 0``; a positive number draws that many with
``--seed 0``), the full train files for the fits, up to ``--others 3`` other practised competencies sampled
per answer. The whole run takes about 2 min wall-clock on the shared 2-core machine (100 s CPU: logistic
fits 15 s + 10 s, replays 41 s + 29 s), so there is no option to cap the train set.

Data directory: ``$TESSERA_KT_DATA`` or ``../shared/data/knowledge-tracing`` relative to the repository root.
Both ``LogisticEvidenceModel`` and ``BayesianKnowledgeTracing`` are fitted on the train file only. Every
sampled test learner is replayed from an empty state in time order; for every answer three figures are
compared before and after it:

(a) old level: ``mastery_level`` relative to the ceiling (threshold 0.9, 5 more correct answers) on the
    logistic model's learner state, the percentage the product showed before;
(b) old estimate: ``LogisticEvidenceModel.predict`` on the same state (the goal page and calibration);
(c) new figure: ``MasteryTracker.after`` chained per (learner, competency), what the product shows now.

For the competency answered: the share of correct answers that lowered the figure and of wrong answers that
raised it (by more than 1e-9). For the learner's other practised competencies (a seeded sample per
answer): the share of (answer, other competency) pairs whose figure the answer changed. Then the mastery
verdicts of the old rule (``is_mastered`` on (a) with at least 3 answers, re-evaluated on the answered
competency after every answer: mastered when it holds, unmastered when it does not) and of the new rule
(``mastery_step``, every answer a non-review answer), and the pooled AUC of each figure, taken before each
answer, for predicting that answer.

The logistic model reads only the learner numbers, the last competencies answered and the row of the
competency asked about, so (a) and (b) are computed on ``state.restricted_to([competency])`` (what the
practice service stores and loads); the number is the one the full state gives (the smoke test checks it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # threaded BLAS only slows L-BFGS on these sizes

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tessera.engine.mastery import (  # noqa: E402
    MasteryPolicy,
    MasteryRecord,
    MasteryTracker,
    is_mastered,
    mastery_level,
    mastery_step,
)
from tracing import DATASETS, Sequence, as_responses, data_directory, read_sequences, roc_auc  # noqa: E402

if TYPE_CHECKING:
    from tessera.engine.tracing import LearnerState, LogisticEvidenceModel

OLD_POLICY = MasteryPolicy(threshold=0.9, min_evidence=3, relative_to_ceiling=True)
NEW_POLICY = MasteryPolicy(threshold=0.9, min_evidence=3)
TOLERANCE = 1e-9
SHOWN_AS_FULL = 0.995  # rounds to 100%
FIGURES = {
    "old_level": "(a) old level: mastery_level relative to the ceiling, logistic state",
    "old_estimate": "(b) old estimate: LogisticEvidenceModel.predict",
    "new_figure": "(c) new figure: MasteryTracker.after, chained per competency",
}
RULES = {
    "old_rule": "old rule: is_mastered on (a), re-evaluated after every answer",
    "new_rule": "new rule: mastery_step on (c), kept until a wrong review",
}


@dataclass
class Moves:
    """How one figure moved: answers on the competency itself, and on the learner's other competencies."""

    correct: int = 0
    correct_lowered: int = 0
    wrong: int = 0
    wrong_raised: int = 0
    other_pairs: int = 0
    other_changed: int = 0
    before: list[float] = field(default_factory=list)  # the figure before each answer, for the AUC

    def answered(self, correct: int, before: float, after: float) -> None:
        self.before.append(before)
        if correct:
            self.correct += 1
            self.correct_lowered += after < before - TOLERANCE
        else:
            self.wrong += 1
            self.wrong_raised += after > before + TOLERANCE

    def others(self, before: list[float], after: list[float]) -> None:
        self.other_pairs += len(before)
        self.other_changed += sum(abs(b - a) > TOLERANCE for b, a in zip(before, after, strict=True))


@dataclass
class Verdicts:
    """What a mastery rule announced: "Mastered!", silent losses, and how the next answer went."""

    shown: int = 0
    shown_on_wrong: int = 0
    taken_away: int = 0
    taken_away_on_correct: int = 0
    next_after_first: int = 0
    next_after_first_right: int = 0

    def step(self, correct: int, was: bool, now: bool) -> None:
        if now and not was:
            self.shown += 1
            self.shown_on_wrong += not correct
        elif was and not now:
            self.taken_away += 1
            self.taken_away_on_correct += bool(correct)


def share(part: int, whole: int) -> float:
    """``part / whole``, or NaN when there is nothing to divide (printed as an empty cell).

    >>> share(1, 4), share(0, 0) != share(0, 0)
    (0.25, True)
    """
    return part / whole if whole else float("nan")


def sample_learners(sequences: list[Sequence], limit: int, seed: int) -> list[Sequence]:
    """At most ``limit`` learners (0: all), drawn with a seeded permutation, kept in file order."""
    if not limit or limit >= len(sequences):
        return sequences
    chosen = np.sort(np.random.default_rng(seed).permutation(len(sequences))[:limit])
    return [sequences[i] for i in chosen]


def logistic_figures(
    model: LogisticEvidenceModel, state: LearnerState, asked: list[str]
) -> tuple[list[float], list[float]]:
    """(a) and (b) for each competency in ``asked``, from one learner state."""
    levels, estimates = [], []
    for competency in asked:
        row = state.restricted_to([competency])
        levels.append(mastery_level(model, row, competency, OLD_POLICY))
        estimates.append(model.predict(row, competency))
    return levels, estimates


def replay(
    model: LogisticEvidenceModel,
    tracker: MasteryTracker,
    sequences: list[Sequence],
    others: int = 3,
    seed: int = 0,
) -> tuple[dict[str, Moves], dict[str, Verdicts], list[int]]:
    """Replay every learner from an empty state; returns the moves per figure, verdicts per rule, answers."""
    moves = {name: Moves() for name in FIGURES}
    verdicts = {name: Verdicts() for name in RULES}
    answers: list[int] = []
    for number, (skills, outcomes) in enumerate(sequences):
        draw = random.Random(seed * 1_000_003 + number)
        state = model.initial_state()
        practised: list[str] = []
        figures: dict[str, float] = {}  # (c), the stored figure per competency
        records: dict[str, MasteryRecord] = {}
        old_mastered: dict[str, bool] = {}
        waiting = {name: set[str]() for name in RULES}  # first mastered, next answer not seen yet
        ever = {name: set[str]() for name in RULES}
        for skill, correct in zip(skills, outcomes, strict=True):
            answers.append(correct)
            for name in RULES:
                if skill in waiting[name]:
                    waiting[name].discard(skill)
                    verdicts[name].next_after_first += 1
                    verdicts[name].next_after_first_right += correct
            sampled = [c for c in practised if c != skill]
            sampled = draw.sample(sampled, min(others, len(sampled)))
            asked = [skill, *sampled]

            levels_before, estimates_before = logistic_figures(model, state, asked)
            state = model.update(state, skill, correct)
            levels_after, estimates_after = logistic_figures(model, state, asked)
            for name, before, after in (
                ("old_level", levels_before, levels_after),
                ("old_estimate", estimates_before, estimates_after),
            ):
                moves[name].answered(correct, before[0], after[0])
                moves[name].others(before[1:], after[1:])

            figure_before = figures.get(skill, tracker.start(skill))
            others_before = [figures.get(c, tracker.start(c)) for c in sampled]
            figures[skill] = tracker.after(skill, figure_before, correct)
            moves["new_figure"].answered(correct, figure_before, figures[skill])
            moves["new_figure"].others(others_before, [figures.get(c, tracker.start(c)) for c in sampled])

            # Old rule: the answered competency only, mastered exactly while the rule holds.
            was = old_mastered.get(skill, False)
            now = is_mastered(levels_after[0], model.attempts(state, skill), OLD_POLICY)
            old_mastered[skill] = now
            verdicts["old_rule"].step(correct, was, now)
            # New rule: every answer a non-review answer, so mastery is never taken away here.
            record = records.get(skill, MasteryRecord(figure_before))
            step = mastery_step(tracker, skill, record, correct, policy=NEW_POLICY)
            records[skill] = step.after
            verdicts["new_rule"].step(correct, record.mastered, step.after.mastered)
            for name, mastered in (("old_rule", now and not was), ("new_rule", step.newly_mastered)):
                if mastered and skill not in ever[name]:
                    ever[name].add(skill)
                    waiting[name].add(skill)
            if skill not in practised:
                practised.append(skill)
    return moves, verdicts, answers


def summary(
    moves: dict[str, Moves], verdicts: dict[str, Verdicts], answers: list[int]
) -> dict[str, dict[str, dict[str, float | int]]]:
    """The measured shares, rates per 1,000 answers and AUCs, with the counts behind them."""
    total = len(answers)
    correct = np.asarray(answers, dtype=np.float64)
    both_kinds = 0 < correct.sum() < total
    figures: dict[str, dict[str, float | int]] = {}
    for name, moved in moves.items():
        before = np.asarray(moved.before, dtype=np.float64)
        figures[name] = {
            "correct_lowered_share": share(moved.correct_lowered, moved.correct),
            "wrong_raised_share": share(moved.wrong_raised, moved.wrong),
            "other_changed_share": share(moved.other_changed, moved.other_pairs),
            "auc": roc_auc(correct, before) if both_kinds else float("nan"),
            "full_before_share": float(np.mean(before >= SHOWN_AS_FULL)) if total else float("nan"),
            **{key: value for key, value in asdict(moved).items() if key != "before"},
        }
    rules: dict[str, dict[str, float | int]] = {}
    for name, verdict in verdicts.items():
        rules[name] = {
            "mastered_per_1000": 1000 * share(verdict.shown, total),
            "taken_away_per_1000": 1000 * share(verdict.taken_away, total),
            "mastered_on_wrong_share": share(verdict.shown_on_wrong, verdict.shown),
            "taken_away_on_correct_share": share(verdict.taken_away_on_correct, verdict.taken_away),
            "next_right_after_first_share": share(verdict.next_after_first_right, verdict.next_after_first),
            **asdict(verdict),
        }
    return {"figures": figures, "rules": rules}


def measure(
    title: str, train: list[Sequence], test: list[Sequence], others: int, seed: int
) -> dict[str, Any]:
    from tessera.engine.tracing import BayesianKnowledgeTracing, LogisticEvidenceModel

    declared = sorted({skill for skills, _ in test for skill in skills})
    responses = as_responses(train, "train-")
    started = time.process_time()
    model = LogisticEvidenceModel().fit(responses, competencies=declared)
    logistic_seconds = time.process_time() - started
    started = time.process_time()
    tracker = MasteryTracker(BayesianKnowledgeTracing().fit(responses, competencies=declared))
    bkt_seconds = time.process_time() - started
    started = time.process_time()
    moves, verdicts, answers = replay(model, tracker, test, others=others, seed=seed)
    replay_seconds = time.process_time() - started
    return {
        "dataset": title,
        "train_learners": len(train),
        "train_responses": len(responses),
        "test_learners": len(test),
        "test_answers": len(answers),
        "test_correct_share": float(np.mean(answers)) if answers else float("nan"),
        "fit_seconds_cpu": {"logistic": logistic_seconds, "bkt": bkt_seconds},
        "replay_seconds_cpu": replay_seconds,
        **summary(moves, verdicts, answers),
    }


def percent(value: object) -> str:
    return f"{100 * value:.1f}%" if isinstance(value, float) and value == value else ""


def counted(row: dict[str, float | int], key: str, part: str, whole: str) -> str:
    """``12.3% (45 / 366)``: a share with the counts behind it."""
    return f"{percent(row[key])} ({row[part]:,} / {row[whole]:,})"


def print_tables(result: dict[str, Any]) -> None:
    figures, rules, fits = result["figures"], result["rules"], result["fit_seconds_cpu"]
    print(
        f"\n### {result['dataset']}: {result['test_learners']:,} test learners, "
        f"{result['test_answers']:,} answers ({percent(result['test_correct_share'])} correct); "
        f"fitted on {result['train_learners']:,} train learners, {result['train_responses']:,} answers\n"
    )
    print(
        "| figure | correct answers that lowered it | wrong answers that raised it "
        "| answers on another practised competency that changed it (sampled pairs) "
        "| shown as 100% before the answer | AUC (figure before the answer) |"
    )
    print("|---|---|---|---|---|---|")
    for name, label in FIGURES.items():
        row = figures[name]
        cells = [
            label,
            counted(row, "correct_lowered_share", "correct_lowered", "correct"),
            counted(row, "wrong_raised_share", "wrong_raised", "wrong"),
            counted(row, "other_changed_share", "other_changed", "other_pairs"),
            percent(row["full_before_share"]),
            f"{row['auc']:.4f}",
        ]
        print("| " + " | ".join(cells) + " |")
    print(
        '\n| rule | "Mastered!" per 1,000 answers | mastery silently taken away per 1,000 answers '
        '| "Mastered!" on a wrong answer | taken away on a correct answer '
        "| next answer on it right, after first mastery |"
    )
    print("|---|---|---|---|---|---|")
    for name, label in RULES.items():
        row = rules[name]
        cells = [
            label,
            f"{row['mastered_per_1000']:.2f}",
            f"{row['taken_away_per_1000']:.2f}",
            counted(row, "mastered_on_wrong_share", "shown_on_wrong", "shown"),
            counted(row, "taken_away_on_correct_share", "taken_away_on_correct", "taken_away"),
            counted(row, "next_right_after_first_share", "next_after_first_right", "next_after_first"),
        ]
        print("| " + " | ".join(cells) + " |")
    print(
        f"\nThe logs hold no reviews, so the new rule never takes mastery away here (only a wrong review "
        f"does). CPU seconds: logistic fit {fits['logistic']:.1f}, BKT fit {fits['bkt']:.1f}, "
        f"replay {result['replay_seconds_cpu']:.1f}."
    )
    sys.stdout.flush()


def without_nan(value: Any) -> Any:
    """NaN (a share of nothing) as JSON null."""
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, float) and value != value:
        return None
    return value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", nargs="*", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument(
        "--max-learners", type=int, default=0, help="test learners sampled per dataset (0: all of them)"
    )
    parser.add_argument("--others", type=int, default=3, help="other practised competencies per answer")
    parser.add_argument("--seed", type=int, default=0, help="seeds the learner and competency samples")
    parser.add_argument("--json", action="store_true", help="print JSON instead of markdown tables")
    arguments = parser.parse_args()
    directory = data_directory()
    results = []
    for title in arguments.dataset:
        stem = DATASETS[title]
        train = read_sequences(directory / f"{stem}_train.csv")
        test = sample_learners(
            read_sequences(directory / f"{stem}_test.csv"), arguments.max_learners, arguments.seed
        )
        result = measure(title, train, test, arguments.others, arguments.seed)
        results.append(result)
        if not arguments.json:
            print_tables(result)
    if arguments.json:
        print(json.dumps([without_nan(result) for result in results], indent=2))


if __name__ == "__main__":
    main()
