"""API for competency frameworks: list, tree, import and export.

Items' correct answers appear only in the export, which only staff may read.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params.functions import File, Form

from tessera.api_input import BoundedPageNumberPagination
from tessera.curriculum import framework_csv, framework_file, selectors, services
from tessera.curriculum.framework_file import FileError
from tessera.curriculum.models import Framework
from tessera.schools import permissions as school_permissions
from tessera.schools.errors import DomainError, NotFound, PermissionDenied
from tessera.schools.models import School, User

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


class ResourceOut(Schema):
    code: str
    kind: str
    title: str
    url: str
    media_type: str
    reading_level: int | None
    interest_topics: list[str]
    competencies: list[str]


class FrameworkDetailOut(FrameworkOut):
    domains: list[DomainOut]
    resources: list[ResourceOut]


class FileErrorOut(Schema):
    location: str
    message: str


class ImportErrorsOut(Schema):
    detail: str
    errors: list[FileErrorOut]


def _imported(
    request: HttpRequest, school: School, document: framework_file.FrameworkDocument | list[FileError]
) -> Status[Framework] | Status[ImportErrorsOut]:
    """Save a checked document: 201 with the framework, or 400 listing every error (nothing saved)."""
    result = services.framework_import(actor=_user(request), school=school, document=document)
    if result.framework is not None:
        return Status(201, result.framework)
    errors = result.errors
    return Status(
        400,
        ImportErrorsOut(
            detail=f"{len(errors)} error(s); nothing was imported. First: {errors[0]}",
            errors=[FileErrorOut(location=e.location, message=e.message) for e in errors],
        ),
    )


def _importing_school(request: HttpRequest, school_id: int) -> School:
    """The school, when the user administers it: 404 if they cannot see it, 403 if they only see it."""
    user = _user(request)
    school = get_object_or_404(school_permissions.schools_visible_to(user), pk=school_id)
    school_permissions.require_school_admin(user, school, to=_("import a framework"))
    return school


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
        raise NotFound(_("No such framework."), code="curriculum.framework_not_found")
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
        resources=[
            ResourceOut(
                code=row.resource.code,
                kind=row.resource.kind,
                title=row.resource.title,
                url=row.resource.url,
                media_type=row.resource.media_type,
                reading_level=row.resource.reading_level,
                interest_topics=row.resource.interest_topics,
                competencies=row.competencies,
            )
            for row in selectors.framework_resources(framework)
        ],
    )


@router.get(
    "/frameworks/{framework_id}/export",
    response=dict[str, Any],
    summary="The framework with its items and answers as a JSON file (staff)",
)
def framework_export(request: HttpRequest, framework_id: int) -> dict[str, Any]:
    return selectors.framework_document(_exportable(request, framework_id))


def _exportable(request: HttpRequest, framework_id: int) -> Framework:
    user = _user(request)
    framework = selectors.framework_detail_for(user, framework_id)
    if framework is None:
        raise NotFound(_("No such framework."), code="curriculum.framework_not_found")
    if selectors.framework_with_answers_for(user, framework_id) is None:
        raise PermissionDenied(
            _("Only staff can export a framework: it contains the answers."),
            code="curriculum.export_staff_only",
        )
    return framework


@router.post(
    "/schools/{school_id}/frameworks/import",
    response={201: FrameworkOut, 400: ImportErrorsOut},
    summary="Import a framework file (administrators); the request body is the JSON file",
    description=framework_file.__doc__,
)
def framework_import(request: HttpRequest, school_id: int) -> Status[Framework] | Status[ImportErrorsOut]:
    school = _importing_school(request, school_id)
    try:
        body = request.body
    except RequestDataTooBig:
        body = b" " * (framework_file.MAX_FILE_BYTES + 1)  # reported as too large by the parser
    document = framework_file.framework_file_parse(body)
    return _imported(request, school, document)


@router.post(
    "/schools/{school_id}/frameworks/import-csv",
    response={201: FrameworkOut, 400: ImportErrorsOut},
    summary="Import a framework from competencies.csv and items.csv (administrators)",
    description=framework_csv.__doc__,
)
def framework_import_csv(
    request: HttpRequest,
    school_id: int,
    code: str = Form(""),
    name: str = Form(""),
    description: str = Form(""),
    competencies: UploadedFile | None = File(None, description="competencies.csv"),  # noqa: B008
    items: UploadedFile | None = File(None, description="items.csv (optional)"),  # noqa: B008
) -> Status[Framework] | Status[ImportErrorsOut]:
    school = _importing_school(request, school_id)
    data = framework_file.read_capped(competencies)
    if data is None:
        raise DomainError(
            _("Attach the competencies file as the multipart field “competencies”."),
            code="curriculum.competencies_file_missing",
        )
    document = framework_csv.framework_csv_parse(
        code=code,
        name=name,
        description=description,
        competencies=data,
        items=framework_file.read_capped(items),
    )
    return _imported(request, school, document)


@router.get(
    "/frameworks/{framework_id}/export/{file}",
    summary="The framework's competencies.csv or items.csv (staff)",
    response={200: str},
)
def framework_export_csv(
    request: HttpRequest, framework_id: int, file: Literal["competencies.csv", "items.csv"]
) -> HttpResponse:
    framework = _exportable(request, framework_id)
    content = framework_csv.framework_csv_export(selectors.framework_document(framework))[file]
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework.code}-{file}"'
    return response
