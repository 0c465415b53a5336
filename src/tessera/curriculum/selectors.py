"""Reads of frameworks for pages and the API, filtered by :mod:`tessera.curriculum.permissions`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from tessera.curriculum import permissions
from tessera.curriculum.framework_file import FORMAT, VERSION
from tessera.curriculum.models import (
    Competency,
    Framework,
    Item,
    ItemCompetency,
    Resource,
    ResourceCompetency,
)
from tessera.schools.models import School, User


def schools_with_curriculum_pages(user: User) -> list[School]:
    """Schools whose curriculum pages the user may open (their staff)."""
    return list(permissions.schools_staffed_by(user).order_by("name"))


def frameworks_for(user: User) -> QuerySet[Framework]:
    return permissions.frameworks_visible_to(user).order_by("name", "pk")


def school_frameworks_for(user: User, school: School) -> QuerySet[Framework]:
    """The frameworks a school's pages list: its own and the shared ones."""
    return (
        frameworks_for(user)
        .filter(Q(school=school) | Q(school__isnull=True))
        .annotate(
            competency_count=Count("competencies", distinct=True), item_count=Count("items", distinct=True)
        )
    )


def framework_detail_for(user: User, framework_id: int) -> Framework | None:
    return frameworks_for(user).filter(pk=framework_id).select_related("school").first()


def framework_with_answers_for(user: User, framework_id: int) -> Framework | None:
    """The framework when the user may read its items' answers (and export it)."""
    return permissions.frameworks_with_answers_for(user).filter(pk=framework_id).first()


def prerequisite_map(framework: Framework) -> dict[str, list[str]]:
    """``{competency code: [prerequisite codes]}``: the engine's ``prerequisites`` argument."""
    result: dict[str, list[str]] = {
        code: []
        for code in framework.competencies.order_by("domain__position", "position").values_list(
            "code", flat=True
        )
    }
    links = framework.prerequisites.order_by("pk").values_list("competency__code", "prerequisite__code")
    for code, before in links:
        result[code].append(before)
    return result


@dataclass
class CompetencyRow:
    competency: Competency
    prerequisites: list[Competency]
    item_count: int


@dataclass
class DomainRow:
    code: str
    name: str
    competencies: list[CompetencyRow]


def framework_tree(framework: Framework) -> list[DomainRow]:
    """Domains → competencies, each with its prerequisites and number of items, in three queries."""
    competencies = list(
        framework.competencies.select_related("domain")
        .annotate(item_count=Count("items"))
        .order_by("domain__position", "position")
    )
    by_pk = {c.pk: c for c in competencies}
    befores: dict[int, list[Competency]] = defaultdict(list)
    for competency_id, prerequisite_id in framework.prerequisites.order_by("pk").values_list(
        "competency_id", "prerequisite_id"
    ):
        befores[competency_id].append(by_pk[prerequisite_id])
    rows: dict[int, DomainRow] = {
        d.pk: DomainRow(d.code, d.name, []) for d in framework.domains.order_by("position")
    }
    for c in competencies:
        rows[c.domain_id].competencies.append(CompetencyRow(c, befores[c.pk], c.item_count))
    return list(rows.values())


def _codes_by(rows: QuerySet[Any], key: str) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = defaultdict(list)
    for owner, code in rows.order_by("pk").values_list(key, "competency__code"):
        codes[owner].append(code)
    return codes


@dataclass
class ResourceRow:
    resource: Resource
    competencies: list[str]


def framework_resources(framework: Framework) -> list[ResourceRow]:
    """The framework's resources with the codes of the competencies each one teaches (two queries)."""
    codes = _codes_by(ResourceCompetency.objects.filter(resource__framework=framework), "resource_id")
    return [ResourceRow(r, codes[r.pk]) for r in framework.resources.order_by("title", "pk")]


def item_document(item: Item, competencies: list[str]) -> dict[str, Any]:
    """One item in the file's shape, with its answer (staff and export only); ``competencies`` in order,
    the primary one first."""
    answers: dict[str, Any]
    if item.kind == Item.Kind.MULTIPLE_CHOICE:
        answers = {"choices": item.choices, "answer": item.correct_choice}
    elif item.kind == Item.Kind.MULTIPLE_SELECTION:
        answers = {"choices": item.choices, "answer": item.correct_choices}
    elif item.kind == Item.Kind.NUMERIC:
        answers = {"answer": item.numeric_answer, "tolerance": item.tolerance}
    elif item.kind == Item.Kind.OPEN_RESPONSE:
        answers = {"rubric": item.rubric}
    else:
        answers = {"accepted": item.accepted_answers}
    return {
        "code": item.code,
        "kind": item.kind,
        "stem": item.stem,
        **answers,
        "hints": item.hints,
        "feedback": item.feedback,
        "difficulty": item.difficulty,
        "language": item.language,
        "tags": item.tags,
        "version": item.version,
        "retired": item.retired_at is not None,
        "competencies": competencies,
    }


def _item_codes(framework: Framework) -> dict[int, list[str]]:
    """Item id → its competencies' codes, the primary one first (then in the order they were linked)."""
    codes: dict[int, list[str]] = defaultdict(list)
    links = ItemCompetency.objects.filter(item__framework=framework).order_by("item_id", "-primary", "pk")
    for item_id, code in links.values_list("item_id", "competency__code"):
        codes[item_id].append(code)
    return codes


def resource_document(resource: Resource, competencies: list[str]) -> dict[str, Any]:
    """One resource in the file's shape: a link, a page (its Markdown body) or a file (its number)."""
    document: dict[str, Any] = {
        "code": resource.code,
        "kind": resource.kind,
        "title": resource.title,
        "form": resource.form,
        "url": resource.url,
    }
    if resource.form == Resource.Form.PAGE:
        document["body"] = resource.body
    elif resource.form == Resource.Form.FILE:
        document["file"] = resource.file_id
    return document | {
        "media_type": resource.media_type,
        "reading_level": resource.reading_level,
        "interest_topics": resource.interest_topics,
        "competencies": competencies,
    }


def framework_document(framework: Framework) -> dict[str, Any]:
    """The framework as a file that imports back identically (see ``framework_file``)."""
    befores = prerequisite_map(framework)
    competencies: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in framework.competencies.order_by("domain__position", "position"):
        competencies[c.domain_id].append(
            {"code": c.code, "name": c.name, "description": c.description, "prerequisites": befores[c.code]}
        )
    item_codes = _item_codes(framework)
    resource_codes = _codes_by(
        ResourceCompetency.objects.filter(resource__framework=framework), "resource_id"
    )
    resources: QuerySet[Resource] = framework.resources.order_by("pk")
    return {
        "format": FORMAT,
        "version": VERSION,
        "framework": {"code": framework.code, "name": framework.name, "description": framework.description},
        "domains": [
            {"code": d.code, "name": d.name, "competencies": competencies[d.pk]}
            for d in framework.domains.order_by("position")
        ],
        "items": [
            item_document(i, item_codes[i.pk])
            for i in framework.items.filter(superseded_at__isnull=True).order_by("pk")
        ],
        "resources": [resource_document(r, resource_codes[r.pk]) for r in resources],
    }
