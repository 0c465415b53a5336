"""Policy benchmark on one simulated cohort: seat time vs mastery-based progression vs an oracle.

Usage (from the repository root)::

    python benchmarks/simulate.py

Synthetic learners follow ``tessera.engine.simulate`` with per-competency learning, forgetting, guessing
and slipping fitted by EM (BKT with forgetting) on the ASSISTments 2009 train file, chained as
prerequisites. The primary learner model is fitted on a separate simulated practice log; the mastery
threshold is chosen on a separate tuning cohort; all three policies are then run on the same evaluation
cohort (the same learner seeds).

Mastery-based progression appears twice: (b) the earlier rule on the primary (predictive) model's estimate,
and (b2) the product's rule, ``MasteryTracker`` + ``mastery_step`` on a BKT fitted by EM on the same
simulated log, with the product's policy (threshold 0.9, 3 fresh answers) and, for comparison, with the
threshold tuned on the tuning cohort like (b)'s.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # threaded BLAS only slows L-BFGS on these sizes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tessera.engine.mastery import (  # noqa: E402
    MasteryPolicy,
    MasteryRecord,
    MasteryTracker,
    competency_mastered,
    mastery_step,
)
from tessera.engine.simulate import (  # noqa: E402
    ASSISTMENTS_2009_DYNAMICS,
    SimulatedLearner,
    SimulationParameters,
    chain_curriculum,
    cohort_seeds,
    parameters_from_bkt,
    practice_log,
)
from tessera.engine.tracing import BayesianKnowledgeTracing, LearnerModel, LogisticEvidenceModel  # noqa: E402

CAP = 30  # most items any policy gives on one competency
CURRICULUM_SIZE = 8
TRAIN_SEED, TUNING_SEED, EVALUATION_SEED = 1, 2, 3
# The product's rule (tessera.practice.learner_model.MASTERY_POLICY; not imported here, it needs Django).
PRODUCT_POLICY = MasteryPolicy(threshold=0.9, min_evidence=3)
TRACKER_THRESHOLDS = (0.8, 0.85, 0.9, 0.95, 0.97, 0.99)


@dataclass
class Outcome:
    """What a policy did to a cohort, pooled over learners and competencies."""

    items: int = 0
    competencies: int = 0
    mastered_at_end: int = 0
    declared: int = 0
    declared_but_not_known: int = 0

    @property
    def items_per_competency(self) -> float:
        return self.items / self.competencies

    @property
    def share_mastered(self) -> float:
        return self.mastered_at_end / self.competencies

    @property
    def false_mastery(self) -> float:
        return self.declared_but_not_known / self.declared if self.declared else 0.0


# A stopping rule sees the learner (for the oracle), the competency and how many items were given, and says
# whether to stop and whether that stop declares the competency mastered.
StopRule = Callable[[SimulatedLearner, str, int], tuple[bool, bool]]


def run_policy(
    parameters: SimulationParameters, seeds: list[int], make_rule: Callable[[], StopRule]
) -> Outcome:
    outcome = Outcome()
    for seed in seeds:
        learner, rule = SimulatedLearner(parameters, seed), make_rule()
        for competency in parameters.competencies:
            given = 0
            while True:
                stop, declared = rule(learner, competency, given)
                if stop or given >= CAP:
                    break
                rule_answer(rule, competency, learner.answer(competency))
                given += 1
            outcome.items += given
            outcome.competencies += 1
            outcome.declared += declared
            outcome.declared_but_not_known += declared and not learner.knows(competency)
        outcome.mastered_at_end += sum(learner.knows(name) for name in parameters.competencies)
    return outcome


def rule_answer(rule: StopRule, competency: str, correct: int) -> None:
    """Tell a stateful rule about the answer (only the model-driven rule listens)."""
    listener = getattr(rule, "observe", None)
    if listener is not None:
        listener(competency, correct)


def seat_time(items: int) -> Callable[[], StopRule]:
    def make() -> StopRule:
        return lambda learner, competency, given: (given >= items, given >= items)

    return make


def oracle() -> StopRule:
    return lambda learner, competency, given: (learner.knows(competency), learner.knows(competency))


class MasteryRule:
    """Mastery-based progression: stop when the learner model says mastered under ``policy``."""

    def __init__(self, model: LearnerModel, policy: MasteryPolicy) -> None:
        self.model, self.policy = model, policy
        self.state = model.initial_state()

    def __call__(self, learner: SimulatedLearner, competency: str, given: int) -> tuple[bool, bool]:
        mastered = competency_mastered(self.model, self.state, competency, self.policy)
        return mastered, mastered

    def observe(self, competency: str, correct: int) -> None:
        self.state = self.model.update(self.state, competency, correct)


class TrackerRule:
    """The product's mastery-based progression: the mastery tracker's figure moves answer by answer through
    :func:`mastery_step` under ``policy``; stop once the competency is mastered (only ever on a correct
    answer, and kept: the simulation has no reviews)."""

    def __init__(self, tracker: MasteryTracker, policy: MasteryPolicy) -> None:
        self.tracker, self.policy = tracker, policy
        self.records: dict[str, MasteryRecord] = {}

    def __call__(self, learner: SimulatedLearner, competency: str, given: int) -> tuple[bool, bool]:
        record = self.records.get(competency)
        mastered = record is not None and record.mastered
        return mastered, mastered

    def observe(self, competency: str, correct: int) -> None:
        record = self.records.get(competency) or MasteryRecord(self.tracker.start(competency))
        step = mastery_step(self.tracker, competency, record, correct, policy=self.policy)
        self.records[competency] = step.after


def fitted_curriculum() -> tuple[SimulationParameters, str]:
    default = ROOT.parent / "shared" / "data" / "knowledge-tracing"
    train = Path(os.environ.get("TESSERA_KT_DATA", default)) / "assist2009_updated_train.csv"
    if not train.exists():
        return chain_curriculum(
            ASSISTMENTS_2009_DYNAMICS
        ), "built-in ASSISTments 2009 quantiles (no data file)"
    from tracing import as_responses, read_sequences

    responses = as_responses(read_sequences(train), "train-")
    model = BayesianKnowledgeTracing(fit_forgetting=True).fit(responses)
    volume: dict[str, int] = {}
    for response in responses:
        volume[response.competency] = volume.get(response.competency, 0) + 1
    busiest = sorted(volume, key=lambda name: -volume[name])[:CURRICULUM_SIZE]
    ordered = sorted(busiest, key=lambda name: -model.parameters[name].prior)
    return parameters_from_bkt(
        model, ordered
    ), f"BKT with forgetting fitted on {train.name}, skills {ordered}"


def tuned_policy(parameters: SimulationParameters, model: LearnerModel) -> MasteryPolicy:
    """The cheapest (threshold, min evidence) whose false mastery stays under 4% on the tuning cohort."""
    seeds = cohort_seeds(400, TUNING_SEED)
    best: tuple[int, MasteryPolicy] | None = None
    candidates = [
        *(MasteryPolicy(threshold, evidence) for threshold in (0.8, 0.85, 0.9) for evidence in (2, 3)),
        *(
            MasteryPolicy(threshold, evidence, relative_to_ceiling=True)
            for threshold in (0.9, 0.95, 0.97)
            for evidence in (1, 2, 3)
        ),
    ]
    for policy in candidates:
        outcome = run_policy(parameters, seeds, partial(MasteryRule, model, policy))
        if outcome.false_mastery < 0.04 and (best is None or outcome.items < best[0]):
            best = (outcome.items, policy)
    return best[1] if best else MasteryPolicy(0.95, 4)


def tuned_tracker_policy(parameters: SimulationParameters, tracker: MasteryTracker) -> MasteryPolicy:
    """The cheapest threshold (min evidence fixed at the product's 3) whose false mastery stays under 4% on
    the tuning cohort: the criterion and cohort of :func:`tuned_policy`."""
    seeds = cohort_seeds(400, TUNING_SEED)
    best: tuple[int, MasteryPolicy] | None = None
    for threshold in TRACKER_THRESHOLDS:
        policy = MasteryPolicy(threshold, PRODUCT_POLICY.min_evidence)
        outcome = run_policy(parameters, seeds, partial(TrackerRule, tracker, policy))
        if outcome.false_mastery < 0.04 and (best is None or outcome.items < best[0]):
            best = (outcome.items, policy)
    return best[1] if best else MasteryPolicy(TRACKER_THRESHOLDS[-1], PRODUCT_POLICY.min_evidence)


def main() -> None:
    parameters, source = fitted_curriculum()
    print(f"Curriculum: {len(parameters.competencies)} competencies in a prerequisite chain; {source}")
    for name, dynamics in parameters.dynamics.items():
        print(f"  {name}: {dynamics}")
    log = practice_log(parameters, size=500, seed=TRAIN_SEED)
    model = LogisticEvidenceModel().fit(log, prerequisites=parameters.prerequisites)
    policy = tuned_policy(parameters, model)
    print(f"Primary model fitted on {len(log)} simulated answers; policy tuned on another cohort: {policy}")
    tracker = MasteryTracker(BayesianKnowledgeTracing().fit(log, prerequisites=parameters.prerequisites))
    tracker_policy = tuned_tracker_policy(parameters, tracker)
    print(
        f"Mastery tracker (BKT by EM) fitted on the same log; product policy {PRODUCT_POLICY}; "
        f"threshold tuned on the tuning cohort: {tracker_policy}"
    )
    seeds = cohort_seeds(1000, EVALUATION_SEED)
    mastery = run_policy(parameters, seeds, lambda: MasteryRule(model, policy))
    product = run_policy(parameters, seeds, lambda: TrackerRule(tracker, PRODUCT_POLICY))
    product_tuned = run_policy(parameters, seeds, lambda: TrackerRule(tracker, tracker_policy))
    best_oracle = run_policy(parameters, seeds, oracle)
    seat_rows = {items: run_policy(parameters, seeds, seat_time(items)) for items in range(1, CAP + 1)}
    reaching = [n for n, row in seat_rows.items() if row.share_mastered >= mastery.share_mastered]
    best_seat = max(seat_rows, key=lambda n: (seat_rows[n].share_mastered, -n))
    matching = reaching[0] if reaching else best_seat
    label = "fewest reaching (b)'s share mastered" if reaching else "its best share; never reaches (b)'s"
    rows = [
        (f"(a) seat time, {matching} items each ({label})", seat_rows[matching]),
        ("(a) seat time, 10 items each", seat_rows[10]),
        ("(b) mastery-based, LogisticEvidenceModel", mastery),
        (
            "(b2) mastery-based, mastery tracker (the product's rule): "
            f"threshold {PRODUCT_POLICY.threshold:g} fixed, as the product uses",
            product,
        ),
        (
            "(b2) mastery-based, mastery tracker (the product's rule): "
            f"threshold {tracker_policy.threshold:g} tuned on the tuning cohort",
            product_tuned,
        ),
        ("(c) oracle (knows the hidden state)", best_oracle),
    ]
    print(f"\nCohort of {len(seeds)} simulated learners, at most {CAP} items per competency\n")
    print("| policy | practice items per competency | share truly mastered at end | false mastery |")
    print("|---|---|---|---|")
    for name, outcome in rows:
        print(
            f"| {name} | {outcome.items_per_competency:.2f} | {outcome.share_mastered:.1%} "
            f"| {outcome.false_mastery:.1%} |"
        )
    seat = seat_rows[matching]
    print(f"\n(b) / (c) items: {mastery.items / best_oracle.items:.2f}x (target <= 1.25x)")
    comparison = "at the same share mastered" if reaching else "at seat time's best share (lower than (b)'s)"
    print(f"(b) vs seat time {comparison}: {1 - mastery.items / seat.items:.0%} fewer items (target >= 35%)")
    print(f"(b) false mastery: {mastery.false_mastery:.1%} (target < 5%)")
    for name, outcome in (
        (f"threshold {PRODUCT_POLICY.threshold:g} fixed", product),
        (f"threshold {tracker_policy.threshold:g} tuned", product_tuned),
    ):
        own = [n for n, row in seat_rows.items() if row.share_mastered >= outcome.share_mastered]
        versus = (
            f"seat time at its share ({own[0]} items)" if own else f"seat time's best ({best_seat} items)"
        )
        fewer = 1 - outcome.items / seat_rows[own[0] if own else best_seat].items
        print(
            f"(b2, {name}) / (c) items: {outcome.items / best_oracle.items:.2f}x; "
            f"vs {versus}: {fewer:.0%} fewer items; false mastery {outcome.false_mastery:.1%}"
        )


if __name__ == "__main__":
    main()
