"""Validating a framework file: every problem is reported with its JSON path (pure, no database)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tessera.curriculum.framework_file import (
    FileError,
    FrameworkDocument,
    framework_document_check,
    framework_file_parse,
)
from tests.curriculum.documents import small


def errors_of(document: Any) -> list[str]:
    result = framework_document_check(document)
    assert isinstance(result, list), "expected the document to be rejected"
    return [str(e) for e in result]


def test_the_small_document_is_valid() -> None:
    result = framework_document_check(small())
    assert isinstance(result, FrameworkDocument)
    assert result.prerequisite_map() == {"add": [], "mul": ["add"], "frac": ["mul"], "pct": ["frac", "mul"]}


def test_optional_fields_may_be_left_out() -> None:
    document = small()
    del document["resources"]
    item = document["items"][0]
    for key in ("hints", "feedback", "difficulty", "tolerance"):
        del item[key]
    del document["domains"][0]["competencies"][0]["prerequisites"]
    assert isinstance(framework_document_check(document), FrameworkDocument)


def test_every_error_is_reported_at_once_with_its_location() -> None:
    document = small()
    document["surprise"] = 1
    document["domains"][0]["competencies"][1]["code"] = "add"  # duplicate
    document["items"][0]["answer"] = "five"
    document["items"][1]["kind"] = "essay"
    document["items"][2]["competencies"] = ["nowhere"]
    document["domains"][1]["competencies"][0]["prerequisites"] = ["ghost"]
    errors = errors_of(document)
    assert "$.surprise: unknown key “surprise”" in errors
    assert any(
        e.startswith("$.domains[0].competencies[1].code: duplicate competency code “add”") for e in errors
    )
    assert "$.items[0].answer: must be a finite number" in errors
    assert any(e.startswith("$.items[1].kind: unknown item kind “essay”") for e in errors)
    assert "$.items[2].competencies: no competency with code “nowhere” in this file" in errors
    assert (
        "$.domains[1].competencies[0].prerequisites[0]: no competency with code “ghost” in this file"
        in errors
    )


def test_a_cycle_is_rejected_naming_its_competencies_in_order() -> None:
    document = small()
    document["domains"][0]["competencies"][0]["prerequisites"] = ["pct"]  # add needs pct needs … add
    (error,) = errors_of(document)
    assert error.startswith("$.domains: prerequisites form a cycle: ")
    cycle = error.split(": ", 2)[2].split(" → ")
    assert cycle[0] == cycle[-1] and {"add", "mul", "pct"} <= set(cycle)


def test_a_competency_cannot_be_its_own_prerequisite() -> None:
    document = small()
    document["domains"][0]["competencies"][1]["prerequisites"] = ["mul"]
    assert "$.domains[0].competencies[1].prerequisites[0]: “mul” cannot be its own prerequisite" in errors_of(
        document
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["framework"].pop("name"), "$.framework.name: is missing"),
        (lambda d: d["framework"].update(name="x" * 201), "$.framework.name: is longer than 200 characters"),
        (lambda d: d["framework"].update(code="has space"), "$.framework.code: a code uses letters"),
        (lambda d: d.update(format="other"), "$.format: must be “tessera-framework”"),
        (lambda d: d.update(version=2), "$.version: must be 1"),
        (lambda d: d.update(domains=[]), "$.domains: must have 1 to 20000 entries"),
        (
            lambda d: d["domains"][1].update(code="number"),
            "$.domains[1].code: duplicate domain code “number”",
        ),
        (lambda d: d["items"][0].update(tolerance=-1), "$.items[0].tolerance: must be between 0"),
        (
            lambda d: d["items"][0].update(difficulty=float("nan")),
            "$.items[0].difficulty: must be a finite number",
        ),
        (lambda d: d["items"][0].update(difficulty=True), "$.items[0].difficulty: must be a finite number"),
        (
            lambda d: d["items"][0].update(difficulty=10**400),
            "$.items[0].difficulty: must be a finite number",
        ),
        (lambda d: d["items"][0].update(choices=["a", "b"]), "$.items[0].choices: unknown key"),
        (lambda d: d["items"][0].update(stem="   "), "$.items[0].stem: must not be blank"),
        (lambda d: d["items"][0].update(stem="bad\x00byte"), "$.items[0].stem: must not contain control"),
        (lambda d: d["items"][0].update(hints="one hint"), "$.items[0].hints: must be a list"),
        (lambda d: d["items"][0].pop("kind"), "$.items[0].kind: is missing"),
        (
            lambda d: d["items"][1].update(answer=3),
            "$.items[1].answer: must be the number of the correct choice",
        ),
        (lambda d: d["items"][1].update(choices=["a"]), "$.items[1].choices: must have 2 to 10 entries"),
        (
            lambda d: d["items"][1].update(choices=["a", "a", "b"]),
            "$.items[1].choices: lists the same choice twice",
        ),
        (lambda d: d["items"][2].update(accepted=[]), "$.items[2].accepted: must have 1 to 20 entries"),
        (
            lambda d: d["items"][2].update(competencies=["pct", "pct"]),
            "$.items[2].competencies: lists a competency",
        ),
        (lambda d: d["items"][2].update(code="add-1"), "$.items[2].code: duplicate item code “add-1”"),
        (lambda d: d["items"][2].update(feedback=None), "$.items[2].feedback: must not be null"),
        (lambda d: d["resources"][0].update(kind="podcast"), "$.resources[0].kind: unknown resource kind"),
        (
            lambda d: d["resources"][0].update(url="javascript:alert(1)"),
            "$.resources[0].url: must be an http",
        ),
        (
            lambda d: d["resources"][0].update(reading_level=14),
            "$.resources[0].reading_level: must be a grade",
        ),
        (lambda d: d.update(items={}), "$.items: must be a list"),
        (lambda d: d["domains"].append("oops"), "$.domains[2]: must be an object"),
    ],
)
def test_bad_documents_are_rejected_with_the_place_and_the_reason(change: Any, expected: str) -> None:
    document = small()
    change(document)
    errors = errors_of(document)
    assert any(e.startswith(expected) for e in errors), errors


def test_a_file_that_is_not_json_or_too_large_is_one_clear_error() -> None:
    assert framework_file_parse(b"{not json") == [
        FileError(
            "$",
            "not valid JSON (UTF-8): Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        )
    ]
    assert framework_file_parse(b"\xff\xfe") != []
    huge = framework_file_parse(b" " * (2 * 1024 * 1024 + 1))
    assert huge == [FileError("$", "the file is larger than 2 MB")]
    assert framework_file_parse(json.dumps([1, 2]).encode()) == [FileError("$", "must be an object")]
