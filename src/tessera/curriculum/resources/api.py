"""JSON API of curriculum.resources: a framework's resources for everyone who may see it (a page's text
also as ``body_html``: Markdown with maths as MathML, sanitized), written by the school's curriculum
writers (403 for others who may see it, 404 for everyone else; shared frameworks are read-only). Writes
are POSTs, as in the rest of the API: ``/edit`` replaces every field, ``/delete`` removes the resource.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from tessera.api_input import BoundedPageNumberPagination, request_user
from tessera.curriculum.models import CurriculumFile, Framework, Resource
from tessera.curriculum.resources import selectors, services
from tessera.curriculum.rich_text import text_html
from tessera.schools.errors import DomainError, NotFound

router = Router(tags=["curriculum"])


class ResourceSummaryOut(Schema):
    id: int
    framework_id: int
    code: str
    kind: str
    form: str
    title: str
    url: str
    file_id: int | None
    file_url: str | None
    media_type: str
    reading_level: int | None
    interest_topics: list[str]
    competencies: list[str]

    @staticmethod
    def resolve_file_url(resource: Resource) -> str | None:
        return reverse("curriculum-file", args=[resource.file_id]) if resource.file_id else None

    @staticmethod
    def resolve_competencies(resource: Resource) -> list[str]:
        return [c.code for c in resource.competencies.all()]


class ResourceOut(ResourceSummaryOut):
    body: str
    body_html: str

    @staticmethod
    def resolve_body_html(resource: Resource) -> str:
        return text_html(resource.body) if resource.form == Resource.Form.PAGE else ""


class ResourceIn(Schema):
    title: str = Field(max_length=200)
    kind: Literal["reading", "video", "interactive", "worksheet"]
    form: Literal["link", "file", "page"]
    url: str = Field("", max_length=services.URL_LENGTH, description="A link's http(s) address.")
    file_id: int | None = Field(None, description="A file's upload (an image or PDF of the school).")
    body: str = Field(
        "",
        max_length=services.BODY_LENGTH,
        description="A page's text: Markdown, maths between \\( and \\), images ![alt](file:ID).",
    )
    competencies: list[str] = Field(description="Codes of the framework's competencies it helps with.")
    reading_level: int | None = Field(None, description="A grade, 0 to 13.")
    interest_topics: list[str] = Field(default_factory=list, max_length=services.MAX_TOPICS)


def _framework(request: HttpRequest, framework_id: int) -> Framework:
    framework = selectors.framework_detail_for(request_user(request), framework_id)
    if framework is None:
        raise NotFound(_("No such framework."), code="curriculum.framework_not_found")
    return framework


def _resource(request: HttpRequest, resource_id: int) -> Resource:
    resource = selectors.resource_for(request_user(request), resource_id)
    if resource is None:
        raise NotFound(_("No such resource."), code="curriculum.resource_not_found")
    return resource


def _input(framework: Framework, payload: ResourceIn) -> services.ResourceInput:
    competencies, unknown = selectors.competencies_by_code(framework, payload.competencies)
    if unknown:
        raise DomainError(
            _("No competency “%(code)s” in this framework.") % {"code": unknown[0]},
            code="curriculum.competency_not_found",
        )
    file = None
    if payload.file_id is not None:
        file = CurriculumFile.objects.filter(pk=payload.file_id, school=framework.school).first()
        if file is None:
            raise DomainError(
                _("The file is not one of this school's uploads."), code="curriculum.file_of_other_school"
            )
    return services.ResourceInput(
        title=payload.title,
        kind=payload.kind,
        form=payload.form,
        competencies=competencies,
        url=payload.url,
        file=file,
        body=payload.body,
        reading_level=payload.reading_level,
        interest_topics=payload.interest_topics,
    )


@router.get(
    "/frameworks/{framework_id}/resources",
    response=list[ResourceSummaryOut],
    summary="A framework's resources (everyone who may see the framework)",
)
@paginate(BoundedPageNumberPagination, page_size=50)
def resource_list(request: HttpRequest, framework_id: int) -> QuerySet[Resource]:
    return selectors.framework_resources(_framework(request, framework_id))


@router.get(
    "/resources/{resource_id}",
    response=ResourceOut,
    summary="A resource, with a page's text rendered as HTML (maths as MathML)",
)
def resource_detail(request: HttpRequest, resource_id: int) -> Resource:
    return _resource(request, resource_id)


@router.post(
    "/frameworks/{framework_id}/resources",
    response={201: ResourceOut},
    summary="Add a link, file or page resource to a school's framework (its curriculum writers)",
)
def resource_create(request: HttpRequest, framework_id: int, payload: ResourceIn) -> Status[Resource | None]:
    framework = _framework(request, framework_id)
    services.require_writer(request_user(request), framework)
    resource = services.resource_create(
        actor=request_user(request), framework=framework, data=_input(framework, payload)
    )
    return Status(201, selectors.resource_for(request_user(request), resource.pk))


@router.post(
    "/resources/{resource_id}/edit",
    response=ResourceOut,
    summary="Change a resource of a school's framework (its curriculum writers): every field is replaced",
)
def resource_edit(request: HttpRequest, resource_id: int, payload: ResourceIn) -> Resource | None:
    resource = _resource(request, resource_id)
    services.require_writer(request_user(request), resource.framework)
    services.resource_edit(
        actor=request_user(request), resource=resource, data=_input(resource.framework, payload)
    )
    return selectors.resource_for(request_user(request), resource.pk)


@router.post(
    "/resources/{resource_id}/delete",
    response={204: None},
    summary="Delete a resource of a school's framework (its curriculum writers)",
)
def resource_delete(request: HttpRequest, resource_id: int) -> Status[None]:
    resource = _resource(request, resource_id)
    services.resource_delete(actor=request_user(request), resource=resource)
    return Status(204, None)
