"""Demo content for the learner's part of personalization: resources for the demo maths framework (for the
library and its recommendations) and a starting profile for each demo learner.

Idempotent: a resource is added only when the framework has no resource with its code, and a profile only
when the learner has none (a learner's own edits are never overwritten). The URLs are placeholders on
example.org: the demo points at no real third-party site.
"""

from __future__ import annotations

import random

from django.db import transaction

from tessera.curriculum.models import Framework, Resource, ResourceCompetency
from tessera.demo.curriculum import competency_code
from tessera.personalization.profile.models import LearnerProfile, LearnerProfileVersion, LearningPreference
from tessera.personalization.profile.services import profile_snapshot
from tessera.schools.models import Membership, School

R, V, HANDS_ON, W = (
    Resource.Kind.READING,
    Resource.Kind.VIDEO,
    Resource.Kind.INTERACTIVE,
    Resource.Kind.WORKSHEET,
)

# (code, kind, title, competency names, interest topics, reading level)
RESOURCES: list[tuple[str, str, str, list[str], list[str], int]] = [
    (
        "add-match-scores",
        V,
        "Adding up a season of match scores",
        ["Addition Whole Numbers"],
        ["football"],
        5,
    ),
    ("add-shopping-list", W, "Shopping list totals", ["Addition Whole Numbers"], ["shopping"], 4),
    (
        "subtract-game-health",
        HANDS_ON,
        "Health points: subtraction in a video game",
        ["Subtraction Whole Numbers"],
        ["games"],
        5,
    ),
    (
        "multiply-recipe",
        R,
        "Cooking for a crowd: scaling up a recipe",
        ["Multiplication Whole Numbers"],
        ["cooking"],
        6,
    ),
    ("number-line-temperatures", HANDS_ON, "Temperatures on a number line", ["Number Line"], ["space"], 5),
    (
        "ordering-integers-planets",
        R,
        "Coldest to hottest: ordering planet temperatures",
        ["Ordering Integers"],
        ["space"],
        7,
    ),
    (
        "integers-goal-difference",
        V,
        "Goal difference: adding and subtracting integers",
        ["Addition and Subtraction Integers"],
        ["football"],
        6,
    ),
    (
        "integers-elevator",
        W,
        "Up and down the lift: integer practice",
        ["Addition and Subtraction Integers"],
        [],
        5,
    ),
    ("rounding-crowd", R, "How many fans were there? Rounding big numbers", ["Rounding"], ["football"], 5),
    (
        "estimation-groceries",
        HANDS_ON,
        "Estimate the bill before the till does",
        ["Estimation"],
        ["shopping"],
        5,
    ),
    (
        "order-of-operations-game",
        HANDS_ON,
        "Order of operations: the puzzle game",
        ["Order of Operations +,-,/,* () positive reals"],
        ["games"],
        6,
    ),
    ("exponents-bacteria", V, "Doubling every hour: exponents in nature", ["Exponents"], ["animals"], 7),
    (
        "scientific-notation-space",
        R,
        "Distances in space with scientific notation",
        ["Scientific Notation"],
        ["space"],
        8,
    ),
    ("square-root-gardens", W, "Square gardens and square roots", ["Square Root"], ["art"], 7),
    ("prime-music", V, "Prime numbers and rhythm", ["Prime Number"], ["music"], 7),
    (
        "gcf-lcm-beats",
        HANDS_ON,
        "When do the beats meet? Common multiples",
        ["Least Common Multiple", "Greatest Common Factor"],
        ["music"],
        7,
    ),
    ("divisibility-teams", W, "Splitting a class into equal teams", ["Divisibility Rules"], ["football"], 5),
    (
        "equivalent-fractions-pizza",
        V,
        "Pizza slices and equivalent fractions",
        ["Equivalent Fractions"],
        ["cooking"],
        5,
    ),
    (
        "ordering-fractions-cakes",
        HANDS_ON,
        "Which share of the cake is bigger?",
        ["Ordering Fractions"],
        ["cooking"],
        5,
    ),
    (
        "add-fractions-music",
        R,
        "Half notes and quarter notes: adding fractions",
        ["Addition and Subtraction Fractions"],
        ["music"],
        6,
    ),
    (
        "multiply-fractions-recipes",
        W,
        "Half a recipe: multiplying fractions",
        ["Multiplication Fractions", "Fraction Of"],
        ["cooking"],
        6,
    ),
    ("divide-fractions-ribbon", V, "How many pieces? Dividing fractions", ["Division Fractions"], ["art"], 7),
    (
        "decimals-race-times",
        R,
        "Race times to the hundredth of a second",
        ["Ordering Positive Decimals", "Addition and Subtraction Positive Decimals"],
        ["football"],
        6,
    ),
    (
        "decimals-pocket-money",
        W,
        "Pocket money with decimals",
        ["Multiplication and Division Positive Decimals"],
        ["shopping"],
        5,
    ),
    (
        "fdp-conversion-stats",
        HANDS_ON,
        "Fractions, decimals and percents of a player's stats",
        ["Conversion of Fraction Decimals Percents"],
        ["football", "games"],
        7,
    ),
    ("percents-battery", V, "Battery at 35%: what percents mean", ["Percents"], ["games"], 6),
    (
        "percent-of-sale",
        W,
        "Sale! Working out percent discounts",
        ["Percent Discount", "Percent Of"],
        ["shopping"],
        6,
    ),
    (
        "finding-percents-survey",
        R,
        "What share of the class likes cats? Finding percents",
        ["Finding Percents"],
        ["animals"],
        7,
    ),
    ("proportion-paint", HANDS_ON, "Mixing paint colours in proportion", ["Proportion"], ["art"], 6),
    ("unit-rate-best-buy", V, "Best buy: unit rates in the supermarket", ["Unit Rate"], ["shopping"], 6),
    ("rate-animal-speeds", R, "How fast is a cheetah? Rates and speeds", ["Rate"], ["animals"], 7),
    (
        "scale-factor-maps",
        HANDS_ON,
        "Scale drawings and maps",
        ["Scale Factor", "Calculations with Similar Figures"],
        ["art"],
        7,
    ),
    ("perimeter-pitch", W, "Perimeter of a football pitch", ["Perimeter of a Polygon"], ["football"], 5),
    ("area-room-design", HANDS_ON, "Design your room: areas of rectangles", ["Area Rectangle"], ["art"], 5),
    (
        "area-triangles-kites",
        V,
        "Kites and sails: area of triangles",
        ["Area Triangle", "Area Parallelogram"],
        ["art"],
        6,
    ),
    (
        "circles-pizza-size",
        R,
        "Is a 12-inch pizza twice an 8-inch one? Circles",
        ["Area Circle", "Circumference"],
        ["cooking"],
        7,
    ),
    (
        "volume-aquarium",
        W,
        "How much water fits in the aquarium? Volume",
        ["Volume Rectangular Prism"],
        ["animals"],
        6,
    ),
    (
        "angles-skateboard",
        V,
        "Angles on the skate ramp",
        ["Angles - Obtuse, Acute, and Right", "Complementary and Supplementary Angles"],
        ["games"],
        6,
    ),
    ("pythagoras-ladder", R, "The ladder and the wall: Pythagoras' theorem", ["Pythagorean Theorem"], [], 8),
    (
        "mean-median-goals",
        HANDS_ON,
        "Average goals per match: mean, median and mode",
        ["Mean", "Median", "Mode"],
        ["football"],
        6,
    ),
    (
        "range-pet-weights",
        W,
        "From hamster to Great Dane: the range of pet weights",
        ["Range"],
        ["animals"],
        5,
    ),
    (
        "probability-dice-games",
        HANDS_ON,
        "Dice games and the chance of a six",
        ["Probability of a Single Event"],
        ["games"],
        6,
    ),
    (
        "probability-playlists",
        V,
        "Shuffle: the chance of two songs in a row",
        ["Probability of Two Distinct Events"],
        ["music"],
        7,
    ),
    (
        "equations-mystery-box",
        HANDS_ON,
        "The mystery box: solving equations",
        ["Equation Solving Two or Fewer Steps"],
        ["games"],
        6,
    ),
    (
        "linear-savings-plan",
        R,
        "Saving up for a guitar: linear equations",
        ["Linear Equations"],
        ["music", "shopping"],
        8,
    ),
]

TOPICS = ["football", "music", "cooking", "games", "animals", "space", "art", "shopping"]
PREFERENCES = [p for p in LearningPreference.values]
STRENGTHS = [
    "Mental maths",
    "Spotting patterns",
    "Explaining my thinking",
    "Drawing diagrams",
    "Keeping at it",
]
CHALLENGES = [
    "Word problems",
    "Fractions",
    "Remembering steps",
    "Working under time pressure",
    "Long calculations",
]
ASPIRATIONS = ["Become a vet", "Design video games", "Play in a band", "Be a chef", "Work in space science"]


@transaction.atomic
def demo_resources_load(*, framework: Framework) -> int:
    """Add the demo resources the framework does not have yet. Returns how many were added."""
    by_code = {c.code: c for c in framework.competencies.all()}
    existing = set(framework.resources.values_list("code", flat=True))
    added = 0
    for code, kind, title, names, topics, level in RESOURCES:
        if code in existing:
            continue
        competencies = [by_code[competency_code(name)] for name in names if competency_code(name) in by_code]
        if not competencies:
            continue
        resource = Resource.objects.create(
            school=framework.school,
            framework=framework,
            code=code,
            kind=kind,
            title=title,
            url=f"https://example.org/tessera-demo/{kind}/{code}",
            media_type="text/html",
            reading_level=level,
            interest_topics=topics,
        )
        ResourceCompetency.objects.bulk_create(
            ResourceCompetency(school=framework.school, resource=resource, competency=c) for c in competencies
        )
        added += 1
    return added


@transaction.atomic
def demo_profiles_load(*, school: School, seed: int = 2026) -> int:
    """Give each learner of the school without a profile a plausible one. Returns how many were added."""
    rng = random.Random(seed)
    have = set(LearnerProfile.objects.filter(school=school).values_list("learner_id", flat=True))
    added = 0
    learners = Membership.objects.filter(school=school, role=Membership.Role.LEARNER).order_by("user_id")
    for membership in learners:
        picks = (
            rng.sample(TOPICS, 3),
            rng.sample(PREFERENCES, 2),
            rng.choice(STRENGTHS),
            rng.choice(CHALLENGES),
            rng.choice(ASPIRATIONS),
        )
        if membership.user_id in have:
            continue
        interests, preferences, strength, challenge, aspiration = picks
        profile = LearnerProfile.objects.create(
            school=school,
            learner_id=membership.user_id,
            strengths=strength,
            challenges=challenge,
            interests=interests,
            passions=", ".join(interests[:2]).capitalize(),
            aspirations=aspiration,
            learning_preferences=[p for p in PREFERENCES if p in preferences],
            languages="English",
            reading_level=membership.grade_level,
        )
        LearnerProfileVersion.objects.create(
            school=school, profile=profile, snapshot=profile_snapshot(profile)
        )
        added += 1
    return added


@transaction.atomic
def demo_personalization_load(*, school: School, framework: Framework) -> None:
    """Resources for the library of the demo framework, and learners' starting profiles (idempotent)."""
    demo_resources_load(framework=framework)
    demo_profiles_load(school=school)
