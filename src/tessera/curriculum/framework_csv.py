"""Frameworks as two CSV files, for people who keep them in a spreadsheet.

``competencies.csv``: one row per competency, grouped into domains by ``domain_code``::

    domain_code,domain_name,code,name,description,prerequisites
    number,Number,add,Addition,,
    number,Number,mul,Multiplication,,add

``items.csv`` (optional): one row per item; lists are separated by ``|``; the answer of a multiple choice
item is the text of the correct choice, of a multiple selection item the texts of the correct choices
(``|`` between them); an open response item has its ``rubric``. The first of an item's ``competencies``
(``;`` between them) is the one it mainly assesses. ``rubric``, ``language`` (``en`` when blank),
``tags``, ``version`` (1 when blank) and ``retired`` (``yes`` or blank) are optional columns::

    code,kind,stem,choices,answer,tolerance,accepted,hints,feedback,difficulty,competencies
    add-1,numeric,2 + 3 = ?,,5,0,,Count on from 2.,2 + 3 = 5.,-1,add
    half,multiple_choice,Which is half?,1/3|1/2,1/2,,,,,0,mul
    evens,multiple_selection,Which are even?,2|3|4,2|4,,,,,0,mul

Text keeps its Markdown and maths as written (``\\(\\frac{3}{4}\\)``); a choice or an answer cannot
contain ``|``.

Exports are safe to open in a spreadsheet (OWASP's CSV injection advice): a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain number, is written with a
single quote in front (``'=SUM(A1)``), so it is text, not a formula; a cell that starts with a quote gets
one more. The importer takes one leading quote off every cell, so an export reads back unchanged (as
spreadsheets do, which show and save ``'=x`` as the text ``=x``).

The files are turned into the JSON document and checked by :mod:`tessera.curriculum.framework_file`, so
the rules are the same; every error names its file, line and column. Line 1 is the header.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from tessera.curriculum.framework_file import (
    FORMAT,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    VERSION,
    FileError,
    FrameworkDocument,
    framework_document_check,
)

COMPETENCY_COLUMNS = ["domain_code", "domain_name", "code", "name", "description", "prerequisites"]
ITEM_COLUMNS = [
    "code",
    "kind",
    "stem",
    "choices",
    "answer",
    "tolerance",
    "accepted",
    "hints",
    "feedback",
    "difficulty",
    "competencies",
    "rubric",
    "language",
    "tags",
    "version",
    "retired",
]
COMPETENCY_REQUIRED = {"domain_code", "domain_name", "code", "name"}
ITEM_REQUIRED = {"code", "kind", "stem", "competencies"}
SEPARATOR = "|"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def cell_neutralized(value: object) -> object:
    """A cell a spreadsheet shows as written, never runs as a formula (see the module's docstring)."""
    if not isinstance(value, str) or PLAIN_NUMBER.match(value):
        return value
    if value.startswith(FORMULA_STARTS) or value.startswith("'"):
        return "'" + value
    return value


def _cell_read(value: str | None) -> str:
    """A cell as imported: stripped, and without the one leading quote that marks text."""
    value = (value or "").strip()
    return value[1:] if value.startswith("'") else value


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(SEPARATOR) if part.strip()] if value.strip() else []


def _number(value: str) -> float | str:
    """A float, or the text unchanged so that the document check reports it where it stands."""
    try:
        return float(value.replace(",", ".")) if value.strip() else value
    except ValueError:
        return value


def _rows(data: bytes, file: str, columns: list[str], required: set[str]) -> list[dict[str, str]] | FileError:
    if len(data) > MAX_FILE_BYTES:
        return FileError(file, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return FileError(file, "not UTF-8 text; save the spreadsheet as CSV UTF-8")
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    unknown = [name for name in header if name not in columns]
    missing = sorted(required - set(header))
    if unknown or missing:
        problems = [f"unknown column “{n}”" for n in unknown] + [f"missing column “{n}”" for n in missing]
        return FileError(f"{file} line 1", "; ".join(problems) + f". Columns: {', '.join(columns)}")
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_ENTRIES:
                return FileError(file, f"more than {MAX_ENTRIES} rows")
            if None in row:
                return FileError(f"{file} line {reader.line_num}", "more values than columns")
            rows.append({k: _cell_read(v) for k, v in row.items()})
    except csv.Error as error:
        return FileError(f"{file} line {reader.line_num}", f"not valid CSV: {error}")
    return rows


def framework_csv_parse(
    *, code: str, name: str, description: str = "", competencies: bytes, items: bytes | None = None
) -> FrameworkDocument | list[FileError]:
    """Check two CSV files as one framework: the document, or every error by file, line and column."""
    competency_rows = _rows(competencies, "competencies.csv", COMPETENCY_COLUMNS, COMPETENCY_REQUIRED)
    item_rows = _rows(items, "items.csv", ITEM_COLUMNS, ITEM_REQUIRED) if items is not None else []
    file_errors = [r for r in (competency_rows, item_rows) if isinstance(r, FileError)]
    if file_errors:
        return file_errors
    assert isinstance(competency_rows, list) and isinstance(item_rows, list)
    errors: list[FileError] = []
    document, places = _document(code, name, description, competency_rows, item_rows, errors)
    result = framework_document_check(document)
    if isinstance(result, list):
        errors.extend(FileError(_place(e.location, places), e.message) for e in result)
    return errors or result


def _document(
    code: str,
    name: str,
    description: str,
    competency_rows: list[dict[str, str]],
    item_rows: list[dict[str, str]],
    errors: list[FileError],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON document, and where each JSON path came from (``$.items[0]`` → ``items.csv line 2``)."""
    places: dict[str, str] = {"$.framework": "framework"}
    domains: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(competency_rows, start=2):
        where = f"competencies.csv line {line}"
        domain = domains.get(row["domain_code"])
        if domain is None:
            places[f"$.domains[{len(domains)}]"] = where
            domain = {"code": row["domain_code"], "name": row["domain_name"], "competencies": []}
            domains[row["domain_code"]] = domain
        elif domain["name"] != row["domain_name"]:
            errors.append(FileError(f"{where} (domain_name)", f"differs from “{domain['name']}” earlier"))
        position = list(domains).index(row["domain_code"])
        places[f"$.domains[{position}].competencies[{len(domain['competencies'])}]"] = where
        domain["competencies"].append(
            {
                "code": row["code"],
                "name": row["name"],
                "description": row.get("description", ""),
                "prerequisites": [p.strip() for p in row.get("prerequisites", "").split(";") if p.strip()],
            }
        )
    items: list[dict[str, Any]] = []
    for line, row in enumerate(item_rows, start=2):
        places[f"$.items[{len(items)}]"] = f"items.csv line {line}"
        items.append(_item(row))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "framework": {"code": code, "name": name, "description": description},
        "domains": list(domains.values()),
        "items": items,
    }
    return document, places


def _item(row: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"code": row["code"], "kind": row["kind"], "stem": row["stem"]}
    kind = row["kind"]
    if kind in {"multiple_choice", "multiple_selection"}:
        choices = _split(row.get("choices", ""))
        answer: Any = row.get("answer", "")
        if kind == "multiple_choice":
            answer = choices.index(answer) if answer in choices else answer
        else:
            picked = _split(answer)
            answer = [choices.index(a) for a in picked] if all(a in choices for a in picked) else answer
        item |= {"choices": choices, "answer": answer}
    elif kind == "numeric":
        item["answer"] = _number(row.get("answer", ""))
        if row.get("tolerance"):
            item["tolerance"] = _number(row["tolerance"])
    elif kind == "short_text":
        item["accepted"] = _split(row.get("accepted", ""))
    elif kind == "open_response":
        item["rubric"] = row.get("rubric", "")
    item["hints"] = _split(row.get("hints", ""))
    item["feedback"] = row.get("feedback", "")
    if row.get("difficulty"):
        item["difficulty"] = _number(row["difficulty"])
    if row.get("language"):
        item["language"] = row["language"]
    if row.get("tags"):
        item["tags"] = _split(row["tags"])
    if row.get("version"):
        version = _number(row["version"])
        item["version"] = int(version) if isinstance(version, float) and version.is_integer() else version
    if row.get("retired"):
        retired = row["retired"].strip().casefold()
        item["retired"] = {"yes": True, "true": True, "no": False, "false": False}.get(
            retired, row["retired"]
        )
    item["competencies"] = [c.strip() for c in row.get("competencies", "").split(";") if c.strip()]
    return item


PATH = re.compile(r"^(\$\.(?:domains\[\d+\](?:\.competencies\[\d+\])?|items\[\d+\]|framework))(?:\.(\w+))?")


def _place(location: str, places: dict[str, str]) -> str:
    """``$.items[3].answer`` → ``items.csv line 5 (answer)``; ``$.domains`` (a cycle) → the file."""
    if location == "$.domains":
        return "competencies.csv"
    match = PATH.match(location)
    if match is None or match.group(1) not in places:
        return location
    column = match.group(2)
    if (
        match.group(1).endswith("]")
        and "competencies[" not in match.group(1)
        and "items" not in match.group(1)
    ):
        column = {"code": "domain_code", "name": "domain_name"}.get(column or "", column)
    return f"{places[match.group(1)]} ({column})" if column else places[match.group(1)]


class _SafeWriter:
    """A CSV writer whose cells are neutralized against formulas (:func:`cell_neutralized`)."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([cell_neutralized(cell) for cell in row])


def framework_csv_export(document: dict[str, Any]) -> dict[str, str]:
    """``competencies.csv`` and ``items.csv`` of an exported framework document."""
    competencies = io.StringIO()
    writer = _SafeWriter(competencies)
    writer.writerow(COMPETENCY_COLUMNS)
    for domain in document["domains"]:
        for c in domain["competencies"]:
            prerequisites = ";".join(c["prerequisites"])
            writer.writerow(
                [domain["code"], domain["name"], c["code"], c["name"], c["description"], prerequisites]
            )
    items = io.StringIO()
    writer = _SafeWriter(items)
    writer.writerow(ITEM_COLUMNS)
    for item in document["items"]:
        choices = item.get("choices", [])
        answer = item.get("answer", "")
        if item["kind"] == "multiple_choice":
            answer = choices[answer]
        elif item["kind"] == "multiple_selection":
            answer = SEPARATOR.join(choices[a] for a in answer)
        writer.writerow(
            [
                item["code"],
                item["kind"],
                item["stem"],
                SEPARATOR.join(choices),
                f"{answer!r}" if isinstance(answer, float) else answer,
                item.get("tolerance", ""),
                SEPARATOR.join(item.get("accepted", [])),
                SEPARATOR.join(item["hints"]),
                item["feedback"],
                item["difficulty"],
                ";".join(item["competencies"]),
                item.get("rubric", ""),
                item.get("language", "en"),
                SEPARATOR.join(item.get("tags", [])),
                item.get("version", 1),
                "yes" if item.get("retired") else "",
            ]
        )
    return {"competencies.csv": competencies.getvalue(), "items.csv": items.getvalue()}
