"""Every write to frameworks: import (all or nothing) and prerequisite edges. Keyword-only, transactional.

A school's administrators import their school's frameworks; shared frameworks (``school`` None) are
written only by the platform (``actor`` None, from ``manage.py import_framework --shared``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tessera.curriculum import graph
from tessera.curriculum.framework_file import FileError, FrameworkDocument
from tessera.curriculum.models import (
    Competency,
    Domain,
    Framework,
    Item,
    ItemCompetency,
    Prerequisite,
    Resource,
    ResourceCompetency,
)
from tessera.curriculum.selectors import prerequisite_map
from tessera.curriculum.signals import framework_imported
from tessera.schools import permissions as school_permissions
from tessera.schools.errors import Conflict, DomainError, PermissionDenied
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
            **{k: v for k, v in raw.items() if k != "competencies"},
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
    )
    if item.kind == Item.Kind.MULTIPLE_CHOICE:
        item.choices, item.correct_choice = raw["choices"], raw["answer"]
    elif item.kind == Item.Kind.NUMERIC:
        item.numeric_answer, item.tolerance = raw["answer"], raw["tolerance"]
    else:
        item.accepted_answers = raw["accepted"]
    return item


@transaction.atomic
def prerequisite_add(*, actor: User | None, competency: Competency, prerequisite: Competency) -> Prerequisite:
    """Record that ``prerequisite`` comes before ``competency``; refuse an edge that closes a cycle,
    naming the competencies of the cycle in learning order."""
    framework = competency.framework
    _require_writer(actor, framework.school)
    if prerequisite.framework_id != framework.pk:
        raise DomainError(
            _("A prerequisite must belong to the same framework."),
            code="curriculum.prerequisite_other_framework",
        )
    if prerequisite.pk == competency.pk:
        raise DomainError(
            _("“%(name)s” cannot be its own prerequisite.") % {"name": competency.name},
            code="curriculum.prerequisite_self",
        )
    # Lock the framework row so two concurrent additions cannot each close half of a cycle.
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    edges = prerequisite_map(framework)
    if prerequisite.code in edges[competency.code]:
        raise Conflict(
            _("“%(prerequisite)s” is already a prerequisite of “%(competency)s”.")
            % {"prerequisite": prerequisite.name, "competency": competency.name},
            code="curriculum.prerequisite_exists",
        )
    cycle = graph.would_close_cycle(edges, competency=competency.code, prerequisite=prerequisite.code)
    if cycle is not None:
        names = dict(framework.competencies.filter(code__in=cycle).values_list("code", "name"))
        raise DomainError(
            _("This prerequisite would create a cycle: %(cycle)s.")
            % {"cycle": " → ".join(names[code] for code in cycle)},
            code="curriculum.prerequisite_cycle",
        )
    return Prerequisite.objects.create(
        school=framework.school, framework=framework, competency=competency, prerequisite=prerequisite
    )
