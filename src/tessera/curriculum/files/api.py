"""JSON API of curriculum files: a school's writers upload images (with alt text) and PDFs and list the
school's uploads; the file itself is served by the page ``curriculum-file`` (``url``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params.functions import File, Form

from tessera.api_input import BoundedPageNumberPagination, request_user
from tessera.curriculum import permissions
from tessera.curriculum.files import selectors, services
from tessera.curriculum.models import CurriculumFile
from tessera.schools import permissions as school_permissions
from tessera.schools.errors import DomainError, PermissionDenied
from tessera.schools.models import School

router = Router(tags=["curriculum"])


class CurriculumFileOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    url: str
    reference: str

    @staticmethod
    def resolve_url(stored: CurriculumFile) -> str:
        return reverse("curriculum-file", args=[stored.pk])

    @staticmethod
    def resolve_reference(stored: CurriculumFile) -> str:
        return f"file:{stored.pk}"


class UploadedOut(CurriculumFileOut):
    snippet: str


def _written_school(request: HttpRequest, school_id: int) -> School:
    """The school when the user writes its curriculum: 404 if they cannot see it, 403 if they only see it."""
    user = request_user(request)
    school = get_object_or_404(school_permissions.schools_visible_to(user), pk=school_id)
    if not permissions.can_write_curriculum(user, school):
        raise PermissionDenied(
            _("Only the school's teachers and specialists add files to its curriculum."),
            code="curriculum.not_a_writer",
        )
    return school


@router.post(
    "/schools/{school_id}/curriculum-files",
    response={201: UploadedOut},
    summary="Upload an image (with alt text) or a PDF for the school's items and resources (writers)",
    description=(
        "Multipart: ``file``, ``alt`` (required for an image: what it shows), ``images_only`` "
        "(refuse a PDF). "
        "The content is checked by its first bytes, not its name or declared type. ``snippet`` is the "
        "Markdown that shows it in a text: ``![alt](file:ID)`` for an image, a link for a PDF."
    ),
)
def curriculum_file_upload(
    request: HttpRequest,
    school_id: int,
    file: UploadedFile | None = File(None, description="A PNG, JPEG or GIF image or a PDF."),  # noqa: B008
    alt: str = Form("", description="The image's alt text."),
    images_only: bool = Form(False, description="Accept only an image."),
) -> Status[CurriculumFile]:
    school = _written_school(request, school_id)
    if file is None:
        raise DomainError(_("Attach the file as the multipart field “file”."), code="curriculum.file_missing")
    stored, snippet = services.file_add(
        actor=request_user(request), school=school, upload=file, alt=alt, images_only=images_only
    )
    stored.snippet = snippet  # type: ignore[attr-defined]  # read by UploadedOut
    return Status(201, stored)


@router.get(
    "/schools/{school_id}/curriculum-files",
    response=list[CurriculumFileOut],
    summary="The school's curriculum uploads, newest first (writers)",
)
@paginate(BoundedPageNumberPagination, page_size=50)
def curriculum_file_list(request: HttpRequest, school_id: int) -> QuerySet[CurriculumFile]:
    return selectors.school_uploads(_written_school(request, school_id))
