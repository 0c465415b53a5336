"""Curriculum files: served only to those who may see the file's school (404 for anyone else), and the
upload page of a school's curriculum writers (404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tessera.curriculum import permissions
from tessera.curriculum.files import selectors, services
from tessera.curriculum.files.forms import FileUploadForm
from tessera.curriculum.models import CurriculumFile
from tessera.schools import permissions as school_permissions
from tessera.schools.errors import form_write
from tessera.schools.models import User

UPLOADS_PER_PAGE = 20


@login_required
@require_GET
def file_serve(request: HttpRequest, file_id: int) -> FileResponse:
    stored = CurriculumFile.objects.filter(
        pk=file_id,
        school__in=school_permissions.schools_visible_to(request.user),  # type: ignore[arg-type]
    ).first()
    if stored is None:
        raise Http404("No such file.")
    path = services.file_path(stored)
    if not path.exists():
        raise Http404("The file is missing.")
    response = FileResponse(path.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = "inline" if stored.content_type.startswith("image/") else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def files_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """Upload an image (with its alt text) or a PDF; answer with the Markdown snippet to paste, above the
    school's recent uploads and theirs."""
    user = request.user
    assert isinstance(user, User)
    school = get_object_or_404(permissions.schools_written_by(user), pk=school_id)
    posted = request.method == "POST"
    form = FileUploadForm(request.POST, request.FILES) if posted else FileUploadForm()
    added = None
    if posted:
        added, refused = form_write(
            form,
            request,
            lambda: services.file_add(
                actor=user, school=school, upload=form.cleaned_data["file"], alt=form.cleaned_data["alt"]
            ),
        )
        if refused:
            return refused
        if added is not None:
            form = FileUploadForm()
    page = Paginator(selectors.school_uploads(school), UPLOADS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(stored, services.file_snippet(stored, alt=_("what it shows"))) for stored in page.object_list]
    context = {"school": school, "form": form, "added": added, "page": page, "rows": rows}
    status = 400 if posted and added is None else 200
    return render(request, "curriculum/files/upload.html", context, status=status)
