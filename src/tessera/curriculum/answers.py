"""Checking a learner's answer against an item: pure logic, no database.

An item spec is a plain mapping, the same shape the framework JSON uses::

    {"kind": "multiple_choice", "choices": ["1/2", "1/3"], "answer": 0}
    {"kind": "numeric", "answer": 0.75, "tolerance": 0.01}
    {"kind": "short_text", "accepted": ["x = 4", "4"]}
    {"kind": "multiple_selection", "choices": ["2", "3", "4"], "answer": [0, 1]}

An open response (``{"kind": "open_response"}``) is marked by a teacher against its rubric, never here.

>>> answer_check({"kind": "numeric", "answer": 0.75, "tolerance": 0.01}, "3/4")
True
>>> answer_check({"kind": "short_text", "accepted": ["Right angle"]}, "  right   ANGLE ")
True
>>> answer_check({"kind": "multiple_selection", "choices": ["2", "3", "4"], "answer": [0, 1]}, [1, 0])
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from tessera.schools.text import has_control_characters

KINDS = ("multiple_choice", "multiple_selection", "numeric", "short_text", "open_response")
MAX_ANSWER_LENGTH = 200
# A decimal (``-2.5``, ``.5``), a fraction (``3/4``) or a mixed number (``1 1/2``), at most 30 digits a part.
PLAIN_NUMBER = re.compile(
    r"[-+]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})(/\d{1,30})?|[-+]?\d{1,30} \d{1,30}/\d{1,30}"
)


def normalize_text(value: str) -> str:
    """Case- and space-insensitive form of a short text answer."""
    return " ".join(value.split()).casefold()


def parse_number(value: object) -> float:
    """A number from what a learner typed: ``3``, ``-2.5``, ``1,5``, ``3/4``, ``1 1/2``, ``40%``.

    Raises ValueError with a message saying what is wrong.
    """
    if isinstance(value, bool):
        raise ValueError("the answer must be a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise ValueError("the answer must be a finite number") from None
    elif isinstance(value, str):
        number = _parse_number_text(value)
    else:
        raise ValueError("the answer must be a number")
    if not math.isfinite(number):
        raise ValueError("the answer must be a finite number")
    return number


def _parse_number_text(text: str) -> float:
    cleaned = " ".join(text.split()).replace(",", ".")
    if not cleaned:
        raise ValueError("the answer is empty")
    if len(cleaned) > MAX_ANSWER_LENGTH:
        raise ValueError(f"the answer is longer than {MAX_ANSWER_LENGTH} characters")
    percent = cleaned.endswith("%")
    if percent:
        cleaned = cleaned[:-1].strip()
    not_a_number = ValueError(f"“{text.strip()[:40]}” is not a number")
    # Only plain decimals and fractions: Fraction() would also take "1e-9999999" and spend seconds on it.
    if not PLAIN_NUMBER.fullmatch(cleaned):
        raise not_a_number
    try:
        parts = cleaned.split(" ")
        if len(parts) == 2:  # a mixed number: 1 1/2
            whole, fraction = int(parts[0]), Fraction(parts[1])
            number = float(whole + fraction if whole >= 0 else whole - fraction)
        else:
            number = float(Fraction(cleaned))
    except (ValueError, ZeroDivisionError, OverflowError):
        raise not_a_number from None
    return number / 100 if percent else number


def answer_check(item_spec: Mapping[str, Any], answer: object) -> bool:
    """Whether ``answer`` is correct for the item described by ``item_spec``.

    Raises ValueError when the answer is malformed (not a choice index, not a number, empty or too long
    text) or when the spec itself is not a known kind.
    """
    kind = item_spec.get("kind")
    if kind == "multiple_choice":
        choices = item_spec["choices"]
        if isinstance(answer, bool) or not isinstance(answer, int):
            if isinstance(answer, str) and answer.strip().isdigit():
                answer = int(answer.strip())
            else:
                raise ValueError("choose one of the options (its number)")
        if not 0 <= answer < len(choices):
            raise ValueError(f"there is no option {answer}; choose 0 to {len(choices) - 1}")
        return bool(answer == item_spec["answer"])
    if kind == "multiple_selection":
        return _selection(item_spec, answer) == set(item_spec["answer"])
    if kind == "open_response":
        raise ValueError("an open response is marked by the teacher against its rubric")
    if kind == "numeric":
        given = parse_number(answer)
        return abs(given - float(item_spec["answer"])) <= float(item_spec.get("tolerance", 0)) + 1e-9
    if kind == "short_text":
        if not isinstance(answer, str):
            raise ValueError("the answer must be text")
        if len(answer) > MAX_ANSWER_LENGTH:
            raise ValueError(f"the answer is longer than {MAX_ANSWER_LENGTH} characters")
        if has_control_characters(answer, allow_line_breaks=False):
            raise ValueError("the answer must not contain control characters")
        given_text = normalize_text(answer)
        if not given_text:
            raise ValueError("the answer is empty")
        return any(normalize_text(accepted) == given_text for accepted in item_spec["accepted"])
    raise ValueError(f"unknown item kind {kind!r}; expected one of {', '.join(KINDS)}")


def _selection(item_spec: Mapping[str, Any], answer: object) -> set[int]:
    """The options a multiple-selection answer selects (a list of their numbers)."""
    choices = item_spec["choices"]
    if not isinstance(answer, list) or not answer:
        raise ValueError("select at least one of the options (a list of their numbers)")
    if len(answer) > len(choices) or any(isinstance(n, bool) or not isinstance(n, int) for n in answer):
        raise ValueError(f"select options by their numbers, 0 to {len(choices) - 1}")
    if any(not 0 <= n < len(choices) for n in answer):
        raise ValueError(f"there is no such option; choose 0 to {len(choices) - 1}")
    return set(answer)
