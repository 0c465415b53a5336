"""A curriculum file, served only to those who may see its school's curriculum (404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from tessera.curriculum.files.services import file_path
from tessera.curriculum.models import CurriculumFile
from tessera.schools import permissions as school_permissions


@login_required
@require_GET
def file_serve(request: HttpRequest, file_id: int) -> FileResponse:
    stored = CurriculumFile.objects.filter(
        pk=file_id,
        school__in=school_permissions.schools_visible_to(request.user),  # type: ignore[arg-type]
    ).first()
    if stored is None:
        raise Http404("No such file.")
    path = file_path(stored)
    if not path.exists():
        raise Http404("The file is missing.")
    response = FileResponse(path.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = "inline" if stored.content_type.startswith("image/") else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
