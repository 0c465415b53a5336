"""Framework imports (all or nothing). Keyword-only, transactional. Edits in the browser and the API
(domains, competencies, prerequisite edges, copies) are :mod:`tessera.curriculum.frameworks.services`.

A school's administrators import their school's frameworks; shared frameworks (``school`` None) are
written only by the platform (``actor`` None, from ``manage.py import_framework --shared``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.curriculum.framework_file import FileError, FrameworkDocument
from tessera.curriculum.models import (
    Competency,
    CurriculumFile,
    Domain,
    Framework,
    Item,
    ItemCompetency,
    Prerequisite,
    Resource,
    ResourceCompetency,
)
from tessera.curriculum.rich_text import uploads_named
from tessera.curriculum.signals import framework_imported
from tessera.schools import permissions as school_permissions
from tessera.schools.errors import PermissionDenied
from tessera.schools.models import School, User


@dataclass
class ImportResult:
    framework: Framework | None = None
    errors: list[FileError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _require_writer(actor: User | None, school: School | None) -> None:
    if actor is None:
        return
    if school is None:
        raise PermissionDenied(
            _("Shared frameworks are managed by the platform, not by a school."),
            code="curriculum.shared_framework_read_only",
        )
    school_permissions.require_school_admin(actor, school, to=_("change its frameworks"))


def _code_taken(school: School | None, code: str) -> bool:
    return Framework.objects.filter(school=school, code=code).exists()


def framework_import(
    *, actor: User | None, school: School | None, document: FrameworkDocument | list[FileError]
) -> ImportResult:
    """Save a validated framework file (see :mod:`tessera.curriculum.framework_file`) as a new framework.

    ``document`` is what ``framework_file_parse`` returned; when it is a list of errors, or the
    framework's code is already used in the school, nothing is saved and the result lists why.
    """
    _require_writer(actor, school)
    if isinstance(document, list):
        return ImportResult(errors=document)
    code = document.framework["code"]
    taken = FileError("$.framework.code", f"this school already has a framework with code “{code}”")
    if _code_taken(school, code):
        return ImportResult(errors=[taken])
    uploads = _upload_errors(school, document)
    if uploads:
        return ImportResult(errors=uploads)
    try:
        with transaction.atomic():
            framework = _save(school, document)
    except IntegrityError:  # a twin upload won the race past the check above
        return ImportResult(errors=[taken])
    transaction.on_commit(lambda: framework_imported.send(sender=Framework, framework=framework))
    return ImportResult(framework=framework)


def _save(school: School | None, document: FrameworkDocument) -> Framework:
    framework = Framework.objects.create(school=school, **document.framework)
    competencies: list[Competency] = []
    for d, raw in enumerate(document.domains):
        domain = Domain.objects.create(
            school=school, framework=framework, code=raw["code"], name=raw["name"], position=d
        )
        competencies.extend(
            Competency(
                school=school,
                framework=framework,
                domain=domain,
                code=c["code"],
                name=c["name"],
                description=c["description"],
                position=p,
            )
            for p, c in enumerate(raw["competencies"])
        )
    by_code = {c.code: c for c in Competency.objects.bulk_create(competencies)}
    Prerequisite.objects.bulk_create(
        Prerequisite(
            school=school, framework=framework, competency=by_code[code], prerequisite=by_code[before]
        )
        for code, befores in document.prerequisite_map().items()
        for before in befores
    )
    items = Item.objects.bulk_create(_item(school, framework, raw) for raw in document.items)
    ItemCompetency.objects.bulk_create(
        ItemCompetency(school=school, item=item, competency=by_code[code], primary=n == 0)
        for item, raw in zip(items, document.items, strict=True)
        for n, code in enumerate(raw["competencies"])
    )
    resources = Resource.objects.bulk_create(
        Resource(
            school=school,
            framework=framework,
            file_id=raw.get("file"),
            **{k: v for k, v in raw.items() if k not in {"competencies", "file"}},
        )
        for raw in document.resources
    )
    ResourceCompetency.objects.bulk_create(
        ResourceCompetency(school=school, resource=resource, competency=by_code[code])
        for resource, raw in zip(resources, document.resources, strict=True)
        for code in raw["competencies"]
    )
    return framework


def _item(school: School | None, framework: Framework, raw: dict[str, Any]) -> Item:
    item = Item(
        school=school,
        framework=framework,
        code=raw["code"],
        kind=raw["kind"],
        stem=raw["stem"],
        hints=raw["hints"],
        feedback=raw["feedback"],
        difficulty=raw["difficulty"],
        language=raw.get("language", "en"),
        tags=raw.get("tags", []),
        version=raw.get("version", 1),
        retired_at=timezone.now() if raw.get("retired") else None,
    )
    if item.kind == Item.Kind.MULTIPLE_CHOICE:
        item.choices, item.correct_choice = raw["choices"], raw["answer"]
    elif item.kind == Item.Kind.MULTIPLE_SELECTION:
        item.choices, item.correct_choices = raw["choices"], sorted(raw["answer"])
    elif item.kind == Item.Kind.NUMERIC:
        item.numeric_answer, item.tolerance = raw["answer"], raw["tolerance"]
    elif item.kind == Item.Kind.OPEN_RESPONSE:
        item.rubric = raw["rubric"]
    else:
        item.accepted_answers = raw["accepted"]
    return item


def _upload_errors(school: School | None, document: FrameworkDocument) -> list[FileError]:
    """The file's references to uploads (a resource's file, an image in a text) that are not the school's
    (a shared framework has none): the file checker cannot see the database, so the import looks."""
    wanted: dict[int, str] = {}
    for i, raw in enumerate(document.resources):
        if raw.get("file") is not None:
            wanted.setdefault(raw["file"], f"$.resources[{i}].file")
        if raw.get("body"):
            for number in uploads_named(raw["body"]):
                wanted.setdefault(number, f"$.resources[{i}].body")
    for i, raw in enumerate(document.items):
        texts = [raw["stem"], raw["feedback"], raw.get("rubric", ""), *raw["hints"], *raw.get("choices", [])]
        for text in texts:
            for number in uploads_named(text):
                wanted.setdefault(number, f"$.items[{i}]")
    if not wanted:
        return []
    found = set(
        CurriculumFile.objects.filter(school=school, pk__in=wanted).values_list("pk", flat=True)
        if school is not None
        else []
    )
    return [
        FileError(where, f"no file number {number} was uploaded to this school")
        for number, where in wanted.items()
        if number not in found
    ]
