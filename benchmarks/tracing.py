"""Knowledge-tracing benchmark: fit on train learners, score every test answer one step ahead.

Usage (from the repository root)::

    python benchmarks/tracing.py                 # test tables, both datasets
    python benchmarks/tracing.py --validation    # tuning run: 20% of train learners held out, no test

Data directory: ``$TESSERA_KT_DATA`` or ``../shared/data/knowledge-tracing`` relative to the repository root.
The protocol follows the data README: fit on the train file only; for every test learner start from an
empty state and, for each answer in time order, predict it from the earlier answers, then ``update``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # threaded BLAS only slows L-BFGS on these sizes

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

if TYPE_CHECKING:
    from tessera.engine.tracing import LearnerModel, Response

DATASETS = {"ASSISTments 2009": "assist2009_updated", "Statics 2011": "STATICS"}
REPORTED = {
    "ASSISTments 2009": {"DKT (reported)": 0.8053, "DKVMN (reported)": 0.8157},
    "Statics 2011": {"DKT (reported)": 0.8020, "DKVMN (reported)": 0.8284},
}
Sequence = tuple[list[str], list[int]]


@dataclass
class Row:
    model: str
    auc: float
    rmse: float
    fit_seconds: float | None = None
    update_microseconds: float | None = None
    state_bytes: float | None = None
    note: str = ""


def data_directory() -> Path:
    default = ROOT.parent / "shared" / "data" / "knowledge-tracing"
    return Path(os.environ.get("TESSERA_KT_DATA", default))


def read_sequences(path: Path) -> list[Sequence]:
    """Three lines per learner: count, skill ids, answers (trailing commas ignored)."""
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    sequences = []
    for start in range(0, len(lines), 3):
        skills = [field for field in lines[start + 1].split(",") if field]
        answers = [int(field) for field in lines[start + 2].split(",") if field]
        sequences.append((skills, answers))
    return sequences


def as_responses(sequences: list[Sequence], prefix: str) -> list[Response]:
    from tessera.engine.tracing import Response

    return [
        Response(f"{prefix}{number}", skill, answer)
        for number, (skills, answers) in enumerate(sequences)
        for skill, answer in zip(skills, answers, strict=True)
    ]


def roc_auc(correct: np.ndarray, predicted: np.ndarray) -> float:
    """Area under the ROC curve from ranks (ties get their average rank)."""
    order = np.argsort(predicted, kind="mergesort")
    _, inverse, counts = np.unique(predicted[order], return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = np.empty(len(predicted))
    ranks[order] = average_rank[inverse]
    positives = float(correct.sum())
    negatives = len(correct) - positives
    return float((ranks[correct == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def score_online(
    model: LearnerModel, sequences: list[Sequence]
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Predict each answer from the learner's earlier ones; returns answers, predictions, µs/update, bytes."""
    predicted, answers = [], []
    update_seconds, updates, entry_bytes, entries = 0.0, 0, 0, 0
    clock = time.process_time  # CPU time: the machine is shared, wall-clock would measure the neighbours
    for skills, outcomes in sequences:
        state = model.initial_state()
        for skill, answer in zip(skills, outcomes, strict=True):
            predicted.append(model.predict(state, skill))
            answers.append(answer)
            started = clock()
            state = model.update(state, skill, answer)
            update_seconds += clock() - started
            updates += 1
        entry_bytes += sum(state.entry_size_bytes(name) for name in state.competencies)
        entries += len(state.competencies)
    return (
        np.asarray(answers, dtype=np.float64),
        np.asarray(predicted, dtype=np.float64),
        1e6 * update_seconds / updates,
        entry_bytes / entries,
    )


def evaluate(
    name: str, build: Callable[[], LearnerModel], train: list[Sequence], test: list[Sequence]
) -> Row:
    declared = sorted({skill for skills, _ in test for skill in skills})
    model = build()
    started = time.process_time()
    model.fit(as_responses(train, "train-"), competencies=declared)
    fit_seconds = time.process_time() - started
    answers, predicted, microseconds, state_bytes = score_online(model, test)
    rmse = float(np.sqrt(np.mean((predicted - answers) ** 2)))
    return Row(name, roc_auc(answers, predicted), rmse, fit_seconds, microseconds, state_bytes)


def pybkt_python() -> str:
    """Interpreter for the pyBKT row: pyBKT 1.4.3 needs NumPy < 2, so it usually lives in its own venv."""
    default = ROOT / ".venv" / "pybkt" / "bin" / "python"
    return os.environ.get("TESSERA_PYBKT_PYTHON", str(default if default.exists() else sys.executable))


def write_sequences(sequences: list[Sequence], path: Path) -> None:
    lines = []
    for skills, answers in sequences:
        lines += [str(len(skills)), ",".join(skills), ",".join(str(answer) for answer in answers)]
    path.write_text("\n".join(lines) + "\n")


def evaluate_pybkt(train: list[Sequence], test: list[Sequence]) -> Row:
    """pyBKT (the standard BKT library) on the same data, run in its own interpreter, or a skip note."""
    with tempfile.TemporaryDirectory() as folder:
        train_path, test_path = Path(folder) / "train.csv", Path(folder) / "test.csv"
        write_sequences(train, train_path)
        write_sequences(test, test_path)
        command = [pybkt_python(), __file__, "--pybkt-worker", str(train_path), str(test_path)]
        finished = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
    if finished.returncode != 0:
        reason = (finished.stderr.strip().splitlines() or ["no output"])[-1]
        return Row("pyBKT 1.4.3", float("nan"), float("nan"), note=f"skipped: {reason}")
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    return Row("pyBKT 1.4.3", result["auc"], result["rmse"], result["fit_seconds"], note=result["note"])


def pybkt_worker(train_path: Path, test_path: Path) -> None:
    """Runs inside the pyBKT interpreter: fit on train, predict test (pyBKT filters each learner online)."""
    import pandas as pd
    from pyBKT.models import Model

    def frame(sequences: list[Sequence], prefix: str) -> pd.DataFrame:
        rows = [
            (f"{prefix}{number}", skill, answer)
            for number, (skills, answers) in enumerate(sequences)
            for skill, answer in zip(skills, answers, strict=True)
        ]
        return pd.DataFrame(
            {
                "order_id": np.arange(len(rows)),
                "user_id": [row[0] for row in rows],
                "skill_name": [row[1] for row in rows],
                "correct": [row[2] for row in rows],
            }
        )

    train_frame, test_frame = (
        frame(read_sequences(train_path), "train-"),
        frame(read_sequences(test_path), "test-"),
    )
    model = Model(seed=42, num_fits=1)
    started = time.perf_counter()
    model.fit(data=train_frame)
    fit_seconds = time.perf_counter() - started
    scored = test_frame[test_frame["skill_name"].isin(set(train_frame["skill_name"]))]
    predicted = model.predict(data=scored)["correct_predictions"].to_numpy(dtype=np.float64)
    answers = scored["correct"].to_numpy(dtype=np.float64)
    dropped = len(test_frame) - len(scored)
    result = {
        "auc": roc_auc(answers, predicted),
        "rmse": float(np.sqrt(np.mean((predicted - answers) ** 2))),
        "fit_seconds": fit_seconds,
        "note": f"{dropped} test answers on skills unseen in train not scored" if dropped else "",
    }
    print(json.dumps(result))


def held_out_split(
    sequences: list[Sequence], share: float = 0.2, seed: int = 0
) -> tuple[list[Sequence], ...]:
    """Carve a validation set out of the train learners (the only data used for tuning)."""
    order = np.random.default_rng(seed).permutation(len(sequences))
    cut = int(len(sequences) * share)
    return [sequences[i] for i in order[cut:]], [sequences[i] for i in order[:cut]]


def print_table(title: str, rows: list[Row]) -> None:
    def number(value: float | None, pattern: str) -> str:
        return "" if value is None else pattern.format(value)

    print(f"\n### {title}\n")
    print(
        "| model | AUC | RMSE | fit s (CPU) | µs / update (CPU) | state bytes / learner-competency | note |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        cells = [
            row.model,
            number(row.auc, "{:.4f}"),
            number(row.rmse if row.rmse == row.rmse else None, "{:.4f}"),
            number(row.fit_seconds, "{:.1f}"),
            number(row.update_microseconds, "{:.1f}"),
            number(row.state_bytes, "{:.0f}"),
            row.note,
        ]
        print("| " + " | ".join(cells) + " |")
    sys.stdout.flush()


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--pybkt-worker":
        pybkt_worker(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    from tessera.engine.tracing import BayesianKnowledgeTracing, LogisticEvidenceModel

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--validation", action="store_true", help="score a held-out 20%% of train learners")
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--no-pybkt", action="store_true", help="skip the pyBKT reference row")
    parser.add_argument("--no-bkt", action="store_true", help="skip our BKT row")
    arguments = parser.parse_args()
    directory = data_directory()
    models: list[tuple[str, Callable[[], LearnerModel]]] = [
        ("LogisticEvidenceModel (primary)", LogisticEvidenceModel)
    ]
    if not arguments.no_bkt:
        models.append(("BayesianKnowledgeTracing (EM)", BayesianKnowledgeTracing))
    for title in arguments.datasets:
        stem = DATASETS[title]
        train = read_sequences(directory / f"{stem}_train.csv")
        if arguments.validation:
            train, test = held_out_split(train)
            title = f"{title}: validation (20% of train learners)"
        else:
            test = read_sequences(directory / f"{stem}_test.csv")
            title = f"{title}: test"
        rows = [evaluate(name, build, train, test) for name, build in models]
        if not arguments.no_pybkt:
            rows.append(evaluate_pybkt(train, test))
        if not arguments.validation:
            rows += [
                Row(name, auc, float("nan"), note="reported by the DKVMN paper")
                for name, auc in REPORTED[title.split(":")[0]].items()
            ]
        print_table(title, rows)


if __name__ == "__main__":
    main()
