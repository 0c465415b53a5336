"""The framework file: a JSON document with a framework, its tree, prerequisites, items and resources.

Validation is pure (no database): :func:`framework_file_parse` checks the whole document and returns
either a :class:`FrameworkDocument` or every problem with its JSON path (``$.items[3].answer``), so the
import service saves all or nothing. The format::

    {
      "format": "tessera-framework", "version": 1,
      "framework": {"code": "maths-ks3", "name": "Maths", "description": ""},
      "domains": [
        {"code": "number", "name": "Number", "competencies": [
          {"code": "add", "name": "Addition", "description": "", "prerequisites": []},
          {"code": "sub", "name": "Subtraction", "prerequisites": ["add"]}]}],
      "items": [
        {"code": "add-1", "kind": "numeric", "stem": "2 + 3 = ?", "answer": 5, "tolerance": 0,
         "hints": ["Count on from 2."], "feedback": "2 + 3 = 5", "difficulty": -1.0,
         "competencies": ["add"]},
        {"code": "sub-1", "kind": "multiple_choice", "stem": "5 - 3 = ?", "choices": ["1", "2"],
         "answer": 1, "competencies": ["sub"]},
        {"code": "words-1", "kind": "short_text", "stem": "The result of a subtraction is the …",
         "accepted": ["difference"], "competencies": ["sub"]}],
      "resources": [
        {"code": "r-1", "kind": "video", "title": "Adding", "url": "https://example.org/add",
         "media_type": "video/mp4", "reading_level": 4, "interest_topics": ["sport"],
         "competencies": ["add"]}]
    }

``items`` and ``resources`` are optional, as are descriptions, hints, feedback, difficulty (0),
tolerance (0), media type, reading level and interest topics. Unknown keys are errors, so a typo is
never silently dropped.

Items of the other kinds: ``multiple_selection`` has ``choices`` and ``answer``, the list of the numbers
of the correct choices (``[0, 2]``); ``open_response`` has a ``rubric`` (what a full answer shows) and no
answer. Every item may have a ``language`` (``"en"``), ``tags`` (``[]``), a ``version`` (``1``: an export
carries each item's current version with its number, and the import keeps it) and ``retired``
(``false``: a retired item is kept but never offered). The first of an item's ``competencies`` is the
one it mainly assesses. Stems, choices, hints, feedback, rubrics and pages are Markdown with maths between
``\\(`` and ``\\)`` (see :mod:`tessera.curriculum.rich_text`), kept exactly as written; invalid LaTeX or an
image without alt text is an error at its path. A resource is a ``"form": "link"`` (the default, with its
``url``), a ``"page"`` (its Markdown ``body``) or a ``"file"`` (the number of a file uploaded to the
school, which the import looks up in the school).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from tessera.curriculum import graph
from tessera.curriculum.models import CODE_LENGTH, NAME_LENGTH, TEXT_LENGTH, Item, Resource
from tessera.curriculum.rich_text import text_check
from tessera.schools.errors import DomainError
from tessera.schools.text import has_control_characters

FORMAT = "tessera-framework"
VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024  # below Django's DATA_UPLOAD_MAX_MEMORY_SIZE, so the API can read it
MAX_ENTRIES = 20_000  # per list: domains, competencies, items, resources
MAX_CHOICES = 10
MAX_LIST = 20  # hints, accepted answers, interest topics, competencies of one item
URL_LENGTH = 500
NULLABLE = {"reading_level"}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
ITEM_KINDS = [k.value for k in Item.Kind]
RESOURCE_KINDS = [k.value for k in Resource.Kind]


@dataclass(frozen=True)
class FileError:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class FrameworkDocument:
    """A validated file, in the file's own shape (plain dicts), ready to save."""

    framework: dict[str, Any]
    domains: list[dict[str, Any]]
    items: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)

    def prerequisite_map(self) -> dict[str, list[str]]:
        return {
            c["code"]: list(c["prerequisites"]) for domain in self.domains for c in domain["competencies"]
        }


class _Checker:
    """Collects errors while walking the document; each ``take_*`` returns a clean value or None."""

    def __init__(self) -> None:
        self.errors: list[FileError] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(FileError(where, message))

    def obj(self, value: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(where, "must be an object")
            return None
        for key in sorted(set(value) - required - optional):
            self.error(f"{where}.{key}", f"unknown key “{key}”")
        for key in sorted(required - set(value)):
            self.error(f"{where}.{key}", "is missing")
        for key in sorted(k for k in (required | optional) - NULLABLE if k in value and value[k] is None):
            self.error(f"{where}.{key}", "must not be null")
        return value

    # The value checks below stay silent on None: obj() has already said "is missing" or "must not be null".

    def text(self, value: Any, where: str, max_length: int, *, blank: bool = False) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(where, "must be text")
            return None
        cleaned = value.strip()
        if not cleaned and not blank:
            self.error(where, "must not be blank")
            return None
        if len(cleaned) > max_length:
            self.error(where, f"is longer than {max_length} characters")
            return None
        if has_control_characters(cleaned):
            self.error(where, "must not contain control characters")
            return None
        return cleaned

    def code(self, value: Any, where: str) -> str | None:
        cleaned = self.text(value, where, CODE_LENGTH)
        if cleaned is not None and not CODE_PATTERN.match(cleaned):
            self.error(
                where, "a code uses letters, digits, “-”, “_” and “.” only, starting with a letter or digit"
            )
            return None
        return cleaned

    def number(
        self, value: Any, where: str, *, low: float | None = None, high: float | None = None
    ) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not _is_finite(value):
            self.error(where, "must be a finite number")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(where, f"must be between {low} and {high}")
            return None
        return float(value)

    def texts(
        self, value: Any, where: str, max_items: int, max_length: int, *, min_items: int = 0
    ) -> list[str] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(where, "must be a list")
            return None
        if not min_items <= len(value) <= max_items:
            self.error(where, f"must have {min_items} to {max_items} entries")
            return None
        cleaned = [self.text(v, f"{where}[{i}]", max_length) for i, v in enumerate(value)]
        return None if any(c is None for c in cleaned) else [c for c in cleaned if c is not None]

    def entries(self, value: Any, where: str, *, min_items: int = 0) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(where, "must be a list")
            return []
        if not min_items <= len(value) <= MAX_ENTRIES:
            self.error(where, f"must have {min_items} to {MAX_ENTRIES} entries")
            return []
        return value

    def unique(self, code: str | None, seen: dict[str, str], where: str, what: str) -> None:
        if code is None:
            return
        if code in seen:
            self.error(where, f"duplicate {what} code “{code}” (first at {seen[code]})")
        else:
            seen[code] = where


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def read_capped(upload: Readable | None) -> bytes | None:
    """An uploaded file's bytes, at most one more than the cap, so an oversized file is refused (as too
    large) without reading it all."""
    return None if upload is None else bytes(upload.read(MAX_FILE_BYTES + 1))


def framework_file_parse(data: bytes | str) -> FrameworkDocument | list[FileError]:
    """Parse and validate a whole framework file: the document, or every error found."""
    if len(data) > MAX_FILE_BYTES:
        return [FileError("$", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")]
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as error:
        return [FileError("$", f"not valid JSON (UTF-8): {error}")]
    return framework_document_check(raw)


def framework_document_check(raw: Any) -> FrameworkDocument | list[FileError]:
    """Validate an already-decoded document (the demo framework is built as one)."""
    check = _Checker()
    top = check.obj(raw, "$", {"format", "version", "framework", "domains"}, {"items", "resources"})
    if top is None:
        return check.errors
    if "format" in top and top["format"] != FORMAT:
        check.error("$.format", f"must be “{FORMAT}”")
    if "version" in top and top["version"] != VERSION:
        check.error("$.version", f"must be {VERSION}")
    framework = _framework(check, top.get("framework"))
    domains, competency_codes = _domains(check, top.get("domains", []))
    items = [
        _item(check, value, f"$.items[{i}]", competency_codes)
        for i, value in enumerate(check.entries(top.get("items", []), "$.items"))
    ]
    _unique_codes(check, items, "$.items", "item")
    resources = [
        _resource(check, value, f"$.resources[{i}]", competency_codes)
        for i, value in enumerate(check.entries(top.get("resources", []), "$.resources"))
    ]
    _unique_codes(check, resources, "$.resources", "resource")
    if check.errors or framework is None:
        return check.errors
    document = FrameworkDocument(
        framework=framework,
        domains=domains,
        items=[i for i in items if i is not None],
        resources=[r for r in resources if r is not None],
    )
    cycle = graph.find_cycle(document.prerequisite_map())
    if cycle is not None:
        return [FileError("$.domains", "prerequisites form a cycle: " + " → ".join(cycle))]
    return document


def _unique_codes(check: _Checker, entries: list[dict[str, Any] | None], where: str, what: str) -> None:
    seen: dict[str, str] = {}
    for i, entry in enumerate(entries):
        if entry is not None:
            check.unique(entry["code"], seen, f"{where}[{i}].code", what)


def _framework(check: _Checker, value: Any) -> dict[str, Any] | None:
    obj = check.obj(value, "$.framework", {"code", "name"}, {"description"})
    if obj is None:
        return None
    code = check.code(obj.get("code"), "$.framework.code")
    name = check.text(obj.get("name"), "$.framework.name", NAME_LENGTH)
    description = check.text(obj.get("description", ""), "$.framework.description", TEXT_LENGTH, blank=True)
    if code is None or name is None or description is None:
        return None
    return {"code": code, "name": name, "description": description}


def _domains(check: _Checker, value: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    domains: list[dict[str, Any]] = []
    domain_codes: dict[str, str] = {}
    competency_codes: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []  # (where, competency, prerequisite)
    for d, raw in enumerate(check.entries(value, "$.domains", min_items=1)):
        where = f"$.domains[{d}]"
        obj = check.obj(raw, where, {"code", "name", "competencies"}, set())
        if obj is None:
            continue
        code = check.code(obj.get("code"), f"{where}.code")
        check.unique(code, domain_codes, f"{where}.code", "domain")
        name = check.text(obj.get("name"), f"{where}.name", NAME_LENGTH)
        competencies = []
        for c, raw_competency in enumerate(check.entries(obj.get("competencies"), f"{where}.competencies")):
            at = f"{where}.competencies[{c}]"
            competency = _competency(check, raw_competency, at)
            if competency is None:
                continue
            check.unique(competency["code"], competency_codes, f"{at}.code", "competency")
            links.extend(
                (f"{at}.prerequisites[{p}]", competency["code"], before)
                for p, before in enumerate(competency["prerequisites"])
            )
            competencies.append(competency)
        if code is not None and name is not None:
            domains.append({"code": code, "name": name, "competencies": competencies})
    for where, code, before in links:
        if before == code:
            check.error(where, f"“{code}” cannot be its own prerequisite")
        elif before not in competency_codes:
            check.error(where, f"no competency with code “{before}” in this file")
    return domains, competency_codes


def _competency(check: _Checker, raw: Any, where: str) -> dict[str, Any] | None:
    obj = check.obj(raw, where, {"code", "name"}, {"description", "prerequisites"})
    if obj is None:
        return None
    code = check.code(obj.get("code"), f"{where}.code")
    name = check.text(obj.get("name"), f"{where}.name", NAME_LENGTH)
    description = check.text(obj.get("description", ""), f"{where}.description", TEXT_LENGTH, blank=True)
    prerequisites = check.texts(
        obj.get("prerequisites", []), f"{where}.prerequisites", MAX_ENTRIES, CODE_LENGTH
    )
    if prerequisites is not None and len(set(prerequisites)) != len(prerequisites):
        check.error(f"{where}.prerequisites", "lists a prerequisite twice")
        prerequisites = None
    if code is None or name is None or description is None or prerequisites is None:
        return None
    return {"code": code, "name": name, "description": description, "prerequisites": prerequisites}


def _references(
    check: _Checker, value: Any, where: str, competency_codes: dict[str, str]
) -> list[str] | None:
    codes = check.texts(value, where, MAX_LIST, CODE_LENGTH, min_items=1)
    if codes is None:
        return None
    missing = [c for c in codes if c not in competency_codes]
    for code in missing:
        check.error(where, f"no competency with code “{code}” in this file")
    if len(set(codes)) != len(codes):
        check.error(where, "lists a competency twice")
        return None
    return None if missing else codes


ITEM_KEYS = {"code", "kind", "stem", "competencies"}
ITEM_OPTIONAL = {"hints", "feedback", "difficulty", "language", "tags", "version", "retired"}
# Per kind: (required keys, optional keys). Every kind of ``Item.Kind`` has a row (a test checks it).
KIND_KEYS = {
    "multiple_choice": ({"choices", "answer"}, set()),
    "multiple_selection": ({"choices", "answer"}, set()),
    "numeric": ({"answer"}, {"tolerance"}),
    "short_text": ({"accepted"}, set()),
    "open_response": ({"rubric"}, set()),
}
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
TAG_LENGTH = 60
MAX_VERSION = 1_000_000


def _rich(check: _Checker, value: str | None, where: str) -> str | None:
    """``value`` when its Markdown and maths render (:func:`tessera.curriculum.rich_text.text_check`),
    else an error at ``where`` saying what and where in the text."""
    if value is None:
        return None
    try:
        text_check(value, what="the text")
    except DomainError as error:
        check.error(where, error.message)
        return None
    return value


def _choices(check: _Checker, obj: dict[str, Any], where: str) -> list[str] | None:
    choices = check.texts(obj.get("choices"), f"{where}.choices", MAX_CHOICES, NAME_LENGTH, min_items=2)
    if choices is None:
        return None
    if len(set(choices)) != len(choices):
        check.error(f"{where}.choices", "lists the same choice twice")
        return None
    if any(_rich(check, c, f"{where}.choices[{i}]") is None for i, c in enumerate(choices)):
        return None
    return choices


def _choice_number(value: Any, choices: list[str]) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and 0 <= value < len(choices)


def _item(check: _Checker, raw: Any, where: str, competency_codes: dict[str, str]) -> dict[str, Any] | None:
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if isinstance(raw, dict) and "kind" not in raw:
        check.error(f"{where}.kind", "is missing")
        return None
    if isinstance(raw, dict) and kind not in KIND_KEYS:
        check.error(f"{where}.kind", f"unknown item kind “{kind}”; expected one of {', '.join(ITEM_KINDS)}")
        return None
    required, optional = KIND_KEYS.get(str(kind), (set(), set()))
    obj = check.obj(raw, where, ITEM_KEYS | required, ITEM_OPTIONAL | optional)
    if obj is None:
        return None
    count = len(check.errors)
    item: dict[str, Any] = {
        "code": check.code(obj.get("code"), f"{where}.code"),
        "kind": kind,
        "stem": _rich(check, check.text(obj.get("stem"), f"{where}.stem", TEXT_LENGTH), f"{where}.stem"),
    }
    answer = obj.get("answer")
    if kind == "multiple_choice":
        choices = _choices(check, obj, where)
        if choices is not None and answer is not None and not _choice_number(answer, choices):
            check.error(
                f"{where}.answer", f"must be the number of the correct choice, 0 to {len(choices) - 1}"
            )
        item |= {"choices": choices, "answer": answer}
    elif kind == "multiple_selection":
        choices = _choices(check, obj, where)
        if (
            choices is not None
            and answer is not None
            and (
                not isinstance(answer, list)
                or not answer
                or not all(_choice_number(a, choices) for a in answer)
                or len(set(answer)) != len(answer)
            )
        ):
            check.error(
                f"{where}.answer",
                f"must list the numbers of the correct choices (0 to {len(choices) - 1}), each once, "
                "at least one",
            )
        item |= {"choices": choices, "answer": answer}
    elif kind == "numeric":
        item["answer"] = check.number(answer, f"{where}.answer", low=-1e12, high=1e12)
        item["tolerance"] = check.number(obj.get("tolerance", 0), f"{where}.tolerance", low=0, high=1e12)
    elif kind == "open_response":
        rubric = check.text(obj.get("rubric"), f"{where}.rubric", TEXT_LENGTH)
        item["rubric"] = _rich(check, rubric, f"{where}.rubric")
    else:
        item["accepted"] = check.texts(
            obj.get("accepted"), f"{where}.accepted", MAX_LIST, NAME_LENGTH, min_items=1
        )
    hints = check.texts(obj.get("hints", []), f"{where}.hints", MAX_LIST, TEXT_LENGTH)
    if hints is not None and any(_rich(check, h, f"{where}.hints[{i}]") is None for i, h in enumerate(hints)):
        hints = None
    item["hints"] = hints
    feedback = check.text(obj.get("feedback", ""), f"{where}.feedback", TEXT_LENGTH, blank=True)
    item["feedback"] = _rich(check, feedback, f"{where}.feedback")
    item["difficulty"] = check.number(obj.get("difficulty", 0), f"{where}.difficulty", low=-10, high=10)
    item["language"] = _language(check, obj.get("language", "en"), f"{where}.language")
    item["tags"] = _tags(check, obj.get("tags", []), f"{where}.tags")
    version = obj.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= MAX_VERSION:
        check.error(f"{where}.version", f"must be a whole number from 1 to {MAX_VERSION}")
    item["version"] = version
    retired = obj.get("retired", False)
    if not isinstance(retired, bool):
        check.error(f"{where}.retired", "must be true or false")
    item["retired"] = retired
    item["competencies"] = _references(
        check, obj.get("competencies"), f"{where}.competencies", competency_codes
    )
    return item if len(check.errors) == count else None


def _language(check: _Checker, value: Any, where: str) -> str | None:
    language = check.text(value, where, 10)
    if language is not None and not LANGUAGE_PATTERN.match(language):
        check.error(where, "must be a language code such as “en”, “es” or “pt-BR”")
        return None
    return language


def _tags(check: _Checker, value: Any, where: str) -> list[str] | None:
    tags = check.texts(value, where, MAX_LIST, TAG_LENGTH)
    if tags is not None and len({t.casefold() for t in tags}) != len(tags):
        check.error(where, "lists a tag twice")
        return None
    return tags


RESOURCE_FORMS = [f.value for f in Resource.Form]
BODY_LENGTH = TEXT_LENGTH * 5


def _resource(
    check: _Checker, raw: Any, where: str, competency_codes: dict[str, str]
) -> dict[str, Any] | None:
    form = raw.get("form", "link") if isinstance(raw, dict) else None
    if isinstance(raw, dict) and form not in RESOURCE_FORMS:
        check.error(
            f"{where}.form", f"unknown resource form “{form}”; expected one of {', '.join(RESOURCE_FORMS)}"
        )
        return None
    by_form = {"link": ({"url"}, set()), "page": ({"body"}, {"url"}), "file": ({"file"}, {"url"})}
    required, optional = by_form.get(str(form), (set(), set()))
    obj = check.obj(
        raw,
        where,
        {"code", "kind", "title", "competencies"} | required,
        {"form", "media_type", "reading_level", "interest_topics"} | optional,
    )
    if obj is None:
        return None
    count = len(check.errors)
    kind = obj.get("kind")
    if kind not in RESOURCE_KINDS:
        check.error(
            f"{where}.kind", f"unknown resource kind “{kind}”; expected one of {', '.join(RESOURCE_KINDS)}"
        )
    url = check.text(obj.get("url", ""), f"{where}.url", URL_LENGTH, blank=form != "link")
    if url and not re.match(r"^https?://[^\s/]+", url):
        check.error(f"{where}.url", "must be an http:// or https:// address")
    level = obj.get("reading_level")
    if level is not None and (isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 13):
        check.error(f"{where}.reading_level", "must be a grade from 0 to 13, or null")
    resource = {
        "code": check.code(obj.get("code"), f"{where}.code"),
        "kind": kind,
        "title": check.text(obj.get("title"), f"{where}.title", NAME_LENGTH),
        "form": form,
        "url": url,
        "media_type": check.text(obj.get("media_type", ""), f"{where}.media_type", 100, blank=True),
        "reading_level": level,
        "interest_topics": check.texts(
            obj.get("interest_topics", []), f"{where}.interest_topics", MAX_LIST, 60
        ),
        "competencies": _references(
            check, obj.get("competencies"), f"{where}.competencies", competency_codes
        ),
    }
    if form == "page":
        body = check.text(obj.get("body"), f"{where}.body", BODY_LENGTH)
        resource["body"] = _rich(check, body, f"{where}.body")
    if form == "file":
        file = obj.get("file")
        if isinstance(file, bool) or not isinstance(file, int) or file < 1:
            check.error(f"{where}.file", "must be the number of a file uploaded to the school")
        resource["file"] = file
    return resource if len(check.errors) == count else None


def _is_finite(value: float) -> bool:
    """Like ``math.isfinite``, but a JSON integer too large for a float (10**400) is not finite either."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
