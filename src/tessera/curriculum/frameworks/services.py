"""Writes to a school's frameworks in the browser and the API: domains, competencies, prerequisite edges,
and "copy to my school" for a shared framework. Keyword-only, transactional; nothing changes on an error.

Who: :func:`tessera.curriculum.permissions.can_write_curriculum` (the school's teachers, specialists and
administrators). A framework the actor cannot see is "not found" (404); one they see but may not change
is refused (403), a shared framework with the hint to copy it to their school first.

This module owns the prerequisite rules (same framework, not itself, once, no cycle, the cycle named in
learning order); the import checks a whole file's graph with the same :func:`tessera.curriculum.graph`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tessera.curriculum import framework_file, graph, permissions, selectors
from tessera.curriculum import services as curriculum_services
from tessera.curriculum.models import (
    CODE_LENGTH,
    NAME_LENGTH,
    TEXT_LENGTH,
    Competency,
    Domain,
    Framework,
    Prerequisite,
)
from tessera.schools.errors import Conflict, DomainError, NotFound, PermissionDenied
from tessera.schools.models import School, User
from tessera.schools.text import text_checked

COPY_SUFFIXES = 100  # "-2" to "-100": a school with a hundred copies of one framework has made a point


def framework_writable_check(actor: User | None, framework: Framework) -> None:
    """Refuse ``actor`` changing ``framework``: not found when they cannot see it, refused (403) when it
    is shared or they may only read it. ``actor`` None is the platform (commands, the demo)."""
    if actor is None:
        return
    if not permissions.can_view_framework(actor, framework):
        raise NotFound(_("No such framework."), code="curriculum.framework_not_found")
    if framework.shared:
        raise PermissionDenied(
            _(
                "“%(name)s” is a shared framework: no school may change it. Copy it to your school "
                "(“Copy to my school”) and change your copy."
            )
            % {"name": framework.name},
            code="curriculum.shared_framework_read_only",
        )
    if not permissions.can_write_curriculum(actor, framework.school):
        raise PermissionDenied(
            _("Only the school's teachers, specialists and administrators change its frameworks."),
            code="curriculum.write_not_allowed",
        )


def _lock(framework: Framework) -> None:
    """Lock the framework row: concurrent edits of one framework (two halves of a cycle, two codes made
    from one name) run one after the other."""
    Framework.objects.select_for_update().filter(pk=framework.pk).first()


def _code(value: str, *, taken: set[str], what: str, name: str) -> str:
    """A code typed (checked, refused when taken) or, when blank, made from ``name`` (a free one)."""
    typed = (value or "").strip()
    if typed:
        if len(typed) > CODE_LENGTH or not framework_file.CODE_PATTERN.match(typed):
            raise DomainError(
                _(
                    "A code uses letters, digits, “-”, “_” and “.” only, starts with a letter or digit, and "
                    "has at most %(limit)d characters."
                )
                % {"limit": CODE_LENGTH},
                code="curriculum.code_invalid",
            )
        if typed in taken:
            raise Conflict(
                _("This framework already has a %(what)s with code “%(code)s”.")
                % {"what": what, "code": typed},
                code="curriculum.code_taken",
            )
        return typed
    base = slugify(name)[: CODE_LENGTH - 4].strip("-") or "c"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def domain_add(*, actor: User | None, framework: Framework, name: str, code: str = "") -> Domain:
    """Add a domain at the end of ``framework``; its code is made from the name when blank."""
    framework_writable_check(actor, framework)
    name = text_checked(name, what=_("domain's name"), limit=NAME_LENGTH)
    _lock(framework)
    taken = set(framework.domains.values_list("code", flat=True))
    code = _code(code, taken=taken, what=_("domain"), name=name)
    last = framework.domains.aggregate(last=Max("position"))["last"]
    return Domain.objects.create(
        school=framework.school,
        framework=framework,
        code=code,
        name=name,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def competency_add(
    *, actor: User | None, domain: Domain, name: str, code: str = "", description: str = ""
) -> Competency:
    """Add a competency at the end of ``domain``; its code is made from the name when blank."""
    framework = domain.framework
    framework_writable_check(actor, framework)
    name = text_checked(name, what=_("competency's name"), limit=NAME_LENGTH)
    description = text_checked(description, what=_("description"), limit=TEXT_LENGTH, required=False)
    _lock(framework)
    taken = set(framework.competencies.values_list("code", flat=True))
    code = _code(code, taken=taken, what=_("competency"), name=name)
    last = domain.competencies.aggregate(last=Max("position"))["last"]
    return Competency.objects.create(
        school=framework.school,
        framework=framework,
        domain=domain,
        code=code,
        name=name,
        description=description,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def competency_edit(
    *, actor: User | None, competency: Competency, name: str | None = None, description: str | None = None
) -> Competency:
    """Rename ``competency`` or change its description (its code stays: files and answers refer to it)."""
    framework_writable_check(actor, competency.framework)
    if name is not None:
        competency.name = text_checked(name, what=_("competency's name"), limit=NAME_LENGTH)
    if description is not None:
        competency.description = text_checked(
            description, what=_("description"), limit=TEXT_LENGTH, required=False
        )
    competency.save(update_fields=["name", "description"])
    return competency


@transaction.atomic
def prerequisite_add(*, actor: User | None, competency: Competency, prerequisite: Competency) -> Prerequisite:
    """Record that ``prerequisite`` comes before ``competency``; refuse an edge that closes a cycle,
    naming the competencies of the cycle in learning order."""
    framework = competency.framework
    framework_writable_check(actor, framework)
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
    _lock(framework)  # so two concurrent additions cannot each close half of a cycle
    edges = selectors.prerequisite_map(framework)
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


@transaction.atomic
def prerequisite_remove(*, actor: User | None, competency: Competency, prerequisite: Competency) -> None:
    """Remove the edge "``prerequisite`` comes before ``competency``"."""
    framework_writable_check(actor, competency.framework)
    edge = Prerequisite.objects.filter(competency=competency, prerequisite=prerequisite).first()
    if edge is None:
        raise NotFound(
            _("“%(prerequisite)s” is not a prerequisite of “%(competency)s”.")
            % {"prerequisite": prerequisite.name, "competency": competency.name},
            code="curriculum.prerequisite_not_found",
        )
    edge.delete()


def _free_code(school: School, code: str) -> str:
    taken = set(Framework.objects.filter(school=school, code__startswith=code).values_list("code", flat=True))
    if code not in taken:
        return code
    for n in range(2, COPY_SUFFIXES + 1):
        candidate = f"{code[: CODE_LENGTH - 4]}-{n}"
        if candidate not in taken:
            return candidate
    raise Conflict(
        _("This school already has %(count)d copies of this framework.") % {"count": COPY_SUFFIXES},
        code="curriculum.framework_code_taken",
    )


@transaction.atomic
def framework_copy(*, actor: User | None, framework: Framework, school: School) -> Framework:
    """Copy a shared framework into ``school`` (its tree, prerequisites, current items and resources),
    through the export document and the import, so the school edits its own copy. The copy keeps the
    code, or takes the first free ``code-2``, ``code-3``… in the school."""
    if actor is not None:
        if (
            not permissions.can_view_framework(actor, framework)
            or not permissions.schools_staffed_by(actor).filter(pk=school.pk).exists()
        ):
            raise NotFound(_("No such framework."), code="curriculum.framework_not_found")
        if not permissions.can_write_curriculum(actor, school):
            raise PermissionDenied(
                _("Only the school's teachers, specialists and administrators copy frameworks to it."),
                code="curriculum.write_not_allowed",
            )
    if not framework.shared:
        raise DomainError(
            _("Only a shared framework is copied to a school; this one is already a school's own."),
            code="curriculum.copy_not_shared",
        )
    raw = selectors.framework_document(framework)
    raw["framework"]["code"] = _free_code(school, raw["framework"]["code"])
    document = framework_file.framework_document_check(raw)
    # The permission is the one checked above (writers copy); the import's own check (administrators
    # import new files) is for files, so the copy imports as the platform would.
    result = curriculum_services.framework_import(actor=None, school=school, document=document)
    if result.framework is None:
        first = result.errors[0] if result.errors else None
        if first is not None and first.location == "$.framework.code":  # a twin request took the code
            raise Conflict(
                _("Another copy of this framework was just made in the school; try again."),
                code="curriculum.framework_code_taken",
            )
        raise DomainError(
            _("This framework could not be copied: %(error)s") % {"error": first},
            code="curriculum.copy_failed",
        )
    return result.framework
