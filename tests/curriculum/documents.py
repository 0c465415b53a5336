"""A small framework file for tests: two domains, four competencies, one item of each kind, a resource."""

from __future__ import annotations

import copy
import json
from typing import Any

from tessera.curriculum import framework_file, services
from tessera.curriculum.models import Framework
from tessera.schools.models import School

SMALL: dict[str, Any] = {
    "format": "tessera-framework",
    "version": 1,
    "framework": {"code": "small-maths", "name": "Small maths", "description": "For tests."},
    "domains": [
        {
            "code": "number",
            "name": "Number",
            "competencies": [
                {"code": "add", "name": "Addition", "description": "", "prerequisites": []},
                {"code": "mul", "name": "Multiplication", "description": "", "prerequisites": ["add"]},
            ],
        },
        {
            "code": "fractions",
            "name": "Fractions",
            "competencies": [
                {
                    "code": "frac",
                    "name": "Fractions",
                    "description": "Parts of a whole.",
                    "prerequisites": ["mul"],
                },
                {"code": "pct", "name": "Percents", "description": "", "prerequisites": ["frac", "mul"]},
            ],
        },
    ],
    "items": [
        {
            "code": "add-1",
            "kind": "numeric",
            "stem": "2 + 3 = ?",
            "answer": 5.0,
            "tolerance": 0.0,
            "hints": ["Count on from 2."],
            "feedback": "2 + 3 = 5.",
            "difficulty": -1.0,
            "language": "en",
            "tags": [],
            "version": 1,
            "retired": False,
            "competencies": ["add"],
        },
        {
            "code": "frac-1",
            "kind": "multiple_choice",
            "stem": "Which is half?",
            "choices": ["1/3", "1/2", "2/3"],
            "answer": 1,
            "hints": [],
            "feedback": "One of two equal parts.",
            "difficulty": 0.0,
            "language": "en",
            "tags": [],
            "version": 1,
            "retired": False,
            "competencies": ["frac"],
        },
        {
            "code": "pct-1",
            "kind": "short_text",
            "stem": "Per cent means per …",
            "accepted": ["hundred", "one hundred"],
            "hints": ["Think of a century."],
            "feedback": "Per cent: per hundred.",
            "difficulty": 0.5,
            "language": "en",
            "tags": [],
            "version": 1,
            "retired": False,
            "competencies": ["pct", "frac"],
        },
    ],
    "resources": [
        {
            "code": "video-1",
            "kind": "video",
            "title": "What is a fraction?",
            "form": "link",
            "url": "https://example.org/fractions",
            "media_type": "video/mp4",
            "reading_level": 5,
            "interest_topics": ["cooking"],
            "competencies": ["frac"],
        }
    ],
}


# The same kind of framework as two CSV files (see tessera.curriculum.framework_csv).
COMPETENCIES = (
    "domain_code,domain_name,code,name,description,prerequisites\n"
    "number,Number,add,Addition,,\n"
    "number,Number,mul,Multiplication,,add\n"
    "fractions,Fractions,frac,Fractions,Parts of a whole.,mul\n"
)
ITEMS = (
    "code,kind,stem,choices,answer,tolerance,accepted,hints,feedback,difficulty,competencies\n"
    "add-1,numeric,2 + 3 = ?,,5,0,,Count on from 2.,2 + 3 = 5.,-1,add\n"
    "half,multiple_choice,Which is half?,1/3|1/2|2/3,1/2,,,,One of two equal parts.,0,frac\n"
    "word,short_text,Per cent means per …,,,,hundred|one hundred,,,0.5,frac;mul\n"
)


def small(**framework: str) -> dict[str, Any]:
    """A deep copy of :data:`SMALL`, with framework fields replaced (e.g. another code)."""
    document = copy.deepcopy(SMALL)
    document["framework"].update(framework)
    return document


def small_bytes(**framework: str) -> bytes:
    return json.dumps(small(**framework)).encode()


def small_framework(school: School | None, **framework: str) -> Framework:
    """Import the small framework into ``school`` (None: shared) and return it."""
    code = framework.get("code", SMALL["framework"]["code"])
    existing = Framework.objects.filter(school=school, code=code).first()
    if existing is not None:
        return existing
    document = framework_file.framework_document_check(small(**framework))
    result = services.framework_import(actor=None, school=school, document=document)
    assert result.framework is not None, result.errors
    return result.framework
