"""API for roster management by school administrators: the CSV import."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import File

from tessera.schools import permissions
from tessera.schools.errors import DomainError
from tessera.schools.models import User
from tessera.schools.roster import imports as roster_import

router = Router(tags=["roster"])


class ImportOut(Schema):
    created: dict[str, int]
    unchanged: int


class RowErrorOut(Schema):
    file: str
    line: int
    message: str


class ImportErrorsOut(Schema):
    detail: str
    errors: list[RowErrorOut]


def _read(upload: UploadedFile | None) -> bytes | None:
    """At most one byte more than the cap, so an oversized file is refused without reading it all."""
    return None if upload is None else upload.read(roster_import.MAX_FILE_BYTES + 1)


@router.post(
    "/schools/{school_id}/roster-import",
    response={200: ImportOut, 400: ImportErrorsOut},
    summary="Import people and enrolments from CSV (administrators)",
    description=roster_import.__doc__,
)
def roster_import_upload(
    request: HttpRequest,
    school_id: int,
    users: UploadedFile | None = File(None, description="users.csv (OneRoster-like columns)"),  # noqa: B008
    enrollments: UploadedFile | None = File(None, description="enrollments.csv (optional)"),  # noqa: B008
) -> Status[ImportOut] | Status[ImportErrorsOut]:
    user = request.user
    assert isinstance(user, User)
    school = get_object_or_404(permissions.schools_visible_to(user), pk=school_id)
    permissions.require_school_admin(user, school, to=_("import its roster"))
    data = _read(users)
    if data is None:
        raise DomainError(
            _("Attach the people file as the multipart field “users” (users.csv)."),
            code="schools.users_file_missing",
        )
    result = roster_import.roster_import(
        actor=user, school=school, users=data, enrollments=_read(enrollments)
    )
    if not result.ok:
        return Status(
            400,
            ImportErrorsOut(
                detail=f"{len(result.errors)} bad row(s); nothing was imported. First: {result.errors[0]}",
                errors=[RowErrorOut(file=e.file, line=e.line, message=e.message) for e in result.errors],
            ),
        )
    return Status(200, ImportOut(created=dict(result.created), unchanged=result.unchanged))
