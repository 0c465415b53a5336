"""API for competency frameworks: list, tree, import and export.

Items' correct answers appear only in the export, which only staff may read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tessera.api_input import BoundedPageNumberPagination
from tessera.curriculum import framework_file, selectors, services
from tessera.curriculum.models import Framework
from tessera.schools import permissions as school_permissions
from tessera.schools.errors import NotFound, PermissionDenied
from tessera.schools.models import User

router = Router(tags=["curriculum"])


class FrameworkOut(Schema):
    id: int
    code: str
    name: str
    description: str
    school_id: int | None
    shared: bool


class CompetencyOut(Schema):
    id: int
    code: str
    name: str
    description: str
    prerequisites: list[str]
    item_count: int


class DomainOut(Schema):
    code: str
    name: str
    competencies: list[CompetencyOut]


class FrameworkDetailOut(FrameworkOut):
    domains: list[DomainOut]


class FileErrorOut(Schema):
    location: str
    message: str


class ImportErrorsOut(Schema):
    detail: str
    errors: list[FileErrorOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get(
    "/frameworks", response=list[FrameworkOut], summary="Frameworks I may see (my schools' and shared)"
)
@paginate(BoundedPageNumberPagination, page_size=50)
def framework_list(request: HttpRequest) -> QuerySet[Framework]:
    return selectors.frameworks_for(_user(request))


@router.get(
    "/frameworks/{framework_id}",
    response=FrameworkDetailOut,
    summary="A framework's domains and competencies",
)
def framework_detail(request: HttpRequest, framework_id: int) -> FrameworkDetailOut:
    framework = selectors.framework_detail_for(_user(request), framework_id)
    if framework is None:
        raise NotFound("No such framework.")
    domains = [
        DomainOut(
            code=domain.code,
            name=domain.name,
            competencies=[
                CompetencyOut(
                    id=row.competency.pk,
                    code=row.competency.code,
                    name=row.competency.name,
                    description=row.competency.description,
                    prerequisites=[p.code for p in row.prerequisites],
                    item_count=row.item_count,
                )
                for row in domain.competencies
            ],
        )
        for domain in selectors.framework_tree(framework)
    ]
    return FrameworkDetailOut(
        id=framework.pk,
        code=framework.code,
        name=framework.name,
        description=framework.description,
        school_id=framework.school_id,
        shared=framework.shared,
        domains=domains,
    )


@router.get(
    "/frameworks/{framework_id}/export",
    response=dict[str, Any],
    summary="The framework with its items and answers as a JSON file (staff)",
)
def framework_export(request: HttpRequest, framework_id: int) -> dict[str, Any]:
    user = _user(request)
    framework = selectors.framework_detail_for(user, framework_id)
    if framework is None:
        raise NotFound("No such framework.")
    if selectors.framework_with_answers_for(user, framework_id) is None:
        raise PermissionDenied("Only staff can export a framework: it contains the answers.")
    return selectors.framework_document(framework)


@router.post(
    "/schools/{school_id}/frameworks/import",
    response={201: FrameworkOut, 400: ImportErrorsOut},
    summary="Import a framework file (administrators); the request body is the JSON file",
    description=framework_file.__doc__,
)
def framework_import(request: HttpRequest, school_id: int) -> Status[Framework] | Status[ImportErrorsOut]:
    user = _user(request)
    school = get_object_or_404(school_permissions.schools_visible_to(user), pk=school_id)
    if not school_permissions.can_manage_school(user, school):
        raise PermissionDenied("Only an administrator of this school can import a framework.")
    try:
        body = request.body
    except RequestDataTooBig:
        body = b" " * (framework_file.MAX_FILE_BYTES + 1)  # reported as too large by the parser
    document = framework_file.framework_file_parse(body)
    result = services.framework_import(actor=user, school=school, document=document)
    if result.framework is None:
        return Status(
            400,
            ImportErrorsOut(
                detail=f"{len(result.errors)} error(s); nothing was imported. First: {result.errors[0]}",
                errors=[FileErrorOut(location=e.location, message=e.message) for e in result.errors],
            ),
        )
    return Status(201, result.framework)
