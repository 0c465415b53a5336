"""Checking answers against items: pure, no database."""

from __future__ import annotations

import pytest

from tessera.curriculum.answers import answer_check

CHOICE = {"kind": "multiple_choice", "choices": ["1/3", "1/2", "2/3"], "answer": 1}
NUMERIC = {"kind": "numeric", "answer": 0.75, "tolerance": 0.01}
TEXT = {"kind": "short_text", "accepted": ["Right angle", "right"]}


@pytest.mark.parametrize(("answer", "correct"), [(1, True), (0, False), ("2", False), (" 1 ", True)])
def test_multiple_choice_compares_the_chosen_option(answer: object, correct: bool) -> None:
    assert answer_check(CHOICE, answer) is correct


@pytest.mark.parametrize(
    ("answer", "correct"),
    [(0.75, True), ("0.75", True), ("3/4", True), ("0,76", True), ("75%", True), (0.77, False), (1, False)],
)
def test_numeric_accepts_decimals_fractions_and_percents_within_tolerance(
    answer: object, correct: bool
) -> None:
    assert answer_check(NUMERIC, answer) is correct


def test_numeric_reads_mixed_and_negative_numbers() -> None:
    assert answer_check({"kind": "numeric", "answer": 1.5, "tolerance": 0}, "1 1/2")
    assert answer_check({"kind": "numeric", "answer": -1.5, "tolerance": 0}, "-1 1/2")
    assert answer_check({"kind": "numeric", "answer": -2, "tolerance": 0}, -2)


@pytest.mark.parametrize(
    ("answer", "correct"),
    [("right angle", True), ("  RIGHT   Angle ", True), ("Right", True), ("acute", False)],
)
def test_short_text_ignores_case_and_spaces(answer: str, correct: bool) -> None:
    assert answer_check(TEXT, answer) is correct


@pytest.mark.parametrize(
    ("spec", "answer", "message"),
    [
        (CHOICE, 3, "no option 3"),
        (CHOICE, -1, "no option -1"),
        (CHOICE, "half", "choose one of the options"),
        (CHOICE, True, "choose one of the options"),
        (NUMERIC, "three quarters", "is not a number"),
        (NUMERIC, "", "empty"),
        (NUMERIC, "1/0", "is not a number"),
        (NUMERIC, "nan", "is not a number"),
        (NUMERIC, float("inf"), "finite"),
        (NUMERIC, None, "must be a number"),
        (NUMERIC, "9" * 300, "longer than"),
        (NUMERIC, "1e-9999999", "is not a number"),  # Fraction() would spend seconds computing 10**9999999
        (NUMERIC, "1e400", "is not a number"),
        (NUMERIC, 10**400, "finite"),
        (NUMERIC, "9" * 40, "is not a number"),
        (TEXT, "right\x00 angle", "control characters"),
        (TEXT, "   ", "empty"),
        (TEXT, 4, "must be text"),
        (TEXT, "x" * 201, "longer than"),
        ({"kind": "essay"}, "hello", "unknown item kind"),
    ],
)
def test_malformed_answers_raise_a_clear_value_error(
    spec: dict[str, object], answer: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        answer_check(spec, answer)
