"""Recommender benchmark: true learning gain per recommended resource on a simulated cohort.

Usage (from the repository root)::

    python benchmarks/recommend.py [--seed 3] [--learners 1000]

Simulated learners (``tessera.engine.simulate``: BKT with forgetting, a prerequisite chain) practise the
chain up to a random point of the year, so each has a hidden readiness state; they also have hidden
interests, a preferred kind of resource and a reading level, of which their profile states a noisy copy.
A simulated catalogue tags each resource with one competency, a topic, a kind, a reading level and a
hidden quality. The TRUE expected learning gain of a resource for a learner is

    P(engages) * quality * RESOURCE_LEARN * (1 if every prerequisite is known else PENALTY)

when the learner does not know its competency (hidden state), and 0 when they do. ``P(engages)`` rises
with the hidden interests, preferred kind and reading level. The recommender sees only the learner model's
estimates from the simulated practice answers, the mastery rule's mastered set, and the stated profile;
never the hidden state or the resource qualities. See benchmarks/README.md for every assumption.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # threaded BLAS only slows L-BFGS on these sizes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tessera.engine.mastery import MasteryPolicy, competency_mastered  # noqa: E402
from tessera.engine.recommend import LearnerSnapshot, ResourceInfo, recommend  # noqa: E402
from tessera.engine.simulate import (  # noqa: E402
    ASSISTMENTS_2009_DYNAMICS,
    CompetencyDynamics,
    SimulatedLearner,
    SimulationParameters,
    chain_curriculum,
    cohort_seeds,
)
from tessera.engine.tracing import LearnerModel, LogisticEvidenceModel, Response  # noqa: E402

# --- the generative assumptions (hidden from the recommender) ---------------------------------------------
CURRICULUM_SIZE = 8
START_PRIOR = 0.1  # start of the year: a competency is known beforehand by 10% of learners
PENALTY = 0.3  # learning from a resource whose prerequisites are not known: 30% of the normal chance
RESOURCE_LEARN = 0.5  # chance a fully engaged learner learns from a resource of quality 1
TOPICS = ("football", "music", "animals", "space", "cooking", "games", "art", "fashion")
KINDS = ("reading", "video", "interactive", "worksheet")
RESOURCES_PER_COMPETENCY = 12
# P(engages) = base + interest + kind + level fit: other weights than the recommender's on purpose.
TRUE_BASE, TRUE_INTEREST, TRUE_KIND, TRUE_LEVEL = 0.25, 0.45, 0.2, 0.1
# What the learner's profile says: each true interest listed with 80%, one unrelated topic with 30%; the
# preferred kind right with 70% (else a random kind); the reading level off by up to one grade.
STATED_INTEREST, SPURIOUS_INTEREST, STATED_KIND = 0.8, 0.3, 0.7
MASTERY = MasteryPolicy(
    threshold=0.9, min_evidence=3, relative_to_ceiling=True
)  # bench-simulate's tuned rule
TRAIN_SEED, USAGE_SEED, CATALOGUE_SEED = 1, 2, 5
TOP = 3
MOVE_ON_AFTER = 20  # items on one competency after which the class moves on without mastery


@dataclass(frozen=True)
class Resource:
    info: ResourceInfo
    competency: str
    topic: str
    quality: float


@dataclass
class Learner:
    """A simulated learner after practice: hidden truth plus what the platform knows."""

    hidden: SimulatedLearner
    progress: int
    interests: frozenset[str]
    kind: str
    reading_level: int
    answers: list[Response]
    stated: LearnerSnapshot | None = None


def curriculum() -> SimulationParameters:
    """8 competencies in a chain with the built-in fitted ASSISTments 2009 dynamics, prior lowered."""
    dynamics = [ASSISTMENTS_2009_DYNAMICS[n % len(ASSISTMENTS_2009_DYNAMICS)] for n in range(CURRICULUM_SIZE)]
    lowered = [CompetencyDynamics(START_PRIOR, d.learn, d.guess, d.slip, d.forget) for d in dynamics]
    return chain_curriculum(lowered, penalty=PENALTY)


def catalogue(parameters: SimulationParameters, seed: int) -> list[Resource]:
    generator = random.Random(seed)
    resources = []
    for competency in parameters.competencies:
        for number in range(RESOURCES_PER_COMPETENCY):
            topic, kind = generator.choice(TOPICS), generator.choice(KINDS)
            level, quality = generator.randint(3, 10), generator.uniform(0.5, 1.0)
            key = f"{competency}-{number}"
            info = ResourceInfo(
                key, f"{kind} on {competency} ({topic})", (competency,), kind, "", level, (topic,)
            )
            resources.append(Resource(info, competency, topic, quality))
    return resources


def simulate_learner(
    parameters: SimulationParameters, seed: int, name: str, model: LearnerModel | None = None
) -> Learner:
    """Practise the chain up to a random point of the year, as Tessera's practice loop does: each earlier
    competency until the mastery rule holds (or ``MOVE_ON_AFTER`` items, when the class moves on anyway),
    then 0-3 items on the current one. Without a model (the training cohort) each earlier competency gets
    3-12 items."""
    generator = random.Random(seed ^ 0x5EED)
    hidden = SimulatedLearner(parameters, seed)
    progress = generator.randrange(len(parameters.competencies))
    answers: list[Response] = []
    state = model.initial_state() if model is not None else None
    for position, competency in enumerate(parameters.competencies[: progress + 1]):
        if position == progress:
            items = generator.randint(0, 3)
        else:
            items = generator.randint(3, 12) if model is None else MOVE_ON_AFTER
        for _ in range(items):
            if model is not None and state is not None:
                if position < progress and competency_mastered(model, state, competency, MASTERY):
                    break  # mastered: move on to the next competency
                answers.append(Response(name, competency, hidden.answer(competency)))
                state = model.update(state, competency, answers[-1].correct)
            else:
                answers.append(Response(name, competency, hidden.answer(competency)))
    interests = frozenset(generator.sample(TOPICS, 2))
    return Learner(hidden, progress, interests, generator.choice(KINDS), generator.randint(4, 9), answers)


def profile(learner: Learner, generator: random.Random) -> tuple[frozenset[str], frozenset[str], int]:
    """What the learner's profile states: a noisy copy of the hidden interests, kind and reading level."""
    stated = {topic for topic in sorted(learner.interests) if generator.random() < STATED_INTEREST}
    if generator.random() < SPURIOUS_INTEREST:
        stated.add(generator.choice([t for t in TOPICS if t not in learner.interests]))
    kind = learner.kind if generator.random() < STATED_KIND else generator.choice(KINDS)
    return frozenset(stated), frozenset({kind}), learner.reading_level + generator.randint(-1, 1)


def snapshot(
    learner: Learner, model: LearnerModel, parameters: SimulationParameters, generator: random.Random
) -> LearnerSnapshot:
    state = model.initial_state()
    for response in learner.answers:
        state = model.update(state, response.competency, response.correct)
    practised = {response.competency for response in learner.answers}
    estimates = {c: model.predict(state, c) for c in parameters.competencies if c in practised}
    mastered = frozenset(c for c in practised if competency_mastered(model, state, c, MASTERY))
    interests, kinds, level = profile(learner, generator)
    return LearnerSnapshot(
        estimates, mastered, parameters.prerequisites, {}, interests, kinds, reading_level=level
    )


def true_engagement(learner: Learner, resource: Resource) -> float:
    beyond = max(0, abs((resource.info.reading_level or 0) - learner.reading_level) - 1)
    return (
        TRUE_BASE
        + TRUE_INTEREST * (resource.topic in learner.interests)
        + TRUE_KIND * (resource.info.kind == learner.kind)
        + TRUE_LEVEL * max(0.0, 1.0 - beyond / 3)
    )


def true_gain(learner: Learner, resource: Resource, parameters: SimulationParameters) -> float:
    """Expected rise of P(known) from one resource, computed from the hidden state (no sampling noise)."""
    if learner.hidden.knows(resource.competency):
        return 0.0
    ready = all(learner.hidden.knows(p) for p in parameters.prerequisites.get(resource.competency, ()))
    return (
        true_engagement(learner, resource) * resource.quality * RESOURCE_LEARN * (1.0 if ready else PENALTY)
    )


def usage_counts(
    parameters: SimulationParameters, resources: list[Resource], size: int, model: LearnerModel
) -> Counter[str]:
    """Past usage: each learner of another cohort used 5 resources on the competency they were working on,
    chosen with probability proportional to quality * engagement (what learners and teachers liked)."""
    generator, counts = random.Random(USAGE_SEED), Counter[str]()
    for number, seed in enumerate(cohort_seeds(size, USAGE_SEED)):
        learner = simulate_learner(parameters, seed, f"past-{number}", model)
        current = parameters.competencies[learner.progress]
        options = [r for r in resources if r.competency == current]
        weights = [r.quality * true_engagement(learner, r) for r in options]
        counts.update(r.info.key for r in generator.choices(options, weights, k=5))
    return counts


Ranker = Callable[[Learner], Sequence[Resource]]


def evaluate(
    learners: list[Learner], rank: Ranker, parameters: SimulationParameters
) -> tuple[float, float, float]:
    """Mean true gain of the top-1 and per top-3 activity, and the share of top-1 truly ready."""
    top1 = top3 = ready = 0.0
    for learner in learners:
        ranked = list(rank(learner))[:TOP]
        gains = [true_gain(learner, r, parameters) for r in ranked]
        top1 += gains[0]
        top3 += sum(gains) / len(gains)
        first = ranked[0].competency
        prerequisites = parameters.prerequisites.get(first, ())
        ready += not learner.hidden.knows(first) and all(learner.hidden.knows(p) for p in prerequisites)
    return top1 / len(learners), top3 / len(learners), ready / len(learners)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=3, help="evaluation cohort seed")
    parser.add_argument("--learners", type=int, default=1000)
    arguments = parser.parse_args()
    started = time.process_time()
    parameters = curriculum()
    resources = catalogue(parameters, CATALOGUE_SEED)
    by_key = {r.info.key: r for r in resources}
    infos = [r.info for r in resources]

    train = [
        simulate_learner(parameters, s, f"train-{n}") for n, s in enumerate(cohort_seeds(500, TRAIN_SEED))
    ]
    model = LogisticEvidenceModel().fit(
        [a for learner in train for a in learner.answers],
        competencies=parameters.competencies,
        prerequisites=parameters.prerequisites,
    )
    counts = usage_counts(parameters, resources, size=300, model=model)
    popular = sorted(resources, key=lambda r: -counts[r.info.key])  # stable: ties keep catalogue order

    profiles = random.Random(arguments.seed + 1)
    learners = [
        simulate_learner(parameters, s, f"eval-{n}", model)
        for n, s in enumerate(cohort_seeds(arguments.learners, arguments.seed))
    ]
    for learner in learners:
        learner.stated = snapshot(learner, model, parameters, profiles)

    def ours(learner: Learner) -> list[Resource]:
        assert learner.stated is not None
        return [by_key[r.resource.key] for r in recommend(infos, learner.stated, limit=TOP)]

    def ours_without_profile(learner: Learner) -> list[Resource]:
        assert learner.stated is not None
        bare = LearnerSnapshot(learner.stated.estimates, learner.stated.mastered, parameters.prerequisites)
        return [by_key[r.resource.key] for r in recommend(infos, bare, limit=TOP)]

    def profile_only(learner: Learner) -> list[Resource]:
        assert learner.stated is not None
        stated = learner.stated
        blind = LearnerSnapshot(
            interests=stated.interests,
            preferred_kinds=stated.preferred_kinds,
            reading_level=stated.reading_level,
        )
        return [by_key[r.resource.key] for r in recommend(infos, blind, limit=TOP)]

    def oracle(learner: Learner) -> list[Resource]:
        return sorted(resources, key=lambda r: -true_gain(learner, r, parameters))

    # Random: the expected value of a uniform pick (the mean over the catalogue), so no sampling noise.
    random_gain = sum(
        sum(true_gain(learner, r, parameters) for r in resources) / len(resources) for learner in learners
    ) / len(learners)
    random_ready = sum(
        sum(
            not learner.hidden.knows(r.competency)
            and all(learner.hidden.knows(p) for p in parameters.prerequisites.get(r.competency, ()))
            for r in resources
        )
        / len(resources)
        for learner in learners
    ) / len(learners)

    rows: list[tuple[str, tuple[float, float, float]]] = [
        ("random (expected value of a uniform pick)", (random_gain, random_gain, random_ready)),
        (
            "most popular (most-used across 300 past learners)",
            evaluate(learners, lambda _: popular, parameters),
        ),
        (
            "profile only (interests, kind, level; no learner model)",
            evaluate(learners, profile_only, parameters),
        ),
        (
            "ours without the profile (readiness and gain only)",
            evaluate(learners, ours_without_profile, parameters),
        ),
        ("**ours** (`engine/recommend.py`)", evaluate(learners, ours, parameters)),
        ("oracle (hidden state, true engagement and quality)", evaluate(learners, oracle, parameters)),
    ]
    print(
        f"{len(learners)} simulated learners (seed {arguments.seed}), {len(resources)} resources on "
        f"{len(parameters.competencies)} chained competencies; model fitted on {len(train)} other learners\n"
    )
    print("| recommender | true gain, top-1 | per top-3 activity | x random (1 / 3) | top-1 truly ready |")
    print("|---|---|---|---|---|")
    for name, (one, three, ready) in rows:
        print(
            f"| {name} | {one:.4f} | {three:.4f} | {one / random_gain:.2f}x / {three / random_gain:.2f}x "
            f"| {ready:.1%} |"
        )
    print(f"\n{time.process_time() - started:.1f} s CPU")


if __name__ == "__main__":
    main()
