"""Framework files carry every item kind, versions, retirement, language, tags, the primary competency,
resource forms and maths unchanged: export → import → export is the same document, in JSON and in CSV."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.curriculum import framework_csv, framework_file, selectors, services
from tessera.curriculum.framework_file import KIND_KEYS
from tessera.curriculum.models import Item, ItemCompetency
from tests.curriculum.documents import small


def _item(code: str, kind: str, stem: str, **fields: Any) -> dict[str, Any]:
    return {
        "code": code,
        "kind": kind,
        "stem": stem,
        **{
            k: v
            for k, v in fields.items()
            if k not in {"competencies", "language", "tags", "version", "retired"}
        },
        "hints": fields.get("hints", []),
        "feedback": fields.get("feedback", ""),
        "difficulty": fields.get("difficulty", 0.0),
        "language": fields.get("language", "en"),
        "tags": fields.get("tags", []),
        "version": fields.get("version", 1),
        "retired": fields.get("retired", False),
        "competencies": fields.get("competencies", ["frac"]),
    }


def rich() -> dict[str, Any]:
    """The small framework with one item of every kind, maths, tags, a retired item, a version-2 item,
    an item with two competencies (the primary first), and a page resource written in Markdown."""
    document = small(code="rich-maths", name="Rich maths")
    document["items"] = [
        _item(
            "frac-num",
            "numeric",
            r"What is \(\frac{3}{4}\) of 8?",
            answer=6.0,
            tolerance=0.0,
            hints=[r"Find \(\frac{1}{4}\) of 8 first."],
            feedback=r"\(\frac{3}{4} \times 8 = 6\)",
            tags=["fractions", "of-amount"],
        ),
        _item(
            "frac-mc",
            "multiple_choice",
            "Which is **bigger**?",
            choices=[r"\(\frac{1}{2}\)", r"\(\frac{2}{3}\)"],
            answer=1,
            version=2,
        ),
        _item(
            "frac-ms",
            "multiple_selection",
            r"Which equal \(\frac{1}{2}\)?",
            choices=["2/4", "3/6", "2/3"],
            answer=[0, 1],
            language="es",
            competencies=["pct", "frac"],
        ),
        _item("pct-word", "short_text", "Per cent means per …", accepted=["hundred"], retired=True),
        _item(
            "frac-why",
            "open_response",
            r"Explain why \(\frac{2}{4} = \frac{1}{2}\).",
            rubric="- Names equal parts\n- Shows \\(\\frac{2}{4}\\) as two quarters",
            difficulty=1.5,
            tags=["reasoning"],
        ),
    ]
    document["resources"].append(
        {
            "code": "page-1",
            "kind": "reading",
            "title": "Halves",
            "form": "page",
            "url": "",
            "body": "# Halves\n\nA half is \\(\\frac{1}{2}\\): *one* of two equal parts.",
            "media_type": "",
            "reading_level": None,
            "interest_topics": [],
            "competencies": ["frac", "add"],
        }
    )
    return document


def _import(world: Any, document: dict[str, Any], school: Any = None) -> Any:
    checked = framework_file.framework_document_check(copy.deepcopy(document))
    assert not isinstance(checked, list), checked
    result = services.framework_import(actor=None, school=school or world.a.school, document=checked)
    assert result.framework is not None, result.errors
    return result.framework


def test_json_export_import_export_is_unchanged(world) -> None:  # type: ignore[no-untyped-def]
    document = rich()
    framework = _import(world, document)
    exported = selectors.framework_document(framework)
    assert exported == document
    assert json.loads(json.dumps(exported)) == exported  # what the API sends is the same document
    again = selectors.framework_document(_import(world, exported, world.b.school))
    assert again == exported
    items = {i.code: i for i in framework.items.all()}
    assert items["frac-mc"].version == 2 and items["pct-word"].retired_at is not None
    assert items["frac-ms"].correct_choices == [0, 1] and items["frac-why"].rubric.startswith("- Names")
    primary = ItemCompetency.objects.get(item=items["frac-ms"], primary=True)
    assert primary.competency.code == "pct"


def test_an_export_carries_the_current_version_of_each_item_only(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import(world, rich())
    current = framework.items.get(code="frac-mc")
    Item.objects.create(  # version 1, superseded by the version 2 above
        school=world.a.school,
        framework=framework,
        code="frac-mc",
        kind="multiple_choice",
        stem="Old wording",
        choices=["a", "b"],
        correct_choice=0,
        version=1,
        superseded_at=timezone.now(),
    )
    items = selectors.framework_document(framework)["items"]
    assert [i["stem"] for i in items if i["code"] == "frac-mc"] == [current.stem]
    assert [i["version"] for i in items if i["code"] == "frac-mc"] == [2]


def test_csv_export_import_export_is_unchanged(world) -> None:  # type: ignore[no-untyped-def]
    document = rich()
    exported = selectors.framework_document(_import(world, document))
    files = framework_csv.framework_csv_export(exported)
    assert r"What is \(\frac{3}{4}\) of 8?" in files["items.csv"]
    parsed = framework_csv.framework_csv_parse(
        code="rich-maths",
        name="Rich maths",
        description=exported["framework"]["description"],
        competencies=files["competencies.csv"].encode(),
        items=files["items.csv"].encode(),
    )
    assert not isinstance(parsed, list), parsed
    result = services.framework_import(actor=None, school=world.b.school, document=parsed)
    assert result.framework is not None, result.errors
    again = selectors.framework_document(result.framework)
    assert again | {"resources": []} == exported | {"resources": []}  # CSV files carry no resources
    assert framework_csv.framework_csv_export(again) == files


def test_every_item_kind_has_its_fields_in_the_file_checker() -> None:
    assert set(KIND_KEYS) == {kind.value for kind in Item.Kind}


def test_invalid_latex_and_bad_new_kinds_are_file_errors_with_their_path() -> None:
    document = rich()
    document["items"][0]["stem"] = r"What is \(\frac{3}{4\) of 8?"
    document["items"][2]["answer"] = [0, 0]
    document["items"][4]["rubric"] = " "
    document["items"][1]["hints"] = [r"Look at \(\foo{1}\)"]
    document["items"][3]["version"] = 0
    document["resources"][1]["body"] = "![](file:1)"
    errors = framework_file.framework_document_check(document)
    assert isinstance(errors, list)
    by_place = {e.location: e.message for e in errors}
    assert set(by_place) == {
        "$.items[0].stem",
        "$.items[1].hints[0]",
        "$.items[2].answer",
        "$.items[3].version",
        "$.items[4].rubric",
        "$.resources[1].body",
    }
    assert by_place["$.items[0].stem"].startswith("The maths in the text is not valid LaTeX at character")
    assert "\\foo is not a LaTeX command" in by_place["$.items[1].hints[0]"]
    assert "alt text" in by_place["$.resources[1].body"]


def test_csv_errors_for_new_kinds_name_the_line_and_column() -> None:
    items = (
        "code,kind,stem,choices,answer,competencies,rubric\n"
        "a,open_response,\\(\\frac{1}{2\\),,,add,Shows halves\n"
        "b,multiple_selection,Pick,x|y,z,add,\n"
    )
    competencies = "domain_code,domain_name,code,name\nn,Number,add,Addition\n"
    errors = framework_csv.framework_csv_parse(
        code="c", name="C", competencies=competencies.encode(), items=items.encode()
    )
    assert isinstance(errors, list)
    assert [e.location for e in errors] == ["items.csv line 2 (stem)", "items.csv line 3 (answer)"]


def test_an_upload_that_is_not_the_schools_is_refused_at_import(world) -> None:  # type: ignore[no-untyped-def]
    document = rich()
    document["resources"][1]["body"] = "![Two halves](file:999)"
    checked = framework_file.framework_document_check(document)
    assert not isinstance(checked, list)
    result = services.framework_import(actor=None, school=world.a.school, document=checked)
    assert [str(e) for e in result.errors] == [
        "$.resources[1].body: no file number 999 was uploaded to this school"
    ]


TEXT = st.text(alphabet="abcxyz 0123456789+=?", min_size=1, max_size=12).map(str.strip).filter(bool)
MATHS = st.sampled_from(["", r" \(\frac{1}{2}\)", r" \(x^{2}\)", r" \(\sqrt{9}\)"])


@st.composite
def items(draw: st.DrawFn) -> list[dict[str, Any]]:
    result = []
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from([k.value for k in Item.Kind]))
        stem = draw(TEXT) + draw(MATHS)
        choices = draw(st.lists(TEXT, min_size=2, max_size=4, unique=True))
        fields: dict[str, Any] = {
            "multiple_choice": {"choices": choices, "answer": draw(st.integers(0, len(choices) - 1))},
            "multiple_selection": {
                "choices": choices,
                "answer": sorted(draw(st.sets(st.integers(0, len(choices) - 1), min_size=1))),
            },
            "numeric": {"answer": float(draw(st.integers(-99, 99))), "tolerance": 0.5},
            "short_text": {"accepted": draw(st.lists(TEXT, min_size=1, max_size=2, unique=True))},
            "open_response": {"rubric": draw(TEXT) + draw(MATHS)},
        }[kind]
        result.append(
            _item(
                f"i{n}",
                kind,
                stem,
                **fields,
                tags=draw(st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True)),
                version=draw(st.integers(1, 5)),
                retired=draw(st.booleans()),
                language=draw(st.sampled_from(["en", "es"])),
                competencies=draw(st.sampled_from([["add"], ["pct", "frac"], ["frac", "pct"]])),
            )
        )
    return result


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=items())
def test_any_generated_items_survive_json_and_csv(world, drawn: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    document = small(code=f"gen-{Item.objects.count()}")
    document["items"] = drawn
    framework = _import(world, document)
    exported = selectors.framework_document(framework)
    assert exported["items"] == drawn
    files = framework_csv.framework_csv_export(exported)
    parsed = framework_csv.framework_csv_parse(
        code="x", name="x", competencies=files["competencies.csv"].encode(), items=files["items.csv"].encode()
    )
    assert not isinstance(parsed, list), parsed
    assert parsed.items == exported["items"]
