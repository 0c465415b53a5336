"""Frameworks as competencies.csv and items.csv: errors by file, line and column; export round-trips."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.curriculum import framework_file
from tessera.curriculum.framework_csv import framework_csv_export, framework_csv_parse
from tessera.curriculum.models import Framework
from tests.curriculum.documents import COMPETENCIES, ITEMS, small, small_framework


def parse(competencies: str = COMPETENCIES, items: str | None = ITEMS) -> Any:
    return framework_csv_parse(
        code="csv-maths",
        name="CSV maths",
        competencies=competencies.encode(),
        items=items.encode() if items is not None else None,
    )


def test_csv_files_become_the_same_document_as_json() -> None:
    document = parse()
    assert isinstance(document, framework_file.FrameworkDocument)
    assert document.prerequisite_map() == {"add": [], "mul": ["add"], "frac": ["mul"]}
    assert document.items[1]["answer"] == 1  # the text of the correct choice becomes its number
    assert document.items[2]["accepted"] == ["hundred", "one hundred"]
    assert document.items[2]["competencies"] == ["frac", "mul"]


def test_every_error_names_file_line_and_column() -> None:
    competencies = COMPETENCIES + "number,Numbers,sub,Subtraction,,ghost\n"
    items = ITEMS + "bad,numeric,1 + 1 = ?,,two,,,,,,add\nq,multiple_choice,Pick,a|b,c,,,,,,add\n"
    errors = [str(e) for e in parse(competencies, items)]
    assert "competencies.csv line 5 (domain_name): differs from “Number” earlier" in errors
    assert "competencies.csv line 5 (prerequisites): no competency with code “ghost” in this file" in errors
    assert "items.csv line 5 (answer): must be a finite number" in errors
    assert any(
        e.startswith("items.csv line 6 (answer): must be the number of the correct choice") for e in errors
    )


def test_a_cycle_and_bad_files_are_reported() -> None:
    cyclic = COMPETENCIES.replace("number,Number,add,Addition,,", "number,Number,add,Addition,,frac")
    (error,) = parse(cyclic, None)
    assert error.location == "competencies.csv" and "cycle" in error.message
    (error,) = parse("code,name,colour\n", None)
    assert error.location == "competencies.csv line 1"
    assert "unknown column “colour”" in error.message and "missing column “domain_code”" in error.message
    (error,) = framework_csv_parse(code="x", name="y", competencies=b"\xff\xfe")
    assert error.message.startswith("not UTF-8")
    errors = parse(COMPETENCIES, ITEMS + "x,y\n")
    assert any("items.csv line 5" in str(e) for e in errors)


def test_csv_export_imports_back_identically(world) -> None:  # type: ignore[no-untyped-def]
    original = {**small(), "resources": []}  # resources do not travel as CSV
    files = framework_csv_export(original)
    back = framework_csv_parse(
        code="small-maths",
        name="Small maths",
        description="For tests.",
        competencies=files["competencies.csv"].encode(),
        items=files["items.csv"].encode(),
    )
    expected = framework_file.framework_document_check(original)
    assert isinstance(back, framework_file.FrameworkDocument) and back == expected


def test_csv_import_and_export_through_the_api(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    url = f"/api/schools/{world.a.school.pk}/frameworks/import-csv"
    upload = {
        "code": "csv-maths",
        "name": "CSV maths",
        "competencies": SimpleUploadedFile("competencies.csv", COMPETENCIES.encode()),
        "items": SimpleUploadedFile("items.csv", ITEMS.encode()),
    }
    response = client.post(url, upload)
    assert response.status_code == 201, response.content
    framework_id = response.json()["id"]
    exported = client.get(f"/api/frameworks/{framework_id}/export/items.csv")
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported.content.decode().splitlines()[2] == (
        "half,multiple_choice,Which is half?,1/3|1/2|2/3,1/2,,,,One of two equal parts.,0.0,frac,,en,,1,"
    )  # no rubric, in English, no tags, version 1, not retired
    assert client.get(f"/api/frameworks/{framework_id}/export/other.csv").status_code == 422


def test_a_bad_csv_upload_is_a_400_and_saves_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.a.admin)
    url = f"/api/schools/{world.a.school.pk}/frameworks/import-csv"
    bad_items = ITEMS.replace(",frac;mul", ",ghost")
    response = client.post(
        url,
        {
            "code": "csv-maths",
            "name": "",
            "competencies": SimpleUploadedFile("competencies.csv", COMPETENCIES.encode()),
            "items": SimpleUploadedFile("items.csv", bad_items.encode()),
        },
    )
    assert response.status_code == 400
    locations = [e["location"] for e in response.json()["errors"]]
    assert locations == ["framework (name)", "items.csv line 4 (competencies)"]
    assert client.post(url, {"code": "x", "name": "y"}).json()["detail"].startswith("Attach the competencies")
    assert Framework.objects.count() == 0
    small_framework(world.a.school)  # the learner may not export answers as CSV either
    framework = Framework.objects.get()
    assert (
        client_for(world.a.learner).get(f"/api/frameworks/{framework.pk}/export/items.csv").status_code == 403
    )


def test_an_export_neutralizes_formulas_and_imports_back_unchanged(world) -> None:  # type: ignore[no-untyped-def]
    """OWASP CSV injection: cells starting with = + - @ tab or CR open as text in a spreadsheet (a leading
    quote); numbers stay numbers; the importer reads its own export back to the same document."""
    original = {**small(), "resources": []}
    competency = original["domains"][0]["competencies"][0]
    competency["name"] = '=HYPERLINK("http://evil.example","click")'
    competency["description"] = "+1 then -2"
    item = original["items"][0]
    item["stem"] = "@SUM(1+1) = ?"
    item["feedback"] = "'tis the answer"
    item["hints"] = ["-count on", "\tindented"]
    item["difficulty"] = -1.5
    files = framework_csv_export(original)

    rows = list(csv.reader(io.StringIO(files["competencies.csv"]))) + list(
        csv.reader(io.StringIO(files["items.csv"]))
    )
    cells = [cell for row in rows for cell in row]
    risky = [
        c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?[\d.]+", c)
    ]
    assert risky == []
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+1 then -2" in cells and "'@SUM(1+1) = ?" in cells and "''tis the answer" in cells
    assert "-1.5" in cells  # a plain number is left a number

    back = framework_csv_parse(
        code="small-maths",
        name="Small maths",
        description="For tests.",
        competencies=files["competencies.csv"].encode(),
        items=files["items.csv"].encode(),
    )
    expected = framework_file.framework_document_check(original)
    assert isinstance(back, framework_file.FrameworkDocument) and back == expected
    assert back.items[0]["stem"] == "@SUM(1+1) = ?" and back.items[0]["feedback"] == "'tis the answer"
