# ruff: noqa: RUF001, E501 - item templates: long stems with real maths signs, on purpose
"""The demo school's maths framework, built from the ASSISTments 2009 skill names.

``data/assist2009_updated_skill_mapping.txt`` (copied from the knowledge-tracing data set; one
``skill id<TAB>name`` a line) gives the competencies. Each goes to a domain by keywords in its name
(leftovers to Number), prerequisites come from a curated list (within domains and a few across, such
as fractions before percents), and items are generated from seeded templates, :data:`ITEMS_PER_TEMPLATE`
per competency that has a template. Competencies without a template (graph reading, transformations,
pattern recognition, …: see :func:`untemplated`) have no items yet; they need drawn figures or
free-form answers that a template cannot check.

The framework goes through the same validation and import service as an uploaded file. Deterministic
given the seed, and idempotent: loading it again when the school has it changes nothing.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from fractions import Fraction
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from tessera.curriculum import graph, services
from tessera.curriculum.framework_file import FORMAT, VERSION, framework_document_check
from tessera.curriculum.models import Framework
from tessera.schools.errors import DomainError
from tessera.schools.models import School

DEMO_FRAMEWORK_CODE = "maths-6-8"
ITEMS_PER_TEMPLATE = 6
SKILLS_FILE = "assist2009_updated_skill_mapping.txt"

DOMAINS = [
    ("number", "Number"),
    ("fractions-decimals", "Fractions & decimals"),
    ("ratio-percent", "Ratio & percent"),
    ("algebra", "Algebra"),
    ("geometry-measurement", "Geometry & measurement"),
    ("statistics-probability", "Statistics & probability"),
]
DEFAULT_DOMAIN = "number"
# First match wins; a keyword matches the start of a word of the name (so "rate" is not in "operations").
DOMAIN_KEYWORDS = [
    (
        "statistics-probability",
        "probabilit counting venn histogram graph stem box scatter mean median mode range table",
    ),
    ("fractions-decimals", "fraction decimal"),
    ("ratio-percent", "percent proportion rate scale"),
    (
        "geometry-measurement",
        "area perimeter circumference volume surface angle pythagorean translation rotation reflection "
        "congruence nets similar ruler conversion dimensions",
    ),
    (
        "algebra",
        "equation slope intercept linear quadratic polyomial polynomial algebraic variable inequalities "
        "expressions pattern distributive coordinate midpoint",
    ),
]
# Circle graphs belong with statistics although "graph" would also suit coordinate graphs: keep the
# coordinate ones in algebra.
DOMAIN_OVERRIDES = {
    "Interpreting Coordinate Graphs": "algebra",
    "Write Linear Equation from Graph": "algebra",
}

PREREQUISITES: dict[str, list[str]] = {
    # Number
    "Subtraction Whole Numbers": ["Addition Whole Numbers"],
    "Multiplication Whole Numbers": ["Addition Whole Numbers"],
    "Divisibility Rules": ["Multiplication Whole Numbers"],
    "Prime Number": ["Divisibility Rules"],
    "Greatest Common Factor": ["Prime Number"],
    "Least Common Multiple": ["Prime Number"],
    "Ordering Integers": ["Number Line"],
    "Absolute Value": ["Number Line"],
    "Addition and Subtraction Integers": ["Ordering Integers", "Subtraction Whole Numbers"],
    "Multiplication and Division Integers": [
        "Addition and Subtraction Integers",
        "Multiplication Whole Numbers",
    ],
    "Exponents": ["Multiplication Whole Numbers"],
    "Square Root": ["Exponents"],
    "Scientific Notation": ["Exponents"],
    "Estimation": ["Rounding"],
    "Order of Operations +,-,/,* () positive reals": ["Multiplication Whole Numbers"],
    "Order of Operations All": ["Order of Operations +,-,/,* () positive reals", "Exponents"],
    "Ordering Real Numbers": ["Ordering Integers", "Ordering Positive Decimals", "Square Root"],
    "Computation with Real Numbers": ["Order of Operations All", "Multiplication and Division Integers"],
    # Fractions & decimals
    "Equivalent Fractions": ["Multiplication Whole Numbers"],
    "Ordering Fractions": ["Equivalent Fractions"],
    "Addition and Subtraction Fractions": ["Equivalent Fractions", "Least Common Multiple"],
    "Multiplication Fractions": ["Equivalent Fractions"],
    "Division Fractions": ["Multiplication Fractions"],
    "Fraction Of": ["Multiplication Fractions"],
    "Addition and Subtraction Positive Decimals": ["Addition Whole Numbers"],
    "Multiplication and Division Positive Decimals": [
        "Multiplication Whole Numbers",
        "Addition and Subtraction Positive Decimals",
    ],
    "Conversion of Fraction Decimals Percents": ["Equivalent Fractions", "Ordering Positive Decimals"],
    # Ratio & percent
    "Percents": ["Conversion of Fraction Decimals Percents"],
    "Percent Of": ["Percents", "Fraction Of"],
    "Finding Percents": ["Percent Of"],
    "Percent Discount": ["Percent Of"],
    "Proportion": ["Equivalent Fractions"],
    "Unit Rate": ["Multiplication and Division Positive Decimals"],
    "Rate": ["Unit Rate"],
    "Scale Factor": ["Proportion"],
    # Algebra
    "Recognize Linear Pattern": ["Pattern Finding"],
    "Recognize Quadratic Pattern": ["Recognize Linear Pattern"],
    "Distributive Property": ["Order of Operations +,-,/,* () positive reals"],
    "Algebraic Simplification": ["Distributive Property"],
    "Simplifying Expressions positive exponents": ["Algebraic Simplification", "Exponents"],
    "Equation Solving Two or Fewer Steps": ["Addition and Subtraction Integers"],
    "Equation Solving More Than Two Steps": ["Equation Solving Two or Fewer Steps", "Distributive Property"],
    "Algebraic Solving": ["Equation Solving More Than Two Steps"],
    "Solving for a variable": ["Algebraic Solving"],
    "Solving Inequalities": ["Equation Solving Two or Fewer Steps"],
    "Linear Equations": ["Equation Solving Two or Fewer Steps"],
    "Slope": ["Interpreting Coordinate Graphs"],
    "Finding Slope from Ordered Pairs": ["Slope"],
    "Finding Slope From Equation": ["Slope", "Linear Equations"],
    "Finding Slope From Situation": ["Slope", "Unit Rate"],
    "Intercept": ["Linear Equations"],
    "Write Linear Equation from Ordered Pairs": ["Finding Slope from Ordered Pairs", "Intercept"],
    "Write Linear Equation from Graph": ["Slope", "Intercept"],
    "Write Linear Equation from Situation": ["Finding Slope From Situation", "Intercept"],
    "Choose an Equation from Given Information": ["Write Linear Equation from Situation"],
    "Solving Systems of Linear Equations by Graphing": ["Write Linear Equation from Graph"],
    "Solving Systems of Linear Equations": ["Solving Systems of Linear Equations by Graphing"],
    "Midpoint": ["Interpreting Coordinate Graphs"],
    "Parts of a Polyomial, Terms, Coefficient, Monomial, Exponent, Variable": ["Algebraic Simplification"],
    "Polynomial Factors": ["Parts of a Polyomial, Terms, Coefficient, Monomial, Exponent, Variable"],
    "Quadratic Formula to Solve Quadratic Equation": ["Polynomial Factors", "Square Root"],
    # Geometry & measurement
    "Perimeter of a Polygon": ["Addition Whole Numbers"],
    "Area Rectangle": ["Multiplication Whole Numbers"],
    "Area Parallelogram": ["Area Rectangle"],
    "Area Triangle": ["Area Rectangle"],
    "Area Trapezoid": ["Area Triangle"],
    "Area Irregular Figure": ["Area Rectangle", "Area Triangle"],
    "Circumference": ["Multiplication and Division Positive Decimals"],
    "Area Circle": ["Circumference", "Exponents"],
    "Volume Rectangular Prism": ["Area Rectangle"],
    "Surface Area Rectangular Prism": ["Area Rectangle", "Nets of 3D Figures"],
    "Volume Cylinder": ["Area Circle", "Volume Rectangular Prism"],
    "Surface Area Cylinder": ["Area Circle"],
    "Volume Sphere": ["Volume Cylinder"],
    "Complementary and Supplementary Angles": ["Angles - Obtuse, Acute, and Right"],
    "Interior Angles Triangle": ["Complementary and Supplementary Angles"],
    "Interior Angles Figures with More than 3 Sides": ["Interior Angles Triangle"],
    "Angles on Parallel Lines Cut by a Transversal": ["Complementary and Supplementary Angles"],
    "Pythagorean Theorem": ["Square Root", "Area Triangle"],
    "Reflection": ["Translations"],
    "Rotations": ["Reflection"],
    "Congruence": ["Translations"],
    "Calculations with Similar Figures": ["Proportion"],
    "Effect of Changing Dimensions of a Shape Prportionally": ["Scale Factor", "Area Rectangle"],
    "Unit Conversion Within a System": ["Multiplication and Division Positive Decimals"],
    # Statistics & probability
    "Histogram as Table or Graph": ["Table"],
    "Stem and Leaf Plot": ["Table"],
    "Circle Graph": ["Percents"],
    "Mean": ["Multiplication and Division Positive Decimals"],
    "Median": ["Ordering Positive Decimals"],
    "Box and Whisker": ["Median", "Range"],
    "Scatter Plot": ["Interpreting Coordinate Graphs"],
    "Probability of a Single Event": ["D.4.8-understanding-concept-of-probabilities", "Equivalent Fractions"],
    "Probability of Two Distinct Events": ["Probability of a Single Event", "Multiplication Fractions"],
    "Counting Methods": ["Multiplication Whole Numbers"],
}


# --- the skill list ---------------------------------------------------------------------------------


def skills() -> list[tuple[int, str]]:
    """``(ASSISTments skill id, name)`` in file order, names with quotes and spaces trimmed."""
    text = resources.files("tessera.demo").joinpath("data", SKILLS_FILE).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip():
            skill_id, name = line.split("\t", 1)
            rows.append((int(skill_id), name.strip().strip('"').strip()))
    return rows


def competency_code(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64]


def domain_of(name: str) -> str:
    if name in DOMAIN_OVERRIDES:
        return DOMAIN_OVERRIDES[name]
    words = re.findall(r"[a-z0-9]+", name.lower())
    for domain, keywords in DOMAIN_KEYWORDS:
        if any(word.startswith(keyword) for keyword in keywords.split() for word in words):
            return domain
    return DEFAULT_DOMAIN


# --- item templates -----------------------------------------------------------------------------------

Rng = random.Random
Template = Callable[[Rng], dict[str, Any]]


def _numeric(
    stem: str, answer: float, feedback: str, *, tolerance: float = 0, hints: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "kind": "numeric",
        "stem": stem,
        "answer": round(answer, 6),
        "tolerance": tolerance,
        "hints": list(hints),
        "feedback": feedback,
    }


def _choice(
    stem: str, correct: str, wrong: list[str], feedback: str, rng: Rng, *, hints: tuple[str, ...] = ()
) -> dict[str, Any]:
    choices = list(dict.fromkeys([correct, *wrong]))[:4]
    rng.shuffle(choices)
    return {
        "kind": "multiple_choice",
        "stem": stem,
        "choices": choices,
        "answer": choices.index(correct),
        "hints": list(hints),
        "feedback": feedback,
    }


def _frac(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _two_fractions(rng: Rng) -> tuple[Fraction, Fraction]:
    return Fraction(rng.randint(1, 5), rng.randint(2, 9)), Fraction(rng.randint(1, 5), rng.randint(2, 9))


FRACTION_TOLERANCE = 0.005
FRACTION_HINT = "You may answer with a fraction such as 3/4 or a decimal."


def _add_whole(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(120, 980), rng.randint(120, 980)
    return _numeric(
        f"{a} + {b} = ?",
        a + b,
        f"{a} + {b} = {a + b}.",
        hints=("Add the ones, then the tens, then the hundreds.",),
    )


def _sub_whole(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(500, 999), rng.randint(100, 499)
    return _numeric(
        f"{a} − {b} = ?",
        a - b,
        f"{a} − {b} = {a - b}.",
        hints=("Check by adding your answer to the smaller number.",),
    )


def _mul_whole(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(12, 99), rng.randint(3, 19)
    return _numeric(
        f"{a} × {b} = ?", a * b, f"{a} × {b} = {a * b}.", hints=(f"Split {a} into tens and ones.",)
    )


def _add_sub_integers(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(-20, 20), rng.randint(-20, 20)
    sign = rng.choice(["+", "−"])
    result = a + b if sign == "+" else a - b
    return _numeric(
        f"({a}) {sign} ({b}) = ?",
        result,
        f"({a}) {sign} ({b}) = {result}.",
        hints=("Subtracting a negative number is adding its opposite.",),
    )


def _mul_div_integers(rng: Rng) -> dict[str, Any]:
    a, b = rng.choice([-1, 1]) * rng.randint(2, 12), rng.choice([-1, 1]) * rng.randint(2, 12)
    if rng.random() < 0.5:
        return _numeric(
            f"({a}) × ({b}) = ?", a * b, f"({a}) × ({b}) = {a * b}: signs alike give a positive product."
        )
    return _numeric(
        f"({a * b}) ÷ ({b}) = ?",
        a,
        f"({a * b}) ÷ ({b}) = {a}.",
        hints=("Signs alike give a positive result, unlike a negative one.",),
    )


def _add_sub_decimals(rng: Rng) -> dict[str, Any]:
    a, b = round(rng.uniform(1, 50), 2), round(rng.uniform(1, 20), 2)
    if rng.random() < 0.5:
        return _numeric(
            f"{a} + {b} = ?",
            a + b,
            f"{a} + {b} = {a + b:.2f}.",
            tolerance=0.001,
            hints=("Line up the decimal points.",),
        )
    a, b = max(a, b), min(a, b)
    return _numeric(
        f"{a} − {b} = ?",
        a - b,
        f"{a} − {b} = {a - b:.2f}.",
        tolerance=0.001,
        hints=("Line up the decimal points.",),
    )


def _mul_div_decimals(rng: Rng) -> dict[str, Any]:
    a, b = round(rng.uniform(1, 12), 1), rng.randint(2, 9)
    if rng.random() < 0.5:
        return _numeric(f"{a} × {b} = ?", a * b, f"{a} × {b} = {a * b:.1f}.", tolerance=0.001)
    return _numeric(
        f"{a * b:.1f} ÷ {b} = ?",
        a,
        f"{a * b:.1f} ÷ {b} = {a}.",
        tolerance=0.001,
        hints=("Divide as whole numbers, then place the decimal point.",),
    )


def _order_of_operations(rng: Rng) -> dict[str, Any]:
    a, b, c, d = (rng.randint(2, 9) for _ in range(4))
    return _numeric(
        f"{a} + {b} × ({c} + {d}) = ?",
        a + b * (c + d),
        f"Brackets first: {c} + {d} = {c + d}; then {b} × {c + d} = {b * (c + d)}; then add {a}: {a + b * (c + d)}.",
        hints=("Brackets, then multiplication, then addition.",),
    )


def _order_of_operations_all(rng: Rng) -> dict[str, Any]:
    a, b, c = rng.randint(2, 6), rng.randint(2, 9), rng.randint(2, 5)
    result = a**2 - b + c * 3
    return _numeric(
        f"{a}² − {b} + {c} × 3 = ?",
        result,
        f"{a}² = {a * a}; {c} × 3 = {c * 3}; {a * a} − {b} + {c * 3} = {result}.",
        hints=("Powers first, then multiplication, then left to right.",),
    )


def _exponents(rng: Rng) -> dict[str, Any]:
    a, n = rng.randint(2, 6), rng.randint(2, 4)
    return _numeric(f"{a}^{n} = ?", a**n, f"{a}^{n} means {' × '.join([str(a)] * n)} = {a**n}.")


def _square_root(rng: Rng) -> dict[str, Any]:
    a = rng.randint(4, 20)
    return _numeric(f"√{a * a} = ?", a, f"{a} × {a} = {a * a}, so √{a * a} = {a}.")


def _scientific(rng: Rng) -> dict[str, Any]:
    m, e = rng.randint(11, 99) / 10, rng.randint(2, 5)
    return _numeric(
        f"Write {m} × 10^{e} as an ordinary number.",
        m * 10**e,
        f"Move the decimal point {e} places right: {m * 10**e:g}.",
        tolerance=0.001,
    )


def _absolute(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(-30, -1), rng.randint(1, 30)
    return _numeric(f"|{a}| + |{b}| = ?", abs(a) + b, f"|{a}| = {abs(a)}, so the sum is {abs(a) + b}.")


def _gcf(rng: Rng) -> dict[str, Any]:
    g = rng.randint(2, 12)
    a, b = g * rng.choice([2, 3, 5]), g * rng.choice([7, 11, 4])
    return _numeric(
        f"What is the greatest common factor of {a} and {b}?",
        math.gcd(a, b),
        f"The greatest number dividing both is {math.gcd(a, b)}.",
    )


def _lcm(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(2, 12), rng.randint(2, 12)
    return _numeric(
        f"What is the least common multiple of {a} and {b}?",
        math.lcm(a, b),
        f"The smallest number both divide is {math.lcm(a, b)}.",
    )


PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]


def _prime(rng: Rng) -> dict[str, Any]:
    p = rng.choice(PRIMES[3:])
    wrong = rng.sample([9, 15, 21, 25, 27, 33, 35, 39, 45, 49, 51], 3)
    return _choice(
        "Which of these numbers is prime?",
        str(p),
        [str(w) for w in wrong],
        f"{p} has no divisors other than 1 and itself.",
        rng,
    )


def _divisibility(rng: Rng) -> dict[str, Any]:
    d = rng.choice([3, 4, 6, 9])
    n = d * rng.randint(12, 99)
    wrong = [str(n + k) for k in (1, 2, d + 1) if (n + k) % d]
    return _choice(f"Which number is divisible by {d}?", str(n), wrong, f"{n} = {d} × {n // d}.", rng)


def _rounding(rng: Rng) -> dict[str, Any]:
    n = rng.randint(1000, 9999)
    return _numeric(
        f"Round {n} to the nearest hundred.",
        round(n, -2),
        f"Look at the tens digit: {n} rounds to {round(n, -2)}.",
    )


def _estimation(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(21, 89), rng.randint(21, 89)
    estimate = round(a, -1) + round(b, -1)
    return _numeric(
        f"Estimate {a} + {b} by rounding each number to the nearest ten first.",
        estimate,
        f"{round(a, -1)} + {round(b, -1)} = {estimate}.",
    )


def _ordering_integers(rng: Rng) -> dict[str, Any]:
    values = rng.sample(range(-20, 21), 4)
    return _choice(
        "Which number is the smallest?",
        str(min(values)),
        [str(v) for v in values if v != min(values)],
        f"{min(values)} is furthest left on the number line.",
        rng,
    )


def _number_line(rng: Rng) -> dict[str, Any]:
    a, step = rng.randint(-10, 10), rng.randint(2, 9)
    return _numeric(
        f"On a number line, start at {a} and move {step} to the left. Where do you land?",
        a - step,
        f"{a} − {step} = {a - step}.",
    )


def _equivalent_fractions(rng: Rng) -> dict[str, Any]:
    n, d, k = rng.randint(1, 6), rng.randint(7, 12), rng.randint(2, 6)
    return _numeric(
        f"{n}/{d} = ?/{d * k}. What is the missing numerator?",
        n * k,
        f"The denominator was multiplied by {k}, so the numerator is {n} × {k} = {n * k}.",
    )


def _ordering_fractions(rng: Rng) -> dict[str, Any]:
    values = list({Fraction(rng.randint(1, 8), rng.randint(2, 9)) for _ in range(6)})[:4]
    while len(values) < 2:
        values.append(Fraction(len(values) + 1, 10))
    return _choice(
        "Which fraction is the largest?",
        _frac(max(values)),
        [_frac(v) for v in values if v != max(values)],
        f"{_frac(max(values))} is about {float(max(values)):.2f}, more than the others.",
        rng,
        hints=("Compare them as decimals, or over a common denominator.",),
    )


def _ordering_decimals(rng: Rng) -> dict[str, Any]:
    values = list({round(rng.uniform(0, 1), rng.choice([1, 2, 3])) for _ in range(6)})[:4]
    while len(values) < 2:
        values.append(0.05 * len(values))
    return _choice(
        "Which decimal is the largest?",
        str(max(values)),
        [str(v) for v in values if v != max(values)],
        f"Compare digit by digit from the tenths: {max(values)} is largest.",
        rng,
    )


def _add_sub_fractions(rng: Rng) -> dict[str, Any]:
    a, b = _two_fractions(rng)
    return _numeric(
        f"{_frac(a)} + {_frac(b)} = ?",
        float(a + b),
        f"Over a common denominator: {_frac(a)} + {_frac(b)} = {_frac(a + b)}.",
        tolerance=FRACTION_TOLERANCE,
        hints=(FRACTION_HINT, "Find a common denominator first."),
    )


def _mul_fractions(rng: Rng) -> dict[str, Any]:
    a, b = _two_fractions(rng)
    return _numeric(
        f"{_frac(a)} × {_frac(b)} = ?",
        float(a * b),
        f"Multiply the numerators and the denominators: {_frac(a * b)}.",
        tolerance=FRACTION_TOLERANCE,
        hints=(FRACTION_HINT,),
    )


def _div_fractions(rng: Rng) -> dict[str, Any]:
    a, b = _two_fractions(rng)
    return _numeric(
        f"{_frac(a)} ÷ {_frac(b)} = ?",
        float(a / b),
        f"Multiply by the reciprocal: {_frac(a)} × {_frac(1 / b)} = {_frac(a / b)}.",
        tolerance=FRACTION_TOLERANCE,
        hints=(FRACTION_HINT, "Dividing by a fraction is multiplying by its reciprocal."),
    )


def _fraction_of(rng: Rng) -> dict[str, Any]:
    d = rng.randint(2, 9)
    n, whole = rng.randint(1, d - 1), d * rng.randint(2, 12)
    return _numeric(
        f"What is {n}/{d} of {whole}?",
        whole * n / d,
        f"{whole} ÷ {d} = {whole // d}; × {n} = {whole * n // d}.",
    )


def _conversion(rng: Rng) -> dict[str, Any]:
    value = Fraction(rng.choice([1, 1, 3, 1, 2, 3, 7]), rng.choice([2, 4, 5, 8, 10, 20, 25]))
    return _numeric(
        f"Write {_frac(value)} as a percent (just the number).",
        float(value * 100),
        f"{_frac(value)} = {float(value):g} = {float(value * 100):g}%.",
        tolerance=0.01,
    )


def _percents(rng: Rng) -> dict[str, Any]:
    p = rng.choice([5, 10, 12, 25, 40, 75, 120])
    return _numeric(
        f"Write {p}% as a decimal.", p / 100, f"{p}% means {p} hundredths: {p / 100:g}.", tolerance=0.0001
    )


def _percent_of(rng: Rng) -> dict[str, Any]:
    p, n = rng.choice([10, 20, 25, 30, 50, 75]), rng.randint(2, 40) * 4
    return _numeric(
        f"What is {p}% of {n}?",
        p * n / 100,
        f"{p}% of {n} = {p / 100:g} × {n} = {p * n / 100:g}.",
        tolerance=0.001,
    )


def _finding_percents(rng: Rng) -> dict[str, Any]:
    whole = rng.choice([20, 25, 40, 50, 80, 200])
    part = whole * rng.choice([1, 2, 3, 4]) // 5
    return _numeric(
        f"{part} is what percent of {whole}?",
        100 * part / whole,
        f"{part} ÷ {whole} = {part / whole:g} = {100 * part / whole:g}%.",
        tolerance=0.01,
    )


def _discount(rng: Rng) -> dict[str, Any]:
    price, off = rng.randint(4, 30) * 5, rng.choice([10, 20, 25, 30, 50])
    return _numeric(
        f"A jacket costs ${price}. It is {off}% off. What is the sale price in dollars?",
        price * (100 - off) / 100,
        f"{off}% of {price} is {price * off / 100:g}; {price} − {price * off / 100:g} = {price * (100 - off) / 100:g}.",
        tolerance=0.01,
    )


def _proportion(rng: Rng) -> dict[str, Any]:
    a, b, k = rng.randint(2, 9), rng.randint(2, 9), rng.randint(2, 7)
    return _numeric(
        f"{a}/{b} = x/{b * k}. What is x?", a * k, f"{b} × {k} = {b * k}, so x = {a} × {k} = {a * k}."
    )


def _unit_rate(rng: Rng) -> dict[str, Any]:
    n, each = rng.randint(3, 12), rng.choice([0.5, 1.25, 2, 2.5, 3.2])
    return _numeric(
        f"{n} pens cost ${n * each:.2f}. How much does one pen cost, in dollars?",
        each,
        f"{n * each:.2f} ÷ {n} = {each:.2f}.",
        tolerance=0.001,
    )


def _rate(rng: Rng) -> dict[str, Any]:
    speed, hours = rng.randint(30, 90), rng.randint(2, 6)
    return _numeric(
        f"A car drives {speed * hours} km in {hours} hours. What is its average speed in km/h?",
        speed,
        f"{speed * hours} ÷ {hours} = {speed} km/h.",
    )


def _scale_factor(rng: Rng) -> dict[str, Any]:
    side, k = rng.randint(2, 12), rng.randint(2, 5)
    return _numeric(
        f"A square with side {side} cm is enlarged to side {side * k} cm. What is the scale factor?",
        k,
        f"{side * k} ÷ {side} = {k}.",
    )


def _similar(rng: Rng) -> dict[str, Any]:
    a, b, k = rng.randint(2, 9), rng.randint(2, 9), rng.randint(2, 4)
    return _numeric(
        f"Two triangles are similar. Sides {a} cm and {b} cm of the first match sides {a * k} cm and x cm of the second. What is x?",
        b * k,
        f"The scale factor is {k}, so x = {b} × {k} = {b * k}.",
    )


def _changing_dimensions(rng: Rng) -> dict[str, Any]:
    k = rng.randint(2, 4)
    area = rng.randint(3, 20)
    return _numeric(
        f"A rectangle has area {area} cm². Both its length and width are multiplied by {k}. What is the new area in cm²?",
        area * k * k,
        f"The area is multiplied by {k}² = {k * k}: {area * k * k} cm².",
    )


def _perimeter(rng: Rng) -> dict[str, Any]:
    sides = [rng.randint(2, 15) for _ in range(rng.randint(3, 6))]
    return _numeric(
        f"A polygon has sides {', '.join(map(str, sides))} cm. What is its perimeter in cm?",
        sum(sides),
        f"Add all the sides: {sum(sides)} cm.",
    )


def _area_rectangle(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(2, 20), rng.randint(2, 20)
    return _numeric(
        f"A rectangle is {a} cm long and {b} cm wide. What is its area in cm²?",
        a * b,
        f"Area = length × width = {a * b} cm².",
    )


def _area_parallelogram(rng: Rng) -> dict[str, Any]:
    b, h = rng.randint(2, 20), rng.randint(2, 20)
    return _numeric(
        f"A parallelogram has base {b} m and height {h} m. What is its area in m²?",
        b * h,
        f"Area = base × height = {b * h} m².",
    )


def _area_triangle(rng: Rng) -> dict[str, Any]:
    b, h = rng.randint(2, 20), rng.randint(2, 20)
    return _numeric(
        f"A triangle has base {b} cm and height {h} cm. What is its area in cm²?",
        b * h / 2,
        f"Area = ½ × {b} × {h} = {b * h / 2:g} cm².",
        tolerance=0.001,
        hints=("A triangle is half of a parallelogram.",),
    )


def _area_trapezoid(rng: Rng) -> dict[str, Any]:
    a, b, h = rng.randint(2, 12), rng.randint(2, 12), rng.randint(2, 10)
    return _numeric(
        f"A trapezoid has parallel sides {a} cm and {b} cm and height {h} cm. What is its area in cm²?",
        (a + b) * h / 2,
        f"Area = ½ × ({a} + {b}) × {h} = {(a + b) * h / 2:g} cm².",
        tolerance=0.001,
    )


def _area_irregular(rng: Rng) -> dict[str, Any]:
    a, b, c = rng.randint(4, 12), rng.randint(2, 8), rng.randint(2, 8)
    return _numeric(
        f"An L-shape is a {a} × {b} cm rectangle with a {c} × {b} cm rectangle attached along one side. What is its area in cm²?",
        a * b + c * b,
        f"{a * b} + {c * b} = {a * b + c * b} cm².",
    )


def _circumference(rng: Rng) -> dict[str, Any]:
    r = rng.randint(1, 15)
    return _numeric(
        f"A circle has radius {r} cm. What is its circumference in cm? (Use π ≈ 3.14; round to one decimal.)",
        2 * 3.14 * r,
        f"C = 2πr ≈ 2 × 3.14 × {r} = {2 * 3.14 * r:.2f} cm.",
        tolerance=0.1,
    )


def _area_circle(rng: Rng) -> dict[str, Any]:
    r = rng.randint(1, 12)
    return _numeric(
        f"A circle has radius {r} m. What is its area in m²? (Use π ≈ 3.14; round to one decimal.)",
        3.14 * r * r,
        f"A = πr² ≈ 3.14 × {r * r} = {3.14 * r * r:.2f} m².",
        tolerance=0.1,
    )


def _volume_prism(rng: Rng) -> dict[str, Any]:
    a, b, c = rng.randint(2, 10), rng.randint(2, 10), rng.randint(2, 10)
    return _numeric(
        f"A box is {a} cm × {b} cm × {c} cm. What is its volume in cm³?",
        a * b * c,
        f"V = {a} × {b} × {c} = {a * b * c} cm³.",
    )


def _surface_prism(rng: Rng) -> dict[str, Any]:
    a, b, c = rng.randint(2, 10), rng.randint(2, 10), rng.randint(2, 10)
    area = 2 * (a * b + b * c + a * c)
    return _numeric(
        f"A box is {a} cm × {b} cm × {c} cm. What is its surface area in cm²?",
        area,
        f"2 × ({a * b} + {b * c} + {a * c}) = {area} cm².",
        hints=("A box has three pairs of equal faces.",),
    )


def _volume_cylinder(rng: Rng) -> dict[str, Any]:
    r, h = rng.randint(1, 6), rng.randint(2, 10)
    return _numeric(
        f"A cylinder has radius {r} cm and height {h} cm. What is its volume in cm³? (Use π ≈ 3.14; round to one decimal.)",
        3.14 * r * r * h,
        f"V = πr²h ≈ 3.14 × {r * r} × {h} = {3.14 * r * r * h:.2f} cm³.",
        tolerance=0.1,
    )


def _surface_cylinder(rng: Rng) -> dict[str, Any]:
    r, h = rng.randint(1, 6), rng.randint(2, 10)
    area = 2 * 3.14 * r * r + 2 * 3.14 * r * h
    return _numeric(
        f"A closed cylinder has radius {r} cm and height {h} cm. What is its surface area in cm²? (Use π ≈ 3.14; round to one decimal.)",
        area,
        f"2πr² + 2πrh ≈ {area:.2f} cm².",
        tolerance=0.1,
    )


def _volume_sphere(rng: Rng) -> dict[str, Any]:
    r = rng.randint(1, 6)
    volume = 4 / 3 * 3.14 * r**3
    return _numeric(
        f"A sphere has radius {r} cm. What is its volume in cm³? (Use π ≈ 3.14; round to one decimal.)",
        volume,
        f"V = 4/3 πr³ ≈ {volume:.2f} cm³.",
        tolerance=0.1,
    )


def _angle_kind(rng: Rng) -> dict[str, Any]:
    angle = rng.choice([rng.randint(10, 85), 90, rng.randint(95, 175)])
    kind = "acute" if angle < 90 else "right" if angle == 90 else "obtuse"
    return {
        "kind": "short_text",
        "stem": f"Is an angle of {angle}° acute, right or obtuse?",
        "accepted": [kind, f"{kind} angle"],
        "hints": ["Compare it with 90°."],
        "feedback": f"{angle}° is {kind}: acute is less than 90°, right is exactly 90°, obtuse is between 90° and 180°.",
    }


def _complementary(rng: Rng) -> dict[str, Any]:
    angle = rng.randint(10, 80)
    if rng.random() < 0.5:
        return _numeric(
            f"What is the complement of a {angle}° angle, in degrees?",
            90 - angle,
            f"Complementary angles add to 90°: 90 − {angle} = {90 - angle}.",
        )
    return _numeric(
        f"What is the supplement of a {angle}° angle, in degrees?",
        180 - angle,
        f"Supplementary angles add to 180°: 180 − {angle} = {180 - angle}.",
    )


def _triangle_angles(rng: Rng) -> dict[str, Any]:
    a, b = rng.randint(20, 80), rng.randint(20, 80)
    return _numeric(
        f"Two angles of a triangle are {a}° and {b}°. What is the third, in degrees?",
        180 - a - b,
        f"180 − {a} − {b} = {180 - a - b}.",
    )


def _polygon_angles(rng: Rng) -> dict[str, Any]:
    n = rng.randint(4, 10)
    return _numeric(
        f"What is the sum of the interior angles of a polygon with {n} sides, in degrees?",
        (n - 2) * 180,
        f"(n − 2) × 180 = {n - 2} × 180 = {(n - 2) * 180}.",
    )


def _parallel_lines(rng: Rng) -> dict[str, Any]:
    angle = rng.randint(30, 150)
    return _numeric(
        f"A transversal cuts two parallel lines. One angle is {angle}°. What is the co-interior (same-side interior) angle, in degrees?",
        180 - angle,
        f"Co-interior angles add to 180°: {180 - angle}°.",
    )


def _pythagoras(rng: Rng) -> dict[str, Any]:
    a, b, c = rng.choice([(3, 4, 5), (5, 12, 13), (8, 15, 17), (7, 24, 25), (6, 8, 10), (9, 12, 15)])
    return _numeric(
        f"A right triangle has legs {a} and {b}. How long is the hypotenuse?",
        c,
        f"√({a}² + {b}²) = √{a * a + b * b} = {c}.",
    )


def _unit_conversion(rng: Rng) -> dict[str, Any]:
    cm = rng.randint(120, 980)
    return _numeric(
        f"How many metres is {cm} cm?",
        cm / 100,
        f"100 cm = 1 m, so {cm} cm = {cm / 100:g} m.",
        tolerance=0.0001,
    )


def _data(rng: Rng, count: int = 5) -> list[int]:
    return sorted(rng.randint(1, 20) for _ in range(count))


def _mean(rng: Rng) -> dict[str, Any]:
    values = _data(rng)
    return _numeric(
        f"What is the mean of {', '.join(map(str, values))}?",
        sum(values) / len(values),
        f"{sum(values)} ÷ {len(values)} = {sum(values) / len(values):g}.",
        tolerance=0.01,
    )


def _median(rng: Rng) -> dict[str, Any]:
    values = _data(rng, rng.choice([5, 7]))
    shown = values[:]
    rng.shuffle(shown)
    return _numeric(
        f"What is the median of {', '.join(map(str, shown))}?",
        values[len(values) // 2],
        f"In order: {', '.join(map(str, values))}; the middle value is {values[len(values) // 2]}.",
        hints=("Put the numbers in order first.",),
    )


def _mode(rng: Rng) -> dict[str, Any]:
    values = rng.sample(range(1, 20), 5)
    repeated = values[0]
    shown = [*values, repeated]
    rng.shuffle(shown)
    return _numeric(
        f"What is the mode of {', '.join(map(str, shown))}?", repeated, f"{repeated} appears most often."
    )


def _range(rng: Rng) -> dict[str, Any]:
    values = rng.sample(range(1, 60), 6)
    return _numeric(
        f"What is the range of {', '.join(map(str, values))}?",
        max(values) - min(values),
        f"{max(values)} − {min(values)} = {max(values) - min(values)}.",
    )


def _single_probability(rng: Rng) -> dict[str, Any]:
    red, blue = rng.randint(1, 9), rng.randint(1, 9)
    return _numeric(
        f"A bag has {red} red and {blue} blue marbles. What is the probability of picking a red one?",
        red / (red + blue),
        f"{red} of the {red + blue} marbles are red: {_frac(Fraction(red, red + blue))}.",
        tolerance=FRACTION_TOLERANCE,
        hints=(FRACTION_HINT,),
    )


def _two_events(rng: Rng) -> dict[str, Any]:
    face = rng.randint(1, 6)
    side = rng.choice(["heads", "tails"])
    return _numeric(
        f"You flip a coin and roll a die. What is the probability of {side} and a {face}?",
        1 / 12,
        "½ × ⅙ = 1/12.",
        tolerance=FRACTION_TOLERANCE,
        hints=(FRACTION_HINT, "Multiply the probabilities of independent events."),
    )


def _counting(rng: Rng) -> dict[str, Any]:
    a, b, c = rng.randint(2, 6), rng.randint(2, 5), rng.randint(1, 4)
    return _numeric(
        f"You have {a} shirts, {b} pairs of trousers and {c} hats. How many outfits of one of each can you make?",
        a * b * c,
        f"{a} × {b} × {c} = {a * b * c}.",
    )


def _distributive(rng: Rng) -> dict[str, Any]:
    a, b, c = rng.randint(2, 9), rng.randint(2, 9), rng.randint(2, 9)
    return _numeric(
        f"{a}({b} + {c}) = {a} × {b} + {a} × ?",
        c,
        f"The factor {a} multiplies each term: {a} × {b} + {a} × {c}.",
    )


def _two_step(rng: Rng) -> dict[str, Any]:
    a, x, b = rng.randint(2, 9), rng.randint(-10, 10), rng.randint(-20, 20)
    return _numeric(
        f"Solve {a}x + ({b}) = {a * x + b}. x = ?",
        x,
        f"Subtract {b}: {a}x = {a * x}; divide by {a}: x = {x}.",
        hints=("Undo the addition first, then the multiplication.",),
    )


def _multi_step(rng: Rng) -> dict[str, Any]:
    a, x, b, c = rng.randint(2, 6), rng.randint(-8, 8), rng.randint(1, 9), rng.randint(1, 9)
    return _numeric(
        f"Solve {a}(x + {b}) − {c} = {a * (x + b) - c}. x = ?",
        x,
        f"Add {c}, divide by {a}, subtract {b}: x = {x}.",
    )


def _linear_equation(rng: Rng) -> dict[str, Any]:
    m, b, x = rng.randint(-5, 5) or 2, rng.randint(-10, 10), rng.randint(-5, 5)
    return _numeric(
        f"On the line y = {m}x + ({b}), what is y when x = {x}?",
        m * x + b,
        f"y = {m} × {x} + ({b}) = {m * x + b}.",
    )


def _slope_from_pairs(rng: Rng) -> dict[str, Any]:
    x1, y1, dx, m = rng.randint(-5, 5), rng.randint(-5, 5), rng.randint(1, 4), rng.randint(-4, 4)
    return _numeric(
        f"What is the slope of the line through ({x1}, {y1}) and ({x1 + dx}, {y1 + m * dx})?",
        m,
        f"(change in y) ÷ (change in x) = {m * dx} ÷ {dx} = {m}.",
    )


def _slope_from_equation(rng: Rng) -> dict[str, Any]:
    m, b = rng.randint(-9, 9) or 3, rng.randint(-9, 9)
    return _numeric(f"What is the slope of y = {m}x + ({b})?", m, f"In y = mx + b the slope is m = {m}.")


def _intercept(rng: Rng) -> dict[str, Any]:
    m, b = rng.randint(-9, 9) or 2, rng.randint(-9, 9)
    return _numeric(
        f"Where does y = {m}x + ({b}) cross the y-axis? Give the y value.", b, f"At x = 0, y = {b}."
    )


def _midpoint(rng: Rng) -> dict[str, Any]:
    x1, x2, y1, y2 = (2 * rng.randint(-5, 5) for _ in range(4))
    return _numeric(
        f"What is the x-coordinate of the midpoint of ({x1}, {y1}) and ({x2}, {y2})?",
        (x1 + x2) / 2,
        f"({x1} + {x2}) ÷ 2 = {(x1 + x2) // 2}.",
    )


TEMPLATES: dict[str, Template] = {
    "Addition Whole Numbers": _add_whole,
    "Subtraction Whole Numbers": _sub_whole,
    "Multiplication Whole Numbers": _mul_whole,
    "Addition and Subtraction Integers": _add_sub_integers,
    "Multiplication and Division Integers": _mul_div_integers,
    "Addition and Subtraction Positive Decimals": _add_sub_decimals,
    "Multiplication and Division Positive Decimals": _mul_div_decimals,
    "Order of Operations +,-,/,* () positive reals": _order_of_operations,
    "Order of Operations All": _order_of_operations_all,
    "Exponents": _exponents,
    "Square Root": _square_root,
    "Scientific Notation": _scientific,
    "Absolute Value": _absolute,
    "Greatest Common Factor": _gcf,
    "Least Common Multiple": _lcm,
    "Prime Number": _prime,
    "Divisibility Rules": _divisibility,
    "Rounding": _rounding,
    "Estimation": _estimation,
    "Ordering Integers": _ordering_integers,
    "Number Line": _number_line,
    "Equivalent Fractions": _equivalent_fractions,
    "Ordering Fractions": _ordering_fractions,
    "Ordering Positive Decimals": _ordering_decimals,
    "Addition and Subtraction Fractions": _add_sub_fractions,
    "Multiplication Fractions": _mul_fractions,
    "Division Fractions": _div_fractions,
    "Fraction Of": _fraction_of,
    "Conversion of Fraction Decimals Percents": _conversion,
    "Percents": _percents,
    "Percent Of": _percent_of,
    "Finding Percents": _finding_percents,
    "Percent Discount": _discount,
    "Proportion": _proportion,
    "Unit Rate": _unit_rate,
    "Rate": _rate,
    "Scale Factor": _scale_factor,
    "Calculations with Similar Figures": _similar,
    "Effect of Changing Dimensions of a Shape Prportionally": _changing_dimensions,
    "Perimeter of a Polygon": _perimeter,
    "Area Rectangle": _area_rectangle,
    "Area Parallelogram": _area_parallelogram,
    "Area Triangle": _area_triangle,
    "Area Trapezoid": _area_trapezoid,
    "Area Irregular Figure": _area_irregular,
    "Circumference": _circumference,
    "Area Circle": _area_circle,
    "Volume Rectangular Prism": _volume_prism,
    "Surface Area Rectangular Prism": _surface_prism,
    "Volume Cylinder": _volume_cylinder,
    "Surface Area Cylinder": _surface_cylinder,
    "Volume Sphere": _volume_sphere,
    "Angles - Obtuse, Acute, and Right": _angle_kind,
    "Complementary and Supplementary Angles": _complementary,
    "Interior Angles Triangle": _triangle_angles,
    "Interior Angles Figures with More than 3 Sides": _polygon_angles,
    "Angles on Parallel Lines Cut by a Transversal": _parallel_lines,
    "Pythagorean Theorem": _pythagoras,
    "Unit Conversion Within a System": _unit_conversion,
    "Mean": _mean,
    "Median": _median,
    "Mode": _mode,
    "Range": _range,
    "Probability of a Single Event": _single_probability,
    "Probability of Two Distinct Events": _two_events,
    "Counting Methods": _counting,
    "Distributive Property": _distributive,
    "Equation Solving Two or Fewer Steps": _two_step,
    "Equation Solving More Than Two Steps": _multi_step,
    "Linear Equations": _linear_equation,
    "Finding Slope from Ordered Pairs": _slope_from_pairs,
    "Finding Slope From Equation": _slope_from_equation,
    "Intercept": _intercept,
    "Midpoint": _midpoint,
}


def _distinct_items(template: Template, rng: Rng) -> list[dict[str, Any]]:
    """:data:`ITEMS_PER_TEMPLATE` different items (a few tries each, then fewer rather than repeats)."""
    items: dict[str, dict[str, Any]] = {}
    for _ in range(ITEMS_PER_TEMPLATE * 10):
        item = template(rng)
        items.setdefault(repr((item["stem"], item.get("choices"))), item)
        if len(items) == ITEMS_PER_TEMPLATE:
            break
    return list(items.values())


def untemplated() -> list[str]:
    """Competencies of the demo framework that have no item template (so no items yet)."""
    return [name for _, name in skills() if name not in TEMPLATES]


# --- the document -------------------------------------------------------------------------------------


def demo_framework_document(*, seed: int = 2026) -> dict[str, Any]:
    """The demo framework as a framework file (see :mod:`tessera.curriculum.framework_file`)."""
    rng = random.Random(seed)
    rows = skills()
    codes = {name: competency_code(name) for _, name in rows}
    by_domain: dict[str, list[dict[str, Any]]] = {code: [] for code, _ in DOMAINS}
    edges = {codes[name]: [codes[b] for b in PREREQUISITES.get(name, [])] for _, name in rows}
    order = graph.topological_order(edges)
    rank = {code: position for position, code in enumerate(order)}
    for skill_id, name in sorted(rows, key=lambda row: rank[codes[row[1]]]):
        by_domain[domain_of(name)].append(
            {
                "code": codes[name],
                "name": name,
                "description": f"ASSISTments 2009 skill {skill_id}.",
                "prerequisites": [codes[before] for before in PREREQUISITES.get(name, [])],
            }
        )
    depth = {code: position / max(len(order) - 1, 1) for code, position in rank.items()}
    items = []
    for _, name in rows:
        template = TEMPLATES.get(name)
        if template is None:
            continue
        code = codes[name]
        for k, item in enumerate(_distinct_items(template, rng)):
            difficulty = round(-2 + 4 * depth[code] + rng.uniform(-0.5, 0.5), 2)
            items.append(
                {"code": f"{code}-{k + 1}", **item, "difficulty": difficulty, "competencies": [code]}
            )
    return {
        "format": FORMAT,
        "version": VERSION,
        "framework": {
            "code": DEMO_FRAMEWORK_CODE,
            "name": "Mathematics, grades 6–8",
            "description": "Built from the ASSISTments 2009 skills, with generated practice items.",
        },
        "domains": [
            {"code": code, "name": name, "competencies": by_domain[code]}
            for code, name in DOMAINS
            if by_domain[code]
        ],
        "items": items,
    }


@transaction.atomic
def demo_framework_load(*, school: School, seed: int = 2026) -> tuple[Framework, bool]:
    """Give the demo school its maths framework unless it has it. Returns the framework and whether it
    is new. Its library and the learners' profiles are :mod:`tessera.demo.personalization`'s."""
    existing = Framework.objects.filter(school=school, code=DEMO_FRAMEWORK_CODE).first()
    if existing is not None:
        return existing, False
    document = framework_document_check(demo_framework_document(seed=seed))
    result = services.framework_import(actor=None, school=school, document=document)
    if result.framework is None:
        raise DomainError(
            gettext("The demo framework is invalid: %(errors)s")
            % {"errors": "; ".join(map(str, result.errors[:5]))},
            code="demo.framework_invalid",
        )
    return result.framework, True
